/**
 * The Slack adapter through the real @slack/bolt, against a fake Slack on 127.0.0.1 (test/fakes/slack.ts):
 * Socket Mode for the scenarios (setup by an admin and refused to a member, a drop day with three members answering,
 * a double click and a retried envelope, every command in both languages, App Home, a Slack error on a drop), files
 * (a private reply's CSV in the member's direct messages, a thread reply's PNG in that thread, the admins' report),
 * direct messages, idempotent keyed posts after a crash (message metadata looked up before a retried post), and HTTP
 * mode for request signing (stale, future, unsigned and tampered requests refused).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postEventType } from '../../src/adapters/slack/notifier.ts';
import { maxResponses, type SlackRuntime, startSlack } from '../../src/adapters/slack/slack.adapter.ts';
import { type App, openApp } from '../../src/app.ts';
import { prepareDrop } from '../../src/cli/bench/answer-load.ts';
import { encodeAction } from '../../src/core/action-id.ts';
import { type Attachment, context, type Message, type Reply, text } from '../../src/core/message.ts';
import type { CommandRequest } from '../../src/runtime/command.ts';
import { Dispatcher } from '../../src/runtime/dispatcher.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { DropScheduler, staleClaimMs } from '../../src/scheduler/drop-scheduler.ts';
import { TestClock } from '../fakes/clock.ts';
import {
  type FakeSlack,
  formBody,
  interactivePayloadBody,
  type RecordedCall,
  signedRequest,
  startFakeSlack,
} from '../fakes/slack.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { dockerTrack } from '../support/engine.ts';
import { eventually } from '../support/eventually.ts';
import { slackSpeed } from '../support/platform-worlds.ts';

const users = {
  'U-ADMIN': { is_admin: true, name: 'Admin', locale: 'pt-BR' },
  'U-ANA': { name: 'Ana', locale: 'pt-BR' },
  'U-BIA': { name: 'Bia', locale: 'en-US' },
  'U-CAU': { name: 'Cau', locale: 'pt-BR' },
};
const channels = { 'C-GERAL': { name: 'geral', is_member: true }, 'C-OUT': { name: 'fora', is_member: false } };

/** All the text a recorded Block Kit message shows. */
function shown(body: Record<string, unknown>): string {
  const blocks =
    (body.blocks as { text?: { text: string }; elements?: { text?: string | { text: string } }[] }[]) ?? [];
  const parts = blocks.flatMap((block) => [
    block.text?.text ?? '',
    ...(block.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))),
  ]);
  return [String(body.text ?? ''), ...parts].join('\n');
}

function buttonIds(call: RecordedCall): string[] {
  const blocks = call.body.blocks as { type: string; elements?: { action_id?: string }[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));
}

interface SlackWorld {
  readonly fake: FakeSlack;
  readonly app: App;
  readonly slack: SlackRuntime;
  close(): Promise<void>;
}

/**
 * A fake Slack, an engine on a fresh SQLite file and the adapter connected to the fake with `mode`'s settings;
 * `wrap` may put another dispatcher in front of the engine's (a scripted one for replies no command gives yet).
 * `clock`, when given, is Slack's time for both the fake and the adapter's budgets.
 */
async function slackWorld(
  mode: { appToken: string; liveCountIntervalMs: number } | { signingSecret: string; port: number; host: string },
  wrap: (app: App) => App = (app) => app,
  clock?: TestClock,
): Promise<SlackWorld> {
  const fake = await startFakeSlack({ users, channels, ...(clock ? { clock } : {}) });
  const database: TestDatabase = await createTestDatabase('sqlite');
  const app = await openApp({
    database: database.target,
    tracks: dockerTrack(),
    defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
    logger: silentLogger(),
  });
  const slack = await startSlack({
    app: wrap(app),
    botToken: 'xoxb-test-token',
    apiUrl: fake.apiUrl,
    logger: silentLogger(),
    ...(clock ? { budgetClock: clock } : {}),
    ...mode,
  });
  return {
    fake,
    app,
    slack,
    async close() {
      await slack.stop();
      await app.close();
      await fake.close();
      await database.drop();
    },
  };
}

