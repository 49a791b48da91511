/**
 * The terminal's command-line options: `--script <file>` (run a script instead of a prompt) and `--now <instant>`
 * (where the virtual clock starts). Both also accept `--option=value`.
 */
import type { MessageKey } from '../../i18n/catalog.ts';

export interface TerminalArgs {
  readonly script?: string;
  readonly now?: Date;
}

export type TerminalArgsResult =
  | { readonly ok: true; readonly args: TerminalArgs }
  | { readonly ok: false; readonly error: MessageKey; readonly values: Record<string, string> };

/** An ISO 8601 instant with a date, a time and an offset (or Z): a clock start must not depend on the machine's zone. */
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseTerminalArgs(argv: readonly string[]): TerminalArgsResult {
  let script: string | undefined;
  let now: Date | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [option = '', inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined];
    if (option !== '--script' && option !== '--now') {
      return { ok: false, error: 'terminal.args.unknown', values: { option: arg.slice(0, 40) } };
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') {
      return { ok: false, error: 'terminal.args.missing_value', values: { option } };
    }
    if (option === '--script') {
      script = value;
    } else {
      const instant = new Date(value);
      if (!isoInstant.test(value) || Number.isNaN(instant.getTime())) {
        return { ok: false, error: 'terminal.args.bad_now', values: {} };
      }
      now = instant;
    }
  }
  return { ok: true, args: { ...(script !== undefined && { script }), ...(now !== undefined && { now }) } };
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}
