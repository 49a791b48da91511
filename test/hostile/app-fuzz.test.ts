/**
 * A fuzz run of commands, arguments and buttons through the dispatcher (fast-check), on SQLite, as members of Slack,
 * Discord and the terminal, admins or not (docs/security.md, "Hostile-input suite"). Commands are the registry's
 * names and aliases in both languages (and words that are none), followed by hostile words: control characters,
 * direction overrides, zero-width characters, markup and mentions, URLs, very long words, numbers, dates, slugs and
 * link codes. Buttons are well-signed action ids of every kind with made-up ids, and raw strings. For every input:
 * the dispatcher answers (never throws), never with the generic error (every refusal here has a specific answer),
 * and no answer carries a stack trace, an error name or an internal path.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, encodeAction } from '../../src/core/action-id.ts';
import type { Reply } from '../../src/core/message.ts';
import type { Platform } from '../../src/core/ports/members.port.ts';
import { createTestEngine, type TestEngine } from '../support/engine.ts';

/** Inputs each property tries (stated in docs/security.md). */
const fuzzRuns = { commands: 400, buttons: 200 } as const;

const hostileWords = [
  '\x1b]0;pwn\x07',
  '\x1b[2J',
  '\u0000',
  '\u202Egnp.exe',
  '\u2066x\u2069',
  'a\u200Bb',
  '*bold*',
  '_it_',
  '~s~',
  '`code`',
  '<!channel>',
  '<@U123>',
  '@everyone',
  '@here',
  'https://evil.example/x',
  '[link](https://x.y)',
  '-#',
  '# título',
  '> quote',
  '||spoiler||',
  'ZZZZ-ZZZ2',
  'K7QM-X2PD',
  'semana',
  'geral',
  'all',
  'off',
  'apagar',
  'delete',
  'en',
  'pt-BR',
  'padrao',
  'America/Sao_Paulo',
  'Mars/Olympus',
  '2026-13-45',
  '2026-12-24',
  '25:99',
  '09:00',
  '-1',
  '0',
  '99999999999999999999',
  'NaN',
  'ops',
  'nova-turma',
  '../../etc/passwd',
  'C:\\Windows',
  '%s%n',
  `$${'{'}jndi:ldap://x}`,
  '\'; DROP TABLE "Member"; --',
];

/**
 * What a reply must never show: the generic error, a stack frame, an error class, a path of ours (into a package or
 * our source). The Docker lessons themselves name `node_modules` and `node_modules/` (a build context, Compose
 * Watch's `ignore:`), which a search may well answer with: a path into a package is what would leak.
 */
const leaks = [
  /Algo deu errado|Something went wrong/,
  /\n\s+at .+\(.+:\d+:\d+\)/,
  /\b(TypeError|ReferenceError|RangeError|SyntaxError|PrismaClient\w*Error)\b/,
  /\/work\/|node_modules\/[@\w]|\.ts:\d+|src\/(db|core|runtime|commands)\//,
];

function textOf(replies: readonly Reply[]): string {
  return replies
    .flatMap((reply) => [
      reply.message.headline ?? '',
      ...reply.message.blocks.map((block) =>
        block.kind === 'buttons'
          ? block.buttons.map((button) => button.label).join(' ')
          : block.kind === 'code'
            ? block.source
            : block.text,
      ),
    ])
    .join('\n');
}

describe('fuzzing commands and buttons through the dispatcher (sqlite)', () => {
  let engine: TestEngine;
  let names: string[];

  beforeAll(async () => {
    engine = await createTestEngine('sqlite');
    names = engine.app.dispatcher.commands.flatMap((command) => [
      command.names['pt-BR'],
      command.names.en,
      ...command.aliases,
    ]);
  });
  afterAll(() => engine?.close());

  const who = fc.record({
    platform: fc.constantFrom<Platform>('slack', 'discord', 'terminal'),
    user: fc.integer({ min: 1, max: 40 }),
    admin: fc.boolean(),
    inChannel: fc.boolean(),
  });
  const word = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...hostileWords) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 600 }) },
  );

  async function check(replies: Promise<Reply[]>): Promise<void> {
    const answered = await replies;
    expect(answered.length).toBeGreaterThan(0);
    const text = textOf(answered);
    for (const leak of leaks) expect(text).not.toMatch(leak);
  }

  function where(input: { platform: Platform; user: number; admin: boolean; inChannel: boolean }) {
    return {
      user: { id: `${input.platform}-fuzz-${input.user}`, name: `Fuzz ${input.user}`, admin: input.admin },
      where: {
        platform: input.platform,
        workspace: `W-${input.platform}`,
        channel: input.inChannel ? 'C-GENERAL' : null,
      },
    };
  }

  it(`GIVEN ${fuzzRuns.commands} commands with hostile arguments THEN each gets a specific answer, no leak`, async () => {
    const command = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: word });
    await fc.assert(
      fc.asyncProperty(who, command, fc.array(word, { maxLength: 5 }), async (input, name, args) => {
        const { user, where: at } = where(input);
        await check(engine.say(user, [name, ...args].join(' '), at));
      }),
      { numRuns: fuzzRuns.commands },
    );
  });

  it(`GIVEN ${fuzzRuns.buttons} buttons, signed with made-up ids or raw strings THEN each gets a specific answer, no leak`, async () => {
    // What an action id can carry (anything else cannot be signed), including ids that look like ours.
    const id = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9._:/-]{1,40}$/),
      fc.constantFrom('docker', 'docker/q1', '019ac9f2-4b7e-7cc1-9a1e-5f0e8a6b2c3d', 'C-GENERAL', '0', '-1'),
    );
    const small = fc.integer({ min: 0, max: 999_999 });
    const action: fc.Arbitrary<Action> = fc.oneof(
      fc.record({ kind: fc.constant('answer' as const), postedQuestionId: id, choice: small }),
      fc.record({ kind: fc.constant('study' as const), trackId: id, questionId: id, choice: small }),
      fc.record({ kind: fc.constant('review' as const), trackId: id, questionId: id, reps: small, choice: small }),
      fc.record({
        kind: fc.constant('command' as const),
        command: fc.oneof(fc.constantFrom(...names.filter((name) => /^[A-Za-z0-9._:/-]{1,40}$/.test(name))), id),
      }),
      fc.record({ kind: fc.constant('delete-my-data' as const), memberId: id }),
      fc.record({ kind: fc.constant('stop-nudges' as const), memberId: id }),
      fc.record({ kind: fc.constant('channel-today' as const), channelId: id }),
    );
    const actionId = fc.oneof(
      { weight: 4, arbitrary: action.map((value) => encodeAction(value)) },
      { weight: 1, arbitrary: word },
    );
    await fc.assert(
      fc.asyncProperty(who, actionId, async (input, clicked) => {
        const { user, where: at } = where(input);
        await check(engine.click(user, clicked, at));
      }),
      { numRuns: fuzzRuns.buttons },
    );
  });
});