describe('Slack adapter in Socket Mode (real Bolt, fake Slack)', () => {
  let world: SlackWorld;
  let fake: FakeSlack;
  let app: App;
  let slack: SlackRuntime;

  beforeAll(async () => {
    // Slack's time faster than real (slackSpeed), for the fake and the budgets: a drop's posts keep Slack's per-channel
    // pace (the fake refuses a faster one) without waiting 1.2 s for each (test/budgets holds the pace itself).
    world = await slackWorld(
      { appToken: 'xapp-1-test-token', liveCountIntervalMs: 100 },
      (engine) => engine,
      new TestClock(slackSpeed),
    );
    ({ fake, app, slack } = world);
    await fake.socketConnected();
  });
  afterAll(() => world?.close());

  /** A scheduler posting through this Slack. */
  const scheduler = (owner: string) =>
    new DropScheduler({ services: app.services, notifier: slack.notifier, logger: silentLogger(), owner });

  /** Runs `/trilha <text>` and returns the text of the ephemeral answer sent to the command's response_url. */
  async function command(userId: string, text: string, channelId = 'C-GERAL'): Promise<string> {
    const payload = fake.slashCommand({ text, userId, channelId });
    const responseId = String(payload.response_url).split('/').pop();
    const ack = await fake.sendEnvelope('slash_commands', payload);
    expect(ack.envelope_id).toBeTruthy();
    const responses = await eventually(() => {
      const found = fake.responses.filter((response) => response.id === responseId);
      return found.length > 0 && found;
    });
    await new Promise((resolve) => setTimeout(resolve, 30)); // a command may answer with more than one message
    // Private replies are merged: no command spends more than 3 of its response_url's 5 uses.
    expect(fake.responses.filter((response) => response.id === responseId).length).toBeLessThanOrEqual(maxResponses);
    return fake.responses
      .filter((response) => response.id === responseId)
      .map((response) => shown(response.body))
      .concat(responses.length === 0 ? [] : [])
      .join('\n');
  }

  it('GIVEN a member THEN channel setup is refused; GIVEN an admin THEN it is saved; GIVEN a channel without the bot THEN says how to invite it', async () => {
    expect(await command('U-ANA', 'canal horario 00:00')).toContain('Só administradores podem usar');
    expect(await command('U-ADMIN', 'canal horario 00:00')).toContain('Horário das lições agora: 00:00.');
    expect(await command('U-ADMIN', 'canal dias todos')).toContain('Dias das lições agora:');
    expect(await command('U-ADMIN', 'canal', 'C-OUT')).toContain('/invite @trilha');
    expect(await app.db.channel.count()).toBe(1);
  });

  it('GIVEN the day’s drop THEN Slack gets the lesson and a thread of questions; three members answer, a double click and a retried envelope count once', async () => {
    const drops = scheduler('test');
    const before = fake.callsTo('chat.postMessage').length;
    // The lesson time (00:00, every day) has passed today in São Paulo: today's drop is due.
    expect((await drops.tick(new Date())).posted).toBe(1);
    const posts = fake.callsTo('chat.postMessage').slice(before);
    const lessonCall = posts[0];
    expect(lessonCall?.body.channel).toBe('C-GERAL');
    expect(lessonCall?.body.thread_ts).toBeUndefined();
    const lesson = app.services.curriculum.tracks[0]?.lessons[0];
    expect(shown(lessonCall?.body ?? {})).toContain(lesson?.title['pt-BR']);
    const questions = posts.slice(1);
    expect(questions).toHaveLength(lesson?.questions.length ?? 0);
    const lessonTs = (await app.db.drop.findFirstOrThrow()).messageRef ?? '';
    for (const question of questions) expect(question.body.thread_ts).toBe(lessonTs);

    // Question 1: Ana right, Bia and Cau wrong.
    const first = lesson?.questions[0];
    const ids = buttonIds(questions[0] as RecordedCall);
    expect(ids).toHaveLength(first?.options.length ?? 0);
    const right = ids[first?.correctIndex ?? 0] as string;
    const wrong = ids.find((id) => id !== right) as string;
    const questionTs = (await app.db.postedQuestion.findFirstOrThrow({ where: { position: 0 } })).messageRef ?? '';
    // Each click's feedback comes back through that click's own response_url (one use, no Web API tier).
    const click = async (userId: string, actionId: string, retryAttempt = 0) => {
      const payload = fake.blockAction({
        actionId,
        userId,
        channelId: 'C-GERAL',
        messageTs: questionTs,
        threadTs: lessonTs,
        blocks: questions[0]?.body.blocks as unknown[],
      });
      const id = String(payload.response_url).split('/').pop();
      await fake.sendEnvelope('interactive', payload, retryAttempt ? { retryAttempt, retryReason: 'timeout' } : {});
      return eventually(() => fake.responses.find((response) => response.id === id));
    };
    const ana = await click('U-ANA', right);
    expect(ana.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, thread_ts: lessonTs });
    expect(shown(ana.body)).toContain('✅ Certo!');
    expect(shown((await click('U-BIA', wrong)).body)).toContain('❌ Not this time');
    expect(shown((await click('U-CAU', wrong)).body)).toContain('❌ Não foi dessa vez');
    // A double click and a retried delivery of the same click: the first answer stands.
    expect(shown((await click('U-ANA', wrong)).body)).toContain('Você já respondeu esta pergunta');
    expect(shown((await click('U-ANA', right, 1)).body)).toContain('Você já respondeu esta pergunta');
    expect(await app.db.attempt.count()).toBe(3);
    expect(fake.callsTo('chat.postEphemeral')).toHaveLength(0);
    const stats = await app.db.memberStats.aggregate({ _sum: { answered: true, correct: true } });
    expect(stats._sum).toEqual({ answered: 3, correct: 1 });

    // The question message shows the live count (three members, whatever the double clicks), never who chose what;
    // its buttons stay. Updates within the window are folded together.
    const lastUpdate = await eventually(() => {
      const updates = fake.callsTo('chat.update').filter((call) => call.body.ts === questionTs);
      const last = updates.at(-1);
      return last && shown(last.body).includes('👥 3') && updates;
    });
    expect(lastUpdate.length).toBeLessThanOrEqual(5);
    const final = lastUpdate.at(-1) as RecordedCall;
    expect(final.body.channel).toBe('C-GERAL');
    expect(buttonIds(final)).toEqual(ids);
    expect(shown(final.body)).not.toMatch(/Ana|Bia|Cau|U-/);
  });

  it.each([
    [
      'U-ANA',
      [
        'hoje',
        'proxima',
        'quiz',
        'revisar',
        'perguntar docker',
        'progresso',
        'ranking',
        'ranking geral',
        'turma listar',
        'idioma',
        'fuso',
        'meus-dados',
        'ajuda',
        'canal',
      ],
    ],
    [
      'U-BIA',
      [
        'today',
        'next',
        'quiz',
        'review',
        'ask docker',
        'progress',
        'leaderboard',
        'leaderboard all',
        'cohort list',
        'language',
        'timezone',
        'my-data',
        'help',
        'channel',
      ],
    ],
  ] as const)('GIVEN %s THEN every command answers in their language, without an error', async (userId, commands) => {
    for (const text of commands) {
      const answer = await command(userId, text);
      expect(answer, text).not.toMatch(/Algo deu errado|Something went wrong/);
      expect(answer.length, text).toBeGreaterThan(0);
    }
    const help = await command(userId, commands[12]);
    expect(help).toContain(userId === 'U-BIA' ? '/trilha ask' : '/trilha perguntar');
  });

  it('GIVEN an admin asks for the members report THEN the CSV goes to their direct messages and the ephemeral answer says so', async () => {
    const before = fake.uploadedFiles().length;
    const answer = await command('U-ADMIN', 'relatorio membros');
    expect(answer).not.toMatch(/Algo deu errado|Something went wrong/);
    const file = await eventually(() => fake.uploadedFiles()[before]);
    expect(file.channel).toBe(fake.imOf('U-ADMIN'));
    expect(file.threadTs).toBeUndefined();
    expect(file.filename).toMatch(/\.csv$/);
    expect(answer).toContain(`\`${file.filename}\``);
    expect(answer).toContain('conversa direta com o Trilha');
    const rows = parseCsv(file.bytes, { bom: true }) as string[][];
    expect(rows.length).toBeGreaterThan(1);
    expect(fake.callsTo('conversations.open').at(-1)?.body.users).toBe('U-ADMIN');
  });

  it('GIVEN a member opens App Home THEN it is published with their progress and buttons for a review and the next lesson', async () => {
    const before = fake.callsTo('views.publish').length;
    await fake.sendEnvelope('events_api', fake.appHomeOpened({ userId: 'U-ANA' }));
    const call = await eventually(() => fake.callsTo('views.publish')[before]);
    expect(call.body.user_id).toBe('U-ANA');
    const view = call.body.view as { type: string; blocks: Record<string, unknown>[] };
    expect(view.type).toBe('home');
    const text = shown({ blocks: view.blocks });
    expect(text).toContain('Seu Trilha');
    // Her progress after the drop day (one right answer) and her place in the channel's cohort this week.
    expect(text).toContain('*XP:*');
    expect(text).toContain('*Revisões para hoje:*');
    expect(text).toContain('🥇 *Ana (você)*');
    expect(buttonIds({ method: 'views.publish', body: { blocks: view.blocks }, token: undefined })).toHaveLength(2);
  });

  it.each(['not_in_channel', 'channel_not_found', 'token_revoked'])(
    'GIVEN Slack refuses a drop (%s) THEN the drop stays claimed and a later tick posts it',
    async (error) => {
      await app.db.drop.deleteMany();
      const drops = scheduler(`test-${error}`);
      fake.failNext('chat.postMessage', error);
      const failed = await drops.tick(new Date());
      expect(failed).toMatchObject({ posted: 0, failed: 1 });
      const drop = await app.db.drop.findFirstOrThrow();
      expect([drop.status, drop.tries]).toEqual(['claimed', 1]);
      expect(drop.lastError).toContain(error);
      expect((await drops.tick(new Date())).posted).toBe(1);
    },
  );

  it('GIVEN Slack rate-limits a post (429, Retry-After) THEN the Web API client waits and the drop is posted in the same tick', async () => {
    await app.db.drop.deleteMany();
    const drops = scheduler('test-429');
    const before = fake.callsTo('chat.postMessage').length;
    fake.failNext('chat.postMessage', 'ratelimited', { retryAfter: 0 });
    expect(await drops.tick(new Date())).toMatchObject({ posted: 1, failed: 0 });
    const lessonCalls = fake
      .callsTo('chat.postMessage')
      .slice(before)
      .filter((call) => call.body.thread_ts === undefined);
    // The refused call and its retry, then nothing twice.
    expect(lessonCalls).toHaveLength(2);
    expect(await app.db.drop.count({ where: { status: 'posted' } })).toBe(1);
  });

  it("GIVEN the clock moved a day THEN the next lesson is posted and the day before's quiz closes with its summary in its thread", async () => {
    const drops = scheduler('test-3');
    const today = await app.db.drop.findFirstOrThrow({ where: { status: 'posted' } });
    const before = fake.callsTo('chat.postMessage').length;
    const result = await drops.tick(new Date(Date.now() + 86_400_000 + 60_000));
    expect(result).toMatchObject({ posted: 1, closed: 1, failed: 0 });
    const posts = fake.callsTo('chat.postMessage').slice(before);
    const summary = posts.find(
      (call) => call.body.thread_ts === today.messageRef && shown(call.body).includes('Resultado do quiz'),
    );
    expect(summary, 'summary in the closed quiz thread').toBeDefined();
    const lessons = app.services.curriculum.tracks[0]?.lessons ?? [];
    expect(
      posts.some(
        (call) => call.body.thread_ts === undefined && shown(call.body).includes(lessons[1]?.title['pt-BR'] ?? '?'),
      ),
    ).toBe(true);
  });
});

