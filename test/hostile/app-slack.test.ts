/**
 * Hostile input through the Slack adapter: the real @slack/bolt in Socket Mode against the fake Slack
 * (test/fakes/slack.ts), on SQLite (docs/security.md). A display name full of control characters, a right-to-left
 * override, zero-width characters, Slack markup and a bare URL is stored neutralised and shown inert, in the blocks
 * (verbatim, escaped) and in the notification text (finding 11); a member sending commands in a burst gets the
 * friendly limit after 30 in a minute, and wrong link codes are limited, both counted in /metrics (finding 5); the
 * delete confirmation clicked again, and delivered again by Slack, re-creates nobody (finding 6).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { countLinkCodeWrong, countRateLimited, Metrics } from '../../src/ops/metrics.ts';
import type { Telemetry } from '../../src/runtime/telemetry.ts';
import type { FakeSlack } from '../fakes/slack.ts';
import { eventually } from '../support/eventually.ts';
import { type SlackWorld, startSlackWorld } from '../support/platform-worlds.ts';

const hostileName = 'Mal\x1b[31m\u202Eory\u200B\x07 *bold* _it_ ~s~ <!channel> https://evil.example/x';
const users = {
  'U-MAL': { name: hostileName, locale: 'pt-BR' },
  'U-ANA': { name: 'Ana', locale: 'pt-BR' },
  'U-BIA': { name: 'Bia', locale: 'pt-BR' },
  'U-CAU': { name: 'Cau', locale: 'en-US' },
};
const channels = { 'C-GERAL': { name: 'geral', is_member: true } };

type Body = Record<string, unknown>;
interface TextObject {
  type: string;
  text: string;
  verbatim?: boolean;
}

/** Every mrkdwn text object of a Block Kit body (sections and context elements). */
function mrkdwnObjects(body: Body): TextObject[] {
  const blocks = (body.blocks as { text?: TextObject; elements?: TextObject[] }[] | undefined) ?? [];
  return blocks
    .flatMap((block) => [block.text, ...(block.elements ?? [])])
    .filter((object): object is TextObject => object?.type === 'mrkdwn');
}

const shown = (body: Body) => [String(body.text ?? ''), ...mrkdwnObjects(body).map((object) => object.text)].join('\n');

