/**
 * The fake Slack (test/fakes/slack.ts) proven against the real @slack/bolt: Socket Mode envelopes and acks, Web API
 * calls recorded and failures injected, a reconnect after Slack's `disconnect` frame, and HTTP mode's request signing;
 * and against the real WebClient: direct messages (`conversations.open`), message metadata read back through
 * `conversations.history`/`conversations.replies` with their paging, and files through the external upload
 * (`filesUploadV2`: `files.getUploadURLExternal`, the upload URL, `files.completeUploadExternal`).
 */
import type { AddressInfo } from 'node:net';
import { App, type BlockAction, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { TestClock } from './clock.ts';
import {
  type FakeSlack,
  formBody,
  interactivePayloadBody,
  signedRequest,
  slackBudgets,
  slackSignature,
  startFakeSlack,
} from './slack.ts';

const users = { 'U-ANA': { name: 'Ana', locale: 'pt-BR' }, 'U-ADMIN': { name: 'Admin', is_admin: true } };
const channels = { 'C-GERAL': { name: 'geral', is_member: true }, 'C-OUT': { name: 'fora', is_member: false } };
const quiet = { retryConfig: { retries: 0 } };

/** app.stop() resolves before the socket is closed (notes, gotcha B1.5), so also wait for the client and the fake. */
async function stopSocketApp(app: App, fake: FakeSlack): Promise<void> {
  // `receiver` is private in Bolt's typings; the Socket Mode client behind it is what emits `disconnected`.
  const client = (app as unknown as { receiver: SocketModeReceiver }).receiver.client;
  const disconnected = new Promise<void>((resolve) => client.once('disconnected', () => resolve()));
  await app.stop();
  await disconnected;
  await fake.socketsClosed();
}

function socketApp(fake: FakeSlack, errors: unknown[]): App {
  const app = new App({
    token: 'xoxb-fake',
    appToken: 'xapp-1-fake',
    socketMode: true,
    clientOptions: { slackApiUrl: fake.apiUrl, ...quiet },
    logLevel: LogLevel.ERROR,
  });
  app.command('/trilha', async ({ ack, respond, client, command }) => {
    await ack();
    if (command.text === 'respond') {
      await respond({ text: 'via response_url', response_type: 'ephemeral' });
      return;
    }
    try {
      await client.chat.postEphemeral({ channel: command.channel_id, user: command.user_id, text: 'hi' });
    } catch (error) {
      errors.push(error);
    }
  });
  app.action<BlockAction>(/.*/, async ({ ack, client, body }) => {
    await ack();
    await client.chat.update({ channel: body.container.channel_id, ts: body.container.message_ts, text: 'updated' });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
  });
  return app;
}

describe('fake Slack: Socket Mode through the real Bolt', () => {
  let fake: FakeSlack;
  let app: App;
  let errors: unknown[];

  beforeEach(async () => {
    fake = await startFakeSlack({ users, channels });
    errors = [];
    app = socketApp(fake, errors);
    await app.start();
  });

  afterEach(async () => {
    await stopSocketApp(app, fake);
    await fake.close();
  });

  it('GIVEN app.start THEN Bolt ran auth.test with the bot token and opened the socket with the app token', async () => {
    await fake.socketConnected();
    expect(fake.callsTo('auth.test')[0]?.token).toBe('xoxb-fake');
    expect(fake.callsTo('apps.connections.open').map((call) => call.token)).toEqual(['xapp-1-fake']);
  });

  it('GIVEN a slash command envelope THEN the ack frame comes back and chat.postEphemeral is recorded', async () => {
    const payload = fake.slashCommand({ text: 'hoje', userId: 'U-ANA', channelId: 'C-GERAL' });
    const ack = await fake.sendEnvelope('slash_commands', payload);
    expect(ack.payload).toEqual({});
    expect(fake.acks.map((frame) => frame.envelope_id)).toEqual([ack.envelope_id]);
    const call = await eventually(() => fake.callsTo('chat.postEphemeral')[0]);
    expect(call.token).toBe('xoxb-fake');
    // Bolt adds team_id to every call made through the listener's client.
    expect(call.body).toMatchObject({ channel: 'C-GERAL', user: 'U-ANA', text: 'hi', team_id: fake.teamId });
  });

  it('GIVEN respond() in a slash command THEN the JSON lands on the fake response_url', async () => {
    const payload = fake.slashCommand({ text: 'respond', userId: 'U-ANA', channelId: 'C-GERAL' });
    await fake.sendEnvelope('slash_commands', payload);
    const response = await eventually(() => fake.responses[0]);
    expect(payload.response_url).toBe(fake.responseUrl(response.id));
    expect(response.body).toEqual({ text: 'via response_url', response_type: 'ephemeral' });
  });

  it('GIVEN a block action envelope THEN it is acked and chat.update is recorded for that message', async () => {
    const payload = fake.blockAction({
      userId: 'U-ANA',
      channelId: 'C-GERAL',
      actionId: 'quiz:answer',
      value: '2',
      messageTs: '1700000000.000100',
    });
    const ack = await fake.sendEnvelope('interactive', payload);
    expect(ack.payload).toEqual({});
    const call = await eventually(() => fake.callsTo('chat.update')[0]);
    expect(call.body).toMatchObject({ channel: 'C-GERAL', ts: '1700000000.000100', text: 'updated' });
  });

  it('GIVEN an app_home_opened event THEN it is acked and views.publish carries the view as an object', async () => {
    await fake.sendEnvelope('events_api', fake.appHomeOpened({ userId: 'U-ANA' }));
    const call = await eventually(() => fake.callsTo('views.publish')[0]);
    expect(call.body).toMatchObject({ user_id: 'U-ANA', view: { type: 'home', blocks: [] } });
  });

  it('GIVEN failNext not_in_channel THEN the Web API call rejects with data.error not_in_channel', async () => {
    fake.failNext('chat.postEphemeral', 'not_in_channel');
    await fake.sendEnvelope('slash_commands', fake.slashCommand({ userId: 'U-ANA', channelId: 'C-OUT' }));
    const error = (await eventually(() => errors[0])) as webApi.WebAPIPlatformError;
    expect(error.code).toBe(webApi.ErrorCode.PlatformError);
    expect(error.data.error).toBe('not_in_channel');
    // The failure is used up: the next call succeeds.
    await fake.sendEnvelope('slash_commands', fake.slashCommand({ userId: 'U-ANA', channelId: 'C-OUT' }));
    await eventually(() => fake.callsTo('chat.postEphemeral')[1]);
    expect(errors).toHaveLength(1);
  });

  it('GIVEN no listener acks THEN sendEnvelope rejects after its timeout', async () => {
    const unknown = fake.slashCommand({ command: '/other', userId: 'U-ANA', channelId: 'C-GERAL' });
    await expect(fake.sendEnvelope('slash_commands', unknown, { timeoutMs: 100 })).rejects.toThrow(/no ack/);
  });
});

describe('fake Slack: Socket Mode reconnect', () => {
  it('GIVEN a disconnect frame THEN the client reconnects through a fresh apps.connections.open', async () => {
    const fake = await startFakeSlack();
    // The App constructor cannot shorten the reconnect delay (clientPingTimeout × failures, 5 s by default), and a
    // custom receiver does not inherit App.clientOptions, so the API URL goes in installerOptions as well.
    const receiver = new SocketModeReceiver({
      appToken: 'xapp-1-fake',
      clientPingTimeout: 300,
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl, ...quiet } },
      logLevel: LogLevel.ERROR,
    });
    const app = new App({
      token: 'xoxb-fake',
      receiver,
      clientOptions: { slackApiUrl: fake.apiUrl, ...quiet },
      logLevel: LogLevel.ERROR,
    });
    app.command('/trilha', async ({ ack }) => {
      await ack({ text: 'again' });
    });
    try {
      await app.start();
      fake.disconnectSocket('refresh_requested');
      await fake.socketConnected({ count: 2 });
      expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
      const ack = await fake.sendEnvelope('slash_commands', fake.slashCommand({ userId: 'U-1', channelId: 'C-1' }));
      expect(ack.payload).toEqual({ text: 'again' });
    } finally {
      await stopSocketApp(app, fake);
      await fake.close();
    }
  });
});