describe('Slack adapter in HTTP mode (real Bolt, signed requests)', () => {
  const secret = 'test-signing-secret';
  let world: SlackWorld;
  let fake: FakeSlack;
  let app: App;
  let url: string;

  beforeAll(async () => {
    world = await slackWorld({ signingSecret: secret, port: 0, host: '127.0.0.1' });
    ({ fake, app } = world);
    url = `http://127.0.0.1:${world.slack.port}/slack/events`;
  });
  afterAll(() => world?.close());

  it('GIVEN a correctly signed command THEN 200 and the answer goes to its response_url', async () => {
    const payload = fake.slashCommand({ text: 'ajuda', userId: 'U-ANA', channelId: 'C-GERAL' });
    const response = await signedRequest(url, secret, formBody(payload));
    expect(response.status).toBe(200);
    const id = String(payload.response_url).split('/').pop();
    const answer = await eventually(() => fake.responses.find((r) => r.id === id));
    expect(shown(answer.body)).toContain('/trilha perguntar');
  });

  it('GIVEN a click delivered twice (X-Slack-Retry-Num) THEN both get a 200 and the answer counts once', async () => {
    const fixture = await prepareDrop(app, 1, { platform: 'slack', workspace: fake.teamId, channel: 'C-GERAL' });
    const payload = fake.blockAction({
      userId: 'U0',
      channelId: 'C-GERAL',
      actionId: encodeAction({ kind: 'answer', postedQuestionId: fixture.postedQuestionIds[0] as string, choice: 1 }),
      messageTs: '1796000000.000009',
    });
    const body = interactivePayloadBody(payload);
    const id = String(payload.response_url).split('/').pop();
    expect((await signedRequest(url, secret, body)).status).toBe(200);
    const retry = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
    // Slack signs each delivery when it sends it, so a retry has a later timestamp and another signature (the same
    // signature again is a replay: answered 200 and not run, test/hostile/http-slack.test.ts).
    const later = { headers: retry, timestamp: Math.floor(Date.now() / 1000) + 1 };
    expect((await signedRequest(url, secret, body, later)).status).toBe(200);
    // Both deliveries carry the same response_url: two of its five uses.
    const feedback = await eventually(() => {
      const answers = fake.responses.filter((response) => response.id === id);
      return answers.length >= 2 && answers;
    });
    expect(shown(feedback[1]?.body ?? {})).toContain('Você já respondeu esta pergunta');
    expect(await app.db.attempt.count()).toBe(1);
  });

  it('GIVEN the click’s response_url refuses (used up) THEN the feedback falls back to chat.postEphemeral, in the thread', async () => {
    const fixture = await prepareDrop(app, 2, { platform: 'slack', workspace: 'T-OTHER', channel: 'C-GERAL' });
    const payload = fake.blockAction({
      teamId: 'T-OTHER',
      userId: 'U1',
      channelId: 'C-GERAL',
      actionId: encodeAction({ kind: 'answer', postedQuestionId: fixture.postedQuestionIds[0] as string, choice: 0 }),
      messageTs: '1796000000.000019',
      threadTs: '1796000000.000010',
    });
    const ephemerals = fake.callsTo('chat.postEphemeral').length;
    fake.failNextResponse(404);
    expect((await signedRequest(url, secret, interactivePayloadBody(payload))).status).toBe(200);
    const fallback = await eventually(() => fake.callsTo('chat.postEphemeral')[ephemerals]);
    expect(fallback.body).toMatchObject({ channel: 'C-GERAL', user: 'U1', thread_ts: '1796000000.000010' });
    expect(shown(fallback.body)).toMatch(/Certo|Não foi dessa vez|Not this time|Correct/);
  });

  it.each([
    ['stale (310 s old)', () => ({ timestamp: Math.floor(Date.now() / 1000) - 310 })],
    ['from the future (310 s ahead)', () => ({ timestamp: Math.floor(Date.now() / 1000) + 310 })],
    ['unsigned', () => ({ signature: '' })],
    ['signed with another secret', () => ({ signature: `v0=${'0'.repeat(64)}` })],
  ])('GIVEN a %s request THEN 401 and nothing runs', async (_, options) => {
    // Live-count updates of an earlier click may still arrive; anything else would mean the request ran.
    const ran = () => fake.calls.filter((call) => call.method !== 'chat.update').length + fake.responses.length;
    const calls = ran();
    const payload = fake.slashCommand({ text: 'ajuda', userId: 'U-ANA', channelId: 'C-GERAL' });
    const response = await signedRequest(url, secret, formBody(payload), options());
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ran()).toBe(calls);
  });

  it('GIVEN a body changed after signing THEN 401', async () => {
    const payload = fake.slashCommand({ text: 'ajuda', userId: 'U-ANA', channelId: 'C-GERAL' });
    const body = formBody(payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const { createHmac } = await import('node:crypto');
    const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const response = await signedRequest(url, secret, body.replace('ajuda', 'canal'), { timestamp, signature });
    expect(response.status).toBe(401);
  });
});

