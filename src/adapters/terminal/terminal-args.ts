/**
 * The terminal's command-line options: `--script <file>` (run a script instead of a prompt), `--now <instant>`
 * (where the virtual clock starts) and `--workspace <name>` (the simulated workspace: two sessions on one database
 * with different names are two teams, whose members can link their accounts). Each also accepts `--option=value`.
 */
import type { MessageKey } from '../../i18n/catalog.ts';

export interface TerminalArgs {
  readonly script?: string;
  readonly now?: Date;
  /** A slug (lower case): the workspace's external id and name. */
  readonly workspace?: string;
}

export type TerminalArgsResult =
  | { readonly ok: true; readonly args: TerminalArgs }
  | { readonly ok: false; readonly error: MessageKey; readonly values: Record<string, string> };

/** An ISO 8601 instant with a date, a time and an offset (or Z): a clock start must not depend on the machine's zone. */
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/**
 * A workspace name: 1 to 32 letters, digits and inner hyphens (`equipe-b`). It becomes a member id prefix
 * (`equipe-b:ana`) and shows in the accounts `vincular` lists, so nothing that needs quoting or escaping.
 */
const workspaceSlug = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

const options = ['--script', '--now', '--workspace'] as const;
type Option = (typeof options)[number];

export function parseTerminalArgs(argv: readonly string[]): TerminalArgsResult {
  let script: string | undefined;
  let now: Date | undefined;
  let workspace: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [option = '', inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined];
    if (!isOption(option)) {
      return { ok: false, error: 'terminal.args.unknown', values: { option: arg.slice(0, 40) } };
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') {
      return { ok: false, error: 'terminal.args.missing_value', values: { option } };
    }
    if (option === '--script') {
      script = value;
    } else if (option === '--workspace') {
      // Case is not part of the name: `Equipe-B` and `equipe-b` are one workspace.
      const slug = value.toLowerCase();
      if (!workspaceSlug.test(slug)) {
        return { ok: false, error: 'terminal.args.bad_workspace', values: { name: value.slice(0, 40) } };
      }
      workspace = slug;
    } else {
      const instant = new Date(value);
      if (!isoInstant.test(value) || Number.isNaN(instant.getTime())) {
        return { ok: false, error: 'terminal.args.bad_now', values: {} };
      }
      now = instant;
    }
  }
  return {
    ok: true,
    args: {
      ...(script !== undefined && { script }),
      ...(now !== undefined && { now }),
      ...(workspace !== undefined && { workspace }),
    },
  };
}

function isOption(value: string): value is Option {
  return (options as readonly string[]).includes(value);
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}