describe('fake Slack: Web API', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack({ users, channels });
    client = new webApi.WebClient('xoxb-fake', {
      slackApiUrl: fake.apiUrl,
      ...quiet,
      rejectRateLimitedCalls: true,
      logLevel: webApi.LogLevel.ERROR,
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('GIVEN chat.postMessage calls THEN each gets a fresh increasing ts and blocks are recorded as JSON', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
    const first = await client.chat.postMessage({ channel: 'C-GERAL', text: 'hi', blocks });
    const second = await client.chat.postMessage({ channel: 'C-GERAL', text: 'reply', thread_ts: first.ts });
    // Slack's ts: when it was posted, Unix seconds with microseconds.
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Math.abs(Number(first.ts) - Date.now() / 1000)).toBeLessThan(5);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(second.message?.thread_ts).toBe(first.ts);
    expect(fake.callsTo('chat.postMessage')[0]?.body.blocks).toEqual(blocks);
    await expect(client.chat.postMessage({ channel: 'C-OUT', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
  });

  it('GIVEN users.info THEN the locale comes only with include_locale and unknown users are not found', async () => {
    const withLocale = await client.users.info({ user: 'U-ANA', include_locale: true });
    expect(withLocale.user).toMatchObject({ id: 'U-ANA', name: 'Ana', locale: 'pt-BR', is_admin: false });
    const admin = await client.users.info({ user: 'U-ADMIN' });
    expect(admin.user?.is_admin).toBe(true);
    expect(admin.user?.locale).toBeUndefined();
    await expect(client.users.info({ user: 'U-NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('GIVEN conversations.info and an unknown method THEN the fake answers like Slack', async () => {
    const info = await client.conversations.info({ channel: 'C-OUT' });
    expect(info.channel).toMatchObject({ id: 'C-OUT', name: 'fora', is_member: false });
    await expect(client.apiCall('nope.nothing')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('GIVEN failNext ratelimited THEN the call gets HTTP 429 with Retry-After', async () => {
    fake.failNext('chat.postMessage', 'ratelimited', { retryAfter: 2 });
    await expect(client.chat.postMessage({ channel: 'C-GERAL', text: 'x' })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 2,
    });
  });

  it('GIVEN failNext invalid_auth or an HTTP status THEN the client sees a platform or an HTTP error', async () => {
    fake.failNext('auth.test', 'invalid_auth');
    await expect(client.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    fake.failNext('chat.update', 'internal_error', { status: 500 });
    await expect(client.chat.update({ channel: 'C-GERAL', ts: '1.2', text: 'x' })).rejects.toMatchObject({
      code: webApi.ErrorCode.HTTPError,
      statusCode: 500,
    });
    expect(fake.callsTo('chat.update')).toHaveLength(1);
  });

  it('GIVEN an app token on a bot method or a bot token on apps.connections.open THEN not_allowed_token_type', async () => {
    const appClient = new webApi.WebClient('xapp-1-fake', { slackApiUrl: fake.apiUrl, ...quiet });
    await expect(appClient.chat.postMessage({ channel: 'C-GERAL', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    await expect(client.apps.connections.open({})).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
  });
});

describe('fake Slack: HTTP mode request signing through the real Bolt', () => {
  const signingSecret = 'fake-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let url: string;

  beforeEach(async () => {
    fake = await startFakeSlack({ users, channels });
    app = new App({
      token: 'xoxb-fake',
      signingSecret,
      clientOptions: { slackApiUrl: fake.apiUrl, ...quiet },
      logLevel: LogLevel.ERROR,
    });
    app.command('/trilha', async ({ ack, client, command }) => {
      await ack();
      await client.chat.postEphemeral({ channel: command.channel_id, user: command.user_id, text: 'hi' });
    });
    app.action<BlockAction>(/.*/, async ({ ack }) => {
      await ack();
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    await app.stop();
    await fake.close();
  });

  const command = (): string => formBody(fake.slashCommand({ userId: 'U-ANA', channelId: 'C-GERAL' }));

  it('GIVEN a signed slash command THEN 200 and the listener runs', async () => {
    const response = await signedRequest(url, signingSecret, command());
    expect(response.status).toBe(200);
    const call = await eventually(() => fake.callsTo('chat.postEphemeral')[0]);
    expect(call.body).toMatchObject({ channel: 'C-GERAL', user: 'U-ANA', text: 'hi' });
  });

  it('GIVEN a signed block action payload THEN 200', async () => {
    const payload = fake.blockAction({ userId: 'U-ANA', channelId: 'C-GERAL', actionId: 'a', messageTs: '1.2' });
    const response = await signedRequest(url, signingSecret, interactivePayloadBody(payload));
    expect(response.status).toBe(200);
  });

  it('GIVEN unsigned, stale (301 s) or tampered requests THEN 401 and no listener runs', async () => {
    const unsigned = await signedRequest(url, signingSecret, command(), { signature: null, timestamp: null });
    const stale = await signedRequest(url, signingSecret, command(), {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const ts = Math.floor(Date.now() / 1000);
    const original = command();
    const tampered = await signedRequest(url, signingSecret, original.replace('U-ANA', 'U-ADMIN'), {
      timestamp: ts,
      signature: slackSignature(signingSecret, ts, original),
    });
    const wrongSecret = await signedRequest(url, 'not-the-secret', command());
    expect([unsigned.status, stale.status, tampered.status, wrongSecret.status]).toEqual([401, 401, 401, 401]);
    expect(fake.calls.map((call) => call.method)).toEqual(['auth.test']);
  });
});

/** A tiny valid PNG (2×2 pixels), as a chart would be. */
function tinyPng(): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

describe('fake Slack: direct messages, message metadata and history through the real WebClient', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  let clock: TestClock;

  beforeEach(async () => {
    clock = new TestClock();
    fake = await startFakeSlack({ users, channels, clock });
    client = new webApi.WebClient('xoxb-fake', { slackApiUrl: fake.apiUrl, ...quiet, logLevel: webApi.LogLevel.ERROR });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('GIVEN conversations.open for a member THEN the same IM every time, and posts to it are kept', async () => {
    const first = await client.conversations.open({ users: 'U-ANA' });
    expect(first.channel?.id).toBe(fake.imOf('U-ANA'));
    expect(first.channel?.id).toMatch(/^D/);
    expect(first.already_open).toBeUndefined();
    const again = await client.conversations.open({ users: 'U-ANA', return_im: true });
    expect(again).toMatchObject({ already_open: true, channel: { id: first.channel?.id, is_im: true, user: 'U-ANA' } });
    const posted = await client.chat.postMessage({ channel: fake.imOf('U-ANA'), text: 'olá' });
    expect(fake.messagesIn(fake.imOf('U-ANA'))).toMatchObject([{ ts: posted.ts, text: 'olá' }]);
  });

  it('GIVEN an unknown member, the bot itself, no users or an IM never opened THEN Slack’s errors', async () => {
    await expect(client.conversations.open({ users: 'U-NOBODY' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
    await expect(client.conversations.open({ users: fake.botUserId })).rejects.toMatchObject({
      data: { error: 'cannot_dm_bot' },
    });
    await expect(client.conversations.open({ users: '' })).rejects.toMatchObject({
      data: { error: 'users_list_not_supplied' },
    });
    await expect(client.chat.postMessage({ channel: fake.imOf('U-ADMIN'), text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });

  it('GIVEN a post with metadata THEN history returns the metadata only with include_all_metadata; bad metadata is refused', async () => {
    const metadata = { event_type: 'trilha_post', event_payload: { key: 'drop:1' } };
    const posted = await client.chat.postMessage({ channel: 'C-GERAL', text: 'lesson', metadata });
    expect(fake.callsTo('chat.postMessage')[0]?.body.metadata).toEqual(metadata);
    const plain = await client.conversations.history({ channel: 'C-GERAL' });
    expect(plain.messages?.[0]).toMatchObject({ ts: posted.ts, text: 'lesson' });
    expect(plain.messages?.[0]?.metadata).toBeUndefined();
    const full = await client.conversations.history({ channel: 'C-GERAL', include_all_metadata: true });
    expect(full.messages?.[0]?.metadata).toEqual(metadata);
    await expect(
      client.apiCall('chat.postMessage', { channel: 'C-GERAL', text: 'x', metadata: { event_payload: {} } }),
    ).rejects.toMatchObject({ data: { error: 'invalid_metadata_format' } });
  });

  it('GIVEN more messages than a page THEN history pages newest first with has_more and next_cursor, top-level only', async () => {
    const top: string[] = [];
    // Five posts and a thread reply in one channel: one more than chat.postMessage's burst, so a second apart.
    for (let i = 0; i < 5; i += 1) {
      top.push((await client.chat.postMessage({ channel: 'C-GERAL', text: `m${i}` })).ts as string);
    }
    clock.advance(1000);
    await client.chat.postMessage({ channel: 'C-GERAL', text: 'in the thread', thread_ts: top[0] });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.conversations.history({ channel: 'C-GERAL', limit: 2, ...(cursor ? { cursor } : {}) });
      pages += 1;
      seen.push(...(page.messages ?? []).map((message) => message.ts as string));
      cursor = page.response_metadata?.next_cursor;
      expect(page.has_more).toBe(Boolean(cursor));
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...top].reverse());
    // The thread's parent says it has a reply; the reply itself is not in the channel's history.
    const parent = (await client.conversations.history({ channel: 'C-GERAL' })).messages?.at(-1);
    expect(parent).toMatchObject({ ts: top[0], reply_count: 1 });
    // oldest/latest are exclusive unless inclusive.
    const after = await client.conversations.history({ channel: 'C-GERAL', oldest: top[2] });
    expect(after.messages?.map((message) => message.ts)).toEqual([top[4], top[3]]);
    const from = await client.conversations.history({ channel: 'C-GERAL', oldest: top[2], inclusive: true });
    expect(from.messages).toHaveLength(3);
    await expect(client.conversations.history({ channel: 'C-GERAL', cursor: 'bm9wZQ==' })).rejects.toMatchObject({
      data: { error: 'invalid_cursor' },
    });
    await expect(client.conversations.history({ channel: 'C-OUT' })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
  });

  it('GIVEN a thread THEN replies gives the parent then the replies, oldest first, paged, metadata only when asked', async () => {
    const parent = (await client.chat.postMessage({ channel: 'C-GERAL', text: 'lesson' })).ts as string;
    const replies: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const metadata = { event_type: 'trilha_post', event_payload: { key: `question:${i}` } };
      replies.push(
        (await client.chat.postMessage({ channel: 'C-GERAL', text: `q${i}`, thread_ts: parent, metadata }))
          .ts as string,
      );
    }
    const first = await client.conversations.replies({ channel: 'C-GERAL', ts: parent, limit: 2 });
    expect(first.messages?.map((message) => message.ts)).toEqual([parent, replies[0]]);
    expect(first.has_more).toBe(true);
    expect(first.messages?.[1]?.metadata).toBeUndefined();
    const second = await client.conversations.replies({
      channel: 'C-GERAL',
      ts: parent,
      limit: 2,
      cursor: first.response_metadata?.next_cursor as string,
      include_all_metadata: true,
    });
    expect(second.messages?.map((message) => message.ts)).toEqual([replies[1], replies[2]]);
    expect(second.has_more).toBe(false);
    expect(second.messages?.[1]?.metadata).toEqual({ event_type: 'trilha_post', event_payload: { key: 'question:2' } });
    // A reply's ts gives the whole thread too.
    const whole = await client.conversations.replies({ channel: 'C-GERAL', ts: replies[1] as string });
    expect(whole.messages).toHaveLength(4);
    await expect(client.conversations.replies({ channel: 'C-GERAL', ts: '1.000001' })).rejects.toMatchObject({
      data: { error: 'thread_not_found' },
    });
  });
});

describe('fake Slack: files through the external upload and the real WebClient', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  let clock: TestClock;

  beforeEach(async () => {
    clock = new TestClock();
    fake = await startFakeSlack({ users, channels, clock });
    client = new webApi.WebClient('xoxb-fake', { slackApiUrl: fake.apiUrl, ...quiet, logLevel: webApi.LogLevel.ERROR });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('GIVEN filesUploadV2 with a CSV and a PNG in a thread THEN both bytes arrive and are shared there as one message', async () => {
    const parent = (await client.chat.postMessage({ channel: 'C-GERAL', text: 'recap' })).ts as string;
    const csv = Buffer.from('front,back\nque é um container?,um processo isolado\n');
    const png = tinyPng();
    await client.filesUploadV2({
      channel_id: 'C-GERAL',
      thread_ts: parent,
      file_uploads: [
        { file: csv, filename: 'misses.csv', title: 'Erros' },
        { file: png, filename: 'chart.png', title: 'Acerto por lição', alt_text: 'Acerto por lição' },
      ],
    });
    const asked = fake.callsTo('files.getUploadURLExternal').map((call) => call.body);
    expect(asked).toMatchObject([
      { filename: 'misses.csv', length: String(csv.length) },
      { filename: 'chart.png', length: String(png.length), alt_text: 'Acerto por lição' },
    ]);
    const completed = fake.callsTo('files.completeUploadExternal');
    expect(completed).toHaveLength(1);
    expect(completed[0]?.body).toMatchObject({ channel_id: 'C-GERAL', thread_ts: parent });
    const files = fake.uploadedFiles();
    expect(files.map((file) => [file.filename, file.title, file.channel, file.threadTs, file.encoding])).toEqual([
      ['misses.csv', 'Erros', 'C-GERAL', parent, 'multipart'],
      ['chart.png', 'Acerto por lição', 'C-GERAL', parent, 'multipart'],
    ]);
    expect(files[0]?.bytes.equals(csv)).toBe(true);
    expect(files[1]?.bytes.equals(png)).toBe(true);
    expect(PNG.sync.read(files[1]?.bytes as Buffer).width).toBe(2);
    // @slack/web-api sends `alt_text`; Slack reads `alt_txt`: the description does not arrive this way.
    expect(files[1]?.altText).toBeUndefined();
    // Slack shares asynchronously: the thread shows no share at first…
    const before = await client.conversations.replies({ channel: 'C-GERAL', ts: parent });
    expect(before.messages).toHaveLength(1);
    // …and, once shared, a reply in the thread carrying both files.
    clock.advance(2000);
    const thread = await client.conversations.replies({ channel: 'C-GERAL', ts: parent });
    expect(thread.messages?.[1]?.files?.map((file) => file.name)).toEqual(['misses.csv', 'chart.png']);
  });

  it('GIVEN the bytes POSTed raw to the upload URL THEN they are kept as they came', async () => {
    const data = Buffer.from('{"member":"ana"}');
    const ticket = await client.files.getUploadURLExternal({ filename: 'me.json', length: data.length });
    const upload = await fetch(ticket.upload_url as string, { method: 'POST', body: data });
    expect(upload.status).toBe(200);
    await client.files.completeUploadExternal({ files: [{ id: ticket.file_id as string }], channel_id: 'C-GERAL' });
    expect(fake.uploadedFiles()[0]).toMatchObject({ filename: 'me.json', title: 'me.json', encoding: 'raw' });
    expect(fake.uploadedFiles()[0]?.bytes.equals(data)).toBe(true);
    expect((await fetch(`${fake.baseUrl}/upload/v1/nope`, { method: 'POST', body: data })).status).toBe(404);
  });

  it('GIVEN bad arguments THEN the errors Slack documents', async () => {
    const refuses = (method: string, args: Record<string, unknown>, error: string) =>
      expect(client.apiCall(method, args)).rejects.toMatchObject({ data: { error } });
    await refuses('files.getUploadURLExternal', { length: 3 }, 'invalid_arguments');
    await refuses('files.getUploadURLExternal', { filename: 'a.csv' }, 'invalid_arguments');
    await refuses('files.getUploadURLExternal', { filename: 'a.csv', length: 0 }, 'missing_argument');
    await refuses(
      'files.getUploadURLExternal',
      { filename: 'a.png', length: 3, alt_txt: 'x'.repeat(1001) },
      'alt_txt_too_large',
    );
    await refuses('files.completeUploadExternal', { channel_id: 'C-GERAL' }, 'invalid_arguments');
    await refuses('files.completeUploadExternal', { files: [{ id: 'F404' }] }, 'file_not_found');
    // Not uploaded yet: not found either.
    const ticket = await client.files.getUploadURLExternal({ filename: 'a.csv', length: 3 });
    const files = [{ id: ticket.file_id as string }];
    await refuses('files.completeUploadExternal', { files }, 'file_not_found');
    await fetch(ticket.upload_url as string, { method: 'POST', body: 'a,b' });
    await refuses('files.completeUploadExternal', { files, channel_id: 'C-OUT' }, 'not_in_channel');
    await refuses(
      'files.completeUploadExternal',
      { files, channel_id: 'C-GERAL', thread_ts: '1.000001' },
      'invalid_thread_ts',
    );
    await refuses('files.completeUploadExternal', { files, channel_id: fake.imOf('U-ANA') }, 'channel_not_found');
    await client.files.completeUploadExternal({ files: [{ id: ticket.file_id as string }], channel_id: 'C-GERAL' });
    // Only once.
    await refuses('files.completeUploadExternal', { files, channel_id: 'C-GERAL' }, 'file_not_found');
    expect(fake.uploadedFiles()).toHaveLength(1);
  });
});

describe("fake Slack: Slack's budgets through the real WebClient", () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  let clock: TestClock;

  beforeEach(async () => {
    clock = new TestClock();
    fake = await startFakeSlack({ users, channels, clock });
    // A 429 thrown, not waited out: the test sees each refusal.
    client = new webApi.WebClient('xoxb-fake', {
      slackApiUrl: fake.apiUrl,
      ...quiet,
      rejectRateLimitedCalls: true,
      logLevel: webApi.LogLevel.ERROR,
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  const limited = { code: webApi.ErrorCode.RateLimitedError };

  it('GIVEN a tier used up within a minute THEN 429 with Retry-After for that method only, until the window frees a call', async () => {
    for (let i = 0; i < slackBudgets.perMinute['chat.update']!; i += 1) {
      await client.chat.update({ channel: 'C-GERAL', ts: '1.000001', text: `n${i}` });
    }
    const refused = await client.chat.update({ channel: 'C-GERAL', ts: '1.000001', text: 'one more' }).catch((e) => e);
    expect(refused).toMatchObject(limited);
    expect(refused.retryAfter).toBeGreaterThanOrEqual(59);
    // Another method has its own budget.
    await client.chat.postEphemeral({ channel: 'C-GERAL', user: 'U-ANA', text: 'still fine' });
    for (let i = 1; i < slackBudgets.perMinute['chat.postEphemeral']!; i += 1) {
      await client.chat.postEphemeral({ channel: 'C-GERAL', user: 'U-ANA', text: `e${i}` });
    }
    await expect(client.chat.postEphemeral({ channel: 'C-GERAL', user: 'U-ANA', text: 'x' })).rejects.toMatchObject(
      limited,
    );
    expect(fake.rateLimitedBy()).toEqual({ 'chat.update': 1, 'chat.postEphemeral': 1 });
    clock.advance(60_000);
    await client.chat.update({ channel: 'C-GERAL', ts: '1.000001', text: 'a minute later' });
  });

  it('GIVEN chat.postMessage THEN a burst of 5 per channel refilled at 1 a second, and a workspace-wide cap', async () => {
    for (let i = 0; i < 5; i += 1) await client.chat.postMessage({ channel: 'C-GERAL', text: `b${i}` });
    await expect(client.chat.postMessage({ channel: 'C-GERAL', text: 'burst over' })).rejects.toMatchObject(limited);
    clock.advance(1000);
    await client.chat.postMessage({ channel: 'C-GERAL', text: 'a second later' });
    // Across channels the workspace's cap holds: 300 a minute here (Slack publishes none).
    let posted = 6;
    for (let c = 0; posted < slackBudgets.postPerMinute; c += 1) {
      for (let i = 0; i < 5 && posted < slackBudgets.postPerMinute; i += 1, posted += 1) {
        await client.chat.postMessage({ channel: `C-${c}`, text: 'x' });
      }
    }
    await expect(client.chat.postMessage({ channel: 'C-FRESH', text: 'over the workspace' })).rejects.toMatchObject(
      limited,
    );
  });

  it('GIVEN a response_url THEN 5 uses, a 6th refused with used_url; after 30 minutes expired_url', async () => {
    const url = fake.responseUrl();
    const post = (at: string) =>
      fetch(at, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"x"}' });
    for (let i = 0; i < 5; i += 1) expect((await post(url)).status).toBe(200);
    const sixth = await post(url);
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
    const late = fake.responseUrl();
    clock.advance(30 * 60_000 + 1);
    const expired = await post(late);
    expect(expired.status).toBe(404);
    expect(await expired.json()).toEqual({ ok: false, error: 'expired_url' });
    expect(fake.responses).toHaveLength(5);
    expect(fake.refusedResponses()).toBe(2);
  });
});