/** A tiny valid PNG (3×2 pixels), as a chart would be. */
function tinyPng(): Uint8Array {
  const png = new PNG({ width: 3, height: 2 });
  png.data.fill(120);
  return new Uint8Array(PNG.sync.write(png));
}

const csvFile: Attachment = {
  filename: 'meus-erros.csv',
  mimeType: 'text/csv',
  data: new TextEncoder().encode('front,back\nO que é uma imagem?,Um molde de containers\n'),
  title: 'Meus erros (Anki)',
};
const pngFile: Attachment = {
  filename: 'acerto-por-licao.png',
  mimeType: 'image/png',
  data: tinyPng(),
  title: 'Acerto na primeira tentativa por lição',
};

/** The engine's dispatcher, with some command texts answered by a script instead (`script` is set per test). */
class ScriptedDispatcher extends Dispatcher {
  script: (request: CommandRequest) => Reply[] | undefined = () => undefined;

  readonly #engine: Dispatcher;

  constructor(engine: App) {
    super({ services: engine.services, commands: engine.dispatcher.commands, actions: {}, logger: silentLogger() });
    this.#engine = engine.dispatcher;
  }

  override async command(request: CommandRequest): Promise<Reply[]> {
    return this.script(request) ?? this.#engine.command(request);
  }
}