describe('hostile input through Slack (real Bolt, fake Slack)', () => {
  let fake: FakeSlack;
  let app: App;
  const metrics = new Metrics({ defaultMetrics: false });
  const telemetry: Telemetry = {
    answer: () => undefined,
    dropPosted: () => undefined,
    dropFailed: () => undefined,
    schedulerTick: () => undefined,
    rateLimited: (platform, limit) => countRateLimited(metrics, platform, limit),
    linkCodeWrong: (platform) => countLinkCodeWrong(metrics, platform),
  };
  let world: SlackWorld;
  beforeAll(async () => {
    world = await startSlackWorld({ users, channels }, { telemetry });
    ({ fake, app } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  /** `/trilha <text>` and the body of its (first) answer on the response_url. */
  async function command(userId: string, text: string): Promise<Body> {
    const payload = fake.slashCommand({ text, userId, channelId: 'C-GERAL' });
    const id = String(payload.response_url).split('/').pop();
    await fake.sendEnvelope('slash_commands', payload);
    return (await eventually(() => fake.responses.find((response) => response.id === id))).body;
  }

  /** A click on `actionId` (retried by Slack when `retryAttempt`), and the ephemeral answer it got. */
  async function click(userId: string, actionId: string, retryAttempt = 0): Promise<Body> {
    const payload = fake.blockAction({ actionId, userId, channelId: 'C-GERAL', messageTs: '1796000000.000100' });
    const id = String(payload.response_url).split('/').pop();
    await fake.sendEnvelope('interactive', payload, retryAttempt ? { retryAttempt, retryReason: 'timeout' } : {});
    // The click's answer travels through its own response_url (docs/platform-budgets.md).
    return (await eventually(() => fake.responses.find((response) => response.id === id))).body;
  }

  it('GIVEN a display name with control, direction and zero-width characters, markup and a URL THEN stored neutralised and shown inert', async () => {
    const body = await command('U-MAL', 'progresso');
    const member = await app.db.member.findFirstOrThrow({ where: { identities: { some: { externalId: 'U-MAL' } } } });
    expect(member.displayName).toBe('Mal[31mory *bold* _it_ ~s~ <!channel> https://evil.example/x');
    const objects = mrkdwnObjects(body);
    expect(objects.length).toBeGreaterThan(0);
    // Slack links nothing by itself in these texts (bare URLs, #channels), and no markup of the member's forms.
    for (const object of objects) expect(object.verbatim).toBe(true);
    const all = shown(body);
    expect(all).toContain('Mal[31mory');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(all).not.toMatch(/[\x00-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069\u200B]/);
    expect(all).not.toMatch(/[<>]/);
    expect(all).toContain('&lt;!channel&gt;');
    // The notification text is escaped like the blocks: no marker Slack could pair, no entity unescaped.
    const notification = String(body.text);
    expect(notification).toContain('Mal[31mory');
    expect(notification).not.toMatch(/(^|\s)[*_~`]|[*_~`](\s|$)/);
  });

  it('GIVEN 31 commands in a burst THEN the 31st gets the friendly limit with the wait, and /metrics counts it', async () => {
    for (let i = 0; i < 30; i++) expect(shown(await command('U-ANA', 'ajuda'))).not.toContain('Calma');
    const refused = shown(await command('U-ANA', 'ajuda'));
    expect(refused).toMatch(
      /Calma: foram 30 comandos no último minuto, o limite por pessoa\. Tente de novo em \d+ segundos?/,
    );
    // Another member is not slowed by Ana.
    expect(shown(await command('U-BIA', 'ajuda'))).not.toContain('Calma');
    expect(await metrics.registry.metrics()).toContain('trilha_rate_limited_total{platform="slack",limit="command"} 1');
  });

  it('GIVEN wrong link codes THEN the sixth waits, in the member’s language, and /metrics counts both', async () => {
    const answers: string[] = [];
    for (const guess of ['ZZZZ-ZZZ2', 'ZZZZ-ZZZ3', 'ZZZZ-ZZZ4', 'ZZZZ-ZZZ5', 'ZZZZ-ZZZ6', 'ZZZZ-ZZZ7']) {
      answers.push(shown(await command('U-CAU', `link ${guess}`)));
    }
    for (const answer of answers.slice(0, 5)) expect(answer).toContain('Code not recognised');
    expect(answers[5]).toContain('Too many wrong codes: 5 in 10 minutes');
    const text = await metrics.registry.metrics();
    expect(text).toContain('trilha_rate_limited_total{platform="slack",limit="link_code"} 1');
    expect(text).toContain('trilha_link_codes_wrong_total{platform="slack"} 5');
  });

  it('GIVEN the delete confirmation clicked twice and redelivered THEN deleted once, nobody re-created; a typed command starts afresh', async () => {
    await command('U-BIA', 'turma criar time-bia Time da Bia');
    const confirm = await command('U-BIA', 'meus-dados apagar');
    const blocks = confirm.blocks as { type: string; elements?: { action_id?: string }[] }[];
    const actionId = blocks.find((block) => block.type === 'actions')?.elements?.[0]?.action_id ?? '';
    expect(actionId).not.toBe('');
    const before = await app.db.identity.findFirstOrThrow({ where: { externalId: 'U-BIA' } });

    expect(shown(await click('U-BIA', actionId))).toContain('apagamos tudo');
    expect(shown(await click('U-BIA', actionId))).toContain('Esses dados já foram apagados');
    expect(shown(await click('U-BIA', actionId, 1))).toContain('Esses dados já foram apagados');
    expect(await app.db.identity.count({ where: { externalId: 'U-BIA' } })).toBe(0);
    expect(await app.db.member.count({ where: { id: before.memberId } })).toBe(0);
    expect((await app.db.cohort.findFirstOrThrow({ where: { slug: 'time-bia' } })).name).toBe('time-bia');

    expect(shown(await command('U-BIA', 'progresso'))).toContain('Progresso de Bia');
    const after = await app.db.identity.findFirstOrThrow({ where: { externalId: 'U-BIA' } });
    expect(after.memberId).not.toBe(before.memberId);
  });
});