describe('Slack adapter: files, direct messages and idempotent posts (real Bolt, fake Slack)', () => {
  let world: SlackWorld;
  let fake: FakeSlack;
  let app: App;
  let slack: SlackRuntime;
  let scripted: ScriptedDispatcher;
  const clock = new TestClock(slackSpeed);

  beforeAll(async () => {
    world = await slackWorld(
      { appToken: 'xapp-1-test-token', liveCountIntervalMs: 100 },
      (engine) => {
        scripted = new ScriptedDispatcher(engine);
        return { ...engine, dispatcher: scripted };
      },
      clock,
    );
    ({ fake, app, slack } = world);
    await fake.socketConnected();
  });
  afterAll(() => world?.close());
  beforeEach(() => {
    scripted.script = () => undefined;
  });

  /** Runs `/trilha <text>` and gives the ephemeral answers' bodies sent to the command's response_url. */
  async function command(userId: string, commandText: string, channelId = 'C-GERAL') {
    const payload = fake.slashCommand({ text: commandText, userId, channelId });
    const id = String(payload.response_url).split('/').pop();
    await fake.sendEnvelope('slash_commands', payload);
    return eventually(() => {
      const found = fake.responses.filter((response) => response.id === id);
      return found.length > 0 && found;
    });
  }

  const metadataOf = (call: RecordedCall | undefined) => call?.body.metadata as { event_payload?: { key?: string } };

  it('GIVEN a command whose private reply has a CSV THEN the CSV goes to the member’s direct messages and the ephemeral reply says so, in their language', async () => {
    scripted.script = (request) =>
      request.text === 'exportar'
        ? [
            {
              audience: { kind: 'private' },
              message: { headline: 'Seus erros', blocks: [text('Pronto.')], files: [csvFile] },
            },
          ]
        : undefined;
    const [answer] = await command('U-ANA', 'exportar');
    const file = await eventually(() => fake.uploadedFiles().find((f) => f.channel === fake.imOf('U-ANA')));
    expect(file).toMatchObject({ filename: 'meus-erros.csv', title: 'Meus erros (Anki)' });
    expect(file.threadTs).toBeUndefined();
    expect(Buffer.from(csvFile.data).equals(file.bytes)).toBe(true);
    expect(parseCsv(file.bytes)).toEqual([
      ['front', 'back'],
      ['O que é uma imagem?', 'Um molde de containers'],
    ]);
    // The files' message in the DM says what they are; the ephemeral reply keeps its text and names where they went.
    expect(file.initialComment).toBe('Seus erros');
    expect(fake.callsTo('conversations.open').at(-1)?.body.users).toBe('U-ANA');
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral' });
    expect(shown(answer?.body ?? {})).toContain('Pronto.');
    expect(shown(answer?.body ?? {})).toContain(
      'O arquivo `meus-erros.csv` foi para a sua conversa direta com o Trilha',
    );
    // Nothing was posted in the channel.
    expect(fake.messagesIn('C-GERAL').some((message) => message.fileIds)).toBe(false);

    const [english] = await command('U-BIA', 'exportar');
    expect(shown(english?.body ?? {})).toContain('The file `meus-erros.csv` went to your direct messages with Trilha');
    expect(fake.uploadedFiles().filter((f) => f.channel === fake.imOf('U-BIA'))).toHaveLength(1);
  });

  it('GIVEN the member’s direct messages refuse the upload THEN the ephemeral reply says the files were not sent', async () => {
    scripted.script = (request) =>
      request.text === 'exportar'
        ? [{ audience: { kind: 'private' }, message: { blocks: [], files: [csvFile] } }]
        : undefined;
    fake.failNext('files.completeUploadExternal', 'file_uploads_disabled');
    const [answer] = await command('U-CAU', 'exportar');
    expect(shown(answer?.body ?? {})).toContain('Não consegui enviar `meus-erros.csv` (file_uploads_disabled)');
  });

  it('GIVEN a reply in a thread with a PNG THEN its text is posted in the thread and the PNG uploaded in the same thread', async () => {
    const parent = await slack.notifier.post({ channelRef: 'C-GERAL' }, { blocks: [text('A lição de hoje')] });
    scripted.script = (request) =>
      request.text === 'grafico'
        ? [
            {
              audience: { kind: 'thread', postRef: parent.postRef },
              message: { headline: 'Gráfico da semana', blocks: [context('Acerto por lição')], files: [pngFile] },
            },
          ]
        : undefined;
    const posts = fake.callsTo('chat.postMessage').length;
    // A reply for everyone: nothing goes to the response_url.
    await fake.sendEnvelope(
      'slash_commands',
      fake.slashCommand({ text: 'grafico', userId: 'U-ANA', channelId: 'C-GERAL' }),
    );
    const file = await eventually(() => fake.uploadedFiles().find((f) => f.filename === 'acerto-por-licao.png'));
    expect(file).toMatchObject({ channel: 'C-GERAL', threadTs: parent.postRef, altText: pngFile.title });
    expect(PNG.sync.read(file.bytes)).toMatchObject({ width: 3, height: 2 });
    const post = fake.callsTo('chat.postMessage').slice(posts)[0];
    expect(post?.body).toMatchObject({ channel: 'C-GERAL', thread_ts: parent.postRef });
    expect(shown(post?.body ?? {})).toContain('Gráfico da semana');
    // In the thread: the lesson, the reply's text, then the file's share.
    const thread = fake.messagesIn('C-GERAL').filter((m) => m.ts === parent.postRef || m.threadTs === parent.postRef);
    expect(thread.map((m) => (m.fileIds ? 'files' : m.text.split('\n')[0]))).toEqual([
      'A lição de hoje',
      'Gráfico da semana',
      'files',
    ]);
  });

  it('GIVEN notifier.direct THEN the member’s IM is opened and the message (with its file) goes there', async () => {
    const message: Message = {
      headline: 'Lembrete',
      blocks: [text('Você tem 3 revisões para hoje.')],
      files: [pngFile],
    };
    const sent = await slack.notifier.direct('U-BIA', message);
    const im = fake.imOf('U-BIA');
    expect(fake.callsTo('conversations.open').at(-1)?.body.users).toBe('U-BIA');
    expect(sent).toEqual({ postRef: expect.any(String), threadRef: sent.postRef });
    const kept = fake.messagesIn(im).find((m) => m.ts === sent.postRef);
    expect(kept?.text).toContain('Você tem 3 revisões para hoje.');
    // Its file follows it in the IM (after the earlier test's CSV there).
    const files = fake.uploadedFiles().filter((f) => f.channel === im && Number(f.messageTs) > Number(sent.postRef));
    expect(files.map((f) => f.filename)).toEqual(['acerto-por-licao.png']);
    await expect(slack.notifier.direct('U-NOBODY', message)).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('GIVEN a keyed post made but not recorded THEN the retry finds it by its metadata and posts nothing again', async () => {
    const message: Message = { headline: 'Temporada', blocks: [text('Ranking da semana')] };
    const target = { channelRef: 'C-GERAL', key: 'season:c1:2026-W48' };
    const first = await slack.notifier.post(target, message);
    const posts = fake.callsTo('chat.postMessage').length;
    const histories = fake.callsTo('conversations.history').length;
    // The process "died" before recording `first`: the next try says so with `retry`.
    const again = await slack.notifier.post({ ...target, retry: true }, message);
    expect(again).toEqual(first);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(posts);
    const lookups = fake.callsTo('conversations.history').slice(histories);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.body).toMatchObject({ channel: 'C-GERAL', include_all_metadata: 'true', limit: '100' });
    expect(Number(lookups[0]?.body.oldest)).toBeLessThan(Date.now() / 1000 - 2 * 86_400 + 60);
  });

  it('GIVEN a keyed thread post made but not recorded THEN the retry looks in the thread (conversations.replies)', async () => {
    const lesson = await slack.notifier.post(
      { channelRef: 'C-GERAL', key: 'drop:thread-test' },
      { blocks: [text('Lição')] },
    );
    const target = { channelRef: 'C-GERAL', threadOf: lesson.postRef, key: 'question:thread-test' };
    const first = await slack.notifier.post(target, { blocks: [text('Pergunta 1')] });
    const posts = fake.callsTo('chat.postMessage').length;
    const again = await slack.notifier.post({ ...target, retry: true }, { blocks: [text('Pergunta 1')] });
    expect(again).toEqual({ postRef: first.postRef, threadRef: lesson.postRef });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(posts);
    expect(fake.callsTo('conversations.replies').at(-1)?.body).toMatchObject({
      ts: lesson.postRef,
      include_all_metadata: 'true',
    });
  });

  it('GIVEN a keyed post with retry and no earlier try THEN it is posted once, with its key in the metadata', async () => {
    const posts = fake.callsTo('chat.postMessage').length;
    const sent = await slack.notifier.post(
      { channelRef: 'C-GERAL', key: 'end:never-posted', retry: true },
      { blocks: [text('Fim da trilha')] },
    );
    const calls = fake.callsTo('chat.postMessage').slice(posts);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body.metadata).toEqual({ event_type: postEventType, event_payload: { key: 'end:never-posted' } });
    expect(fake.messagesIn('C-GERAL').find((m) => m.ts === sent.postRef)?.metadata?.event_payload.key).toBe(
      'end:never-posted',
    );
  });

  it('GIVEN the earlier try is more than a page back THEN the look-up pages on and still finds it', async () => {
    const target = { channelRef: 'C-GERAL', key: 'summary:paged' };
    const first = await slack.notifier.post(target, { blocks: [text('Resultado do quiz')] });
    // Members' chatter, a message a second as Slack lets it in (the fake's clock moves, no waiting).
    for (let i = 0; i < 120; i += 1) {
      clock.advance(1000);
      await slack.bolt.client.chat.postMessage({ channel: 'C-GERAL', text: `papo ${i}` });
    }
    const histories = fake.callsTo('conversations.history').length;
    const posts = fake.callsTo('chat.postMessage').length;
    expect(await slack.notifier.post({ ...target, retry: true }, { blocks: [text('Resultado do quiz')] })).toEqual(
      first,
    );
    expect(fake.callsTo('chat.postMessage')).toHaveLength(posts);
    const lookups = fake.callsTo('conversations.history').slice(histories);
    expect(lookups).toHaveLength(2);
    expect(lookups[1]?.body.cursor).toEqual(expect.any(String));
  });

  it('GIVEN the post went out but its file upload failed THEN the retry uploads only the file', async () => {
    const target = { channelRef: 'C-GERAL', key: 'season:c1:2026-W49' };
    const message: Message = { headline: 'Temporada', blocks: [text('Ranking')], files: [pngFile] };
    const posts = fake.callsTo('chat.postMessage').length;
    const files = fake.uploadedFiles().length;
    fake.failNext('files.completeUploadExternal', 'internal_error');
    await expect(slack.notifier.post(target, message)).rejects.toMatchObject({ data: { error: 'internal_error' } });
    expect(fake.uploadedFiles()).toHaveLength(files);
    const again = await slack.notifier.post({ ...target, retry: true }, message);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(posts + 1);
    const shared = fake.uploadedFiles().slice(files);
    expect(shared).toMatchObject([{ filename: 'acerto-por-licao.png', channel: 'C-GERAL' }]);
    expect(shared[0]?.threadTs).toBeUndefined();
    // A third try finds the post and its file: nothing more.
    expect(await slack.notifier.post({ ...target, retry: true }, message)).toEqual(again);
    expect(fake.uploadedFiles().slice(files)).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(posts + 1);
  });

  it('GIVEN the look-up fails (a missing history scope) THEN the post is made anyway', async () => {
    const posts = fake.callsTo('chat.postMessage').length;
    fake.failNext('conversations.history', 'missing_scope');
    await slack.notifier.post({ channelRef: 'C-GERAL', key: 'drop:no-scope', retry: true }, { blocks: [text('x')] });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(posts + 1);
  });

  it('GIVEN a drop posted by a process that died before recording it THEN the next scheduler finds every post by its key: no second lesson nor question', async () => {
    await command('U-ADMIN', 'canal horario 00:00');
    await command('U-ADMIN', 'canal dias todos');
    const first = new DropScheduler({
      services: app.services,
      notifier: slack.notifier,
      logger: silentLogger(),
      owner: 'a',
    });
    const before = fake.callsTo('chat.postMessage').length;
    expect((await first.tick(new Date())).posted).toBe(1);
    const posted = fake.callsTo('chat.postMessage').slice(before);
    const drop = await app.db.drop.findFirstOrThrow();
    const questions = await app.db.postedQuestion.findMany({ where: { dropId: drop.id } });
    // Every post of the drop carries its key.
    expect(posted.map((call) => metadataOf(call)?.event_payload?.key)).toEqual([
      `drop:${drop.id}`,
      ...[...questions].sort((a, b) => a.position - b.position).map((q) => `question:${q.id}`),
    ]);
    expect(posted.every((call) => (call.body.metadata as { event_type?: string }).event_type === postEventType)).toBe(
      true,
    );

    // The process died after posting, before recording: the claim is still its own, nothing is recorded.
    await app.db.postedQuestion.updateMany({ where: { dropId: drop.id }, data: { messageRef: null } });
    await app.db.drop.update({
      where: { id: drop.id },
      data: {
        status: 'claimed',
        claimedBy: 'a',
        claimedAt: new Date(Date.now() - staleClaimMs - 60_000),
        messageRef: null,
        threadRef: null,
        postedAt: null,
        closesAt: null,
      },
    });
    const second = new DropScheduler({
      services: app.services,
      notifier: slack.notifier,
      logger: silentLogger(),
      owner: 'b',
    });
    const after = fake.callsTo('chat.postMessage').length;
    expect((await second.tick(new Date())).posted).toBe(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(after);
    const recorded = await app.db.drop.findUniqueOrThrow({ where: { id: drop.id } });
    expect([recorded.status, recorded.messageRef]).toEqual(['posted', drop.messageRef]);
    const refs = await app.db.postedQuestion.findMany({ where: { dropId: drop.id } });
    expect(refs.map((q) => q.messageRef).sort()).toEqual(questions.map((q) => q.messageRef).sort());
  });
});
