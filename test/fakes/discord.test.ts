/**
 * The fake Discord (test/fakes/discord.ts) proven against the real discord.js Client: login over its gateway,
 * interactions received and answered (reply, defer + edit + follow-up, update, autocomplete), channel messages and
 * threads, Discord's errors (permissions, limits, double acknowledgement, expired interaction, revoked token),
 * an injected 429 waited out, command registration, and heartbeats and RESUME on the gateway; files (multipart) on
 * every route that takes a message, direct messages (closed DMs refused with 50007), and `enforce_nonce`.
 */
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  type ClientOptions,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
  REST,
  RESTEvents,
  Routes,
  Status,
  TextChannel,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { eventually } from '../support/eventually.ts';
import { TestClock } from './clock.ts';
import { type FakeDiscord, type FakeDiscordOptions, type SentInteraction, startFakeDiscord } from './discord.ts';

const TOKEN = 'fake-discord-token';
const GUILD = '1200000000000000001';
const GERAL = '1200000000000000011';
const AVISOS = '1200000000000000012';
const SECRETO = '1200000000000000013';
const ANA = { id: '1200000000000000101', username: 'ana', globalName: 'Ana' };
const VIEW_ONLY = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory);

const guilds: FakeDiscordOptions['guilds'] = [
  {
    id: GUILD,
    name: 'Escola',
    channels: [
      { id: GERAL, name: 'geral' },
      { id: AVISOS, name: 'avisos', botPermissions: VIEW_ONLY },
      { id: SECRETO, name: 'secreto', botPermissions: '0' },
    ],
  },
];

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

/** Starts a fake and a discord.js Client logged in to it, resolved on ClientReady (every guild received). */
async function start(
  options: FakeDiscordOptions = {},
  clientOptions: Partial<ClientOptions> = {},
): Promise<{ fake: FakeDiscord; client: Client }> {
  const started = await startFakeDiscord({ guilds, ...options });
  fake = started;
  const bot = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: started.apiUrl },
    waitGuildTimeout: 500,
    ...clientOptions,
  });
  client = bot;
  const ready = new Promise<void>((resolve) => bot.once(Events.ClientReady, () => resolve()));
  await bot.login(TOKEN);
  await ready;
  return { fake: started, client: bot };
}

/** The next interaction the client emits. */
function nextInteraction(bot: Client): Promise<Interaction> {
  return new Promise((resolve) => bot.once(Events.InteractionCreate, resolve));
}

function textChannel(bot: Client, id: string): TextChannel {
  const channel = bot.channels.cache.get(id);
  if (!(channel instanceof TextChannel)) throw new Error(`no text channel ${id} in the cache`);
  return channel;
}

async function slash(
  discord: FakeDiscord,
  bot: Client,
  input: Partial<Parameters<FakeDiscord['slashCommand']>[0]> = {},
): Promise<{ sent: SentInteraction; interaction: Interaction }> {
  const received = nextInteraction(bot);
  const sent = discord.slashCommand({ guildId: GUILD, channelId: GERAL, user: ANA, name: 'trilha', ...input });
  return { sent, interaction: await received };
}

function quizRow(...customIds: string[]): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    customIds.map((customId, i) =>
      new ButtonBuilder()
        .setCustomId(customId)
        .setLabel(`Resposta ${i + 1}`)
        .setStyle(ButtonStyle.Primary),
    ),
  );
}

describe('fake Discord: the gateway through the real discord.js Client', () => {
  it('GIVEN login THEN READY and GUILD_CREATE fill the cache with the guild, its channels and the application', async () => {
    const { fake, client } = await start();
    await fake.ready();
    expect(fake.callsTo('GET', '/gateway/bot')[0]?.auth).toBe(`Bot ${TOKEN}`);
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.name).toBe('Escola');
    expect(guild?.preferredLocale).toBe('pt-BR');
    expect(guild?.channels.cache.map((channel) => channel.name).sort()).toEqual(['avisos', 'geral', 'secreto']);
    // The bot's channel permissions as discord.js computes them match what the fake enforces.
    const me = guild?.members.me;
    expect(me && textChannel(client, GERAL).permissionsFor(me).has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(me && textChannel(client, AVISOS).permissionsFor(me).has(PermissionFlagsBits.SendMessages)).toBe(false);
    expect(me && textChannel(client, AVISOS).permissionsFor(me).has(PermissionFlagsBits.ViewChannel)).toBe(true);
    expect(fake.gatewayStats()).toMatchObject({ connections: 1, identifies: 1, resumes: 0 });
  });

  it('GIVEN a short heartbeat interval THEN every heartbeat is ACKed and the connection stays up', async () => {
    const { fake, client } = await start({ heartbeatIntervalMs: 40 });
    await eventually(() => (fake.gatewayStats().heartbeats >= 6 ? true : undefined));
    // An unACKed heartbeat would have made discord.js drop the socket as a zombie and RESUME on a new one.
    expect(fake.gatewayStats()).toMatchObject({ connections: 1, identifies: 1, resumes: 0 });
    expect(client.ws.status).toBe(Status.Ready);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('GIVEN the gateway drops THEN discord.js RESUMEs and gets the interaction sent meanwhile', async () => {
    const { fake, client } = await start();
    fake.dropGatewayConnection(4000);
    const received = nextInteraction(client);
    const sent = fake.slashCommand({ guildId: GUILD, channelId: GERAL, user: ANA, name: 'trilha', subcommand: 'hoje' });
    const interaction = await received;
    expect(interaction.id).toBe(sent.id);
    expect(fake.gatewayStats()).toMatchObject({ connections: 2, identifies: 1, resumes: 1 });
  });

  it('GIVEN a wrong token THEN login rejects (401 on GET /gateway/bot) and IDENTIFY with it is closed with 4004', async () => {
    const started = await startFakeDiscord({ guilds });
    fake = started;
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: started.apiUrl } });
    await expect(client.login('wrong-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(started.callsTo('GET', '/gateway/bot').map((call) => call.auth)).toEqual(['Bot wrong-token']);
    // discord.js stops at the REST 401; the gateway refuses the token too, as Discord does.
    const socket = new WebSocket(`${started.gatewayUrl}?v=10&encoding=json`);
    const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
    socket.once('message', () => {
      socket.send(JSON.stringify({ op: 2, d: { token: 'wrong-token', intents: 1, properties: {} } }));
    });
    expect(await closed).toBe(4004);
    expect(started.gatewayStats().identifies).toBe(0);
  });
});

describe('fake Discord: interactions through the real discord.js Client', () => {
  it('GIVEN a slash command with a subcommand and options THEN discord.js reads them and the ephemeral reply is recorded', async () => {
    const { fake, client } = await start();
    const { sent, interaction } = await slash(fake, client, {
      subcommand: 'quiz',
      options: [
        { name: 'trilha', type: 3, value: 'docker' },
        { name: 'perguntas', type: 4, value: 3 },
      ],
      locale: 'en-US',
      permissions: String(PermissionFlagsBits.ManageGuild),
    });
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    expect(interaction.commandName).toBe('trilha');
    expect(interaction.options.getSubcommand()).toBe('quiz');
    expect(interaction.options.getString('trilha')).toBe('docker');
    expect(interaction.options.getInteger('perguntas')).toBe(3);
    expect(interaction.locale).toBe('en-US');
    expect(interaction.guildLocale).toBe('pt-BR');
    expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(interaction.channelId).toBe(GERAL);
    expect(interaction.user.id).toBe(ANA.id);

    await interaction.reply({ content: 'Só para você', flags: MessageFlags.Ephemeral });

    const [callback, ...more] = fake.responsesTo(sent);
    expect(more).toEqual([]);
    expect(callback?.path).toBe(`/interactions/${sent.id}/${sent.token}/callback`);
    expect(callback?.query.get('with_response')).toBe('false');
    expect(callback?.auth).toBeUndefined();
    expect(callback?.body).toMatchObject({ type: 4, data: { content: 'Só para você', flags: 64 } });
    // Ephemeral answers belong to the interaction, not to the channel.
    expect(fake.messagesIn(GERAL)).toEqual([]);
    expect(fake.messagesFor(sent).map((message) => [message.content, message.flags])).toEqual([['Só para você', 64]]);
  });

  it('GIVEN deferReply, editReply and followUp THEN responsesTo lists them in order and the channel shows both messages', async () => {
    const { fake, client } = await start();
    const { sent, interaction } = await slash(fake, client, { subcommand: 'hoje' });
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    await interaction.deferReply();
    expect(fake.messagesIn(GERAL).map((message) => message.flags)).toEqual([MessageFlags.Loading]);
    await interaction.editReply('A lição de hoje');
    const followUp = await interaction.followUp('Mais uma coisa');

    const webhook = `/webhooks/${fake.applicationId}/${sent.token}`;
    expect(fake.responsesTo(sent).map((call) => `${call.method} ${call.path}`)).toEqual([
      `POST /interactions/${sent.id}/${sent.token}/callback`,
      `PATCH ${webhook}/messages/@original`,
      `POST ${webhook}`,
    ]);
    expect(fake.responsesTo(sent)[0]?.body).toEqual({ type: 5, data: { flags: 0 } });
    const shown = fake.messagesIn(GERAL);
    expect(shown.map((message) => [message.content, message.flags, message.type])).toEqual([
      ['A lição de hoje', 0, 20],
      ['Mais uma coisa', 0, 20],
    ]);
    expect(shown[1]?.id).toBe(followUp.id);
    expect(shown[0]?.interaction_metadata).toMatchObject({ id: sent.id, name: 'trilha hoje', user: { id: ANA.id } });
  });

  it('GIVEN deferReply then a followUp without editReply THEN the follow-up fills in the loading message, as Discord does', async () => {
    const { fake, client } = await start();
    const { sent, interaction } = await slash(fake, client);
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await interaction.followUp({ content: 'Pronto', flags: MessageFlags.Ephemeral });
    await interaction.followUp({ content: 'Outra', flags: MessageFlags.Ephemeral });
    expect(fake.messagesFor(sent).map((message) => [message.content, message.flags])).toEqual([
      ['Pronto', 64],
      ['Outra', 64],
    ]);
  });

  it('GIVEN reply with withResponse THEN the callback answers 200 with the created message', async () => {
    const { fake, client } = await start();
    const { sent, interaction } = await slash(fake, client);
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    const response = await interaction.reply({ content: 'Com resposta', withResponse: true });
    expect(fake.responsesTo(sent)[0]?.query.get('with_response')).toBe('true');
    expect(response.interaction.id).toBe(sent.id);
    expect(response.interaction.responseMessageId).toBe(response.resource?.message?.id);
    expect(response.resource?.message?.content).toBe('Com resposta');
    expect(fake.messagesIn(GERAL).map((message) => message.id)).toEqual([response.resource?.message?.id]);
  });

  it('GIVEN a second callback for the same interaction THEN it is rejected with 40060, and an unknown one with 10062', async () => {
    const { fake, client } = await start();
    const { sent, interaction } = await slash(fake, client);
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    await interaction.reply('Primeira');
    // discord.js refuses a second reply itself, without a request …
    await expect(interaction.reply('Segunda')).rejects.toMatchObject({ code: 'InteractionAlreadyReplied' });
    expect(fake.responsesTo(sent)).toHaveLength(1);
    // … so the second acknowledgement is sent as another bot process would send it.
    const again = client.rest.post(Routes.interactionCallback(sent.id, sent.token), {
      body: { type: 4, data: { content: 'Segunda' } },
      auth: false,
    });
    await expect(again).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(again).rejects.toMatchObject({ status: 400, code: 40060 });
    const unknown = client.rest.post(Routes.interactionCallback('1200000000000000999', 'nope'), {
      body: { type: 4, data: { content: 'Quem?' } },
      auth: false,
    });
    await expect(unknown).rejects.toMatchObject({ status: 404, code: 10062 });
    expect(fake.messagesIn(GERAL).map((message) => message.content)).toEqual(['Primeira']);
  });

  it('GIVEN an answer after the interaction deadline THEN the callback is rejected with 10062 Unknown interaction', async () => {
    const { fake, client } = await start({ interactionDeadlineMs: 20 });
    const { interaction } = await slash(fake, client);
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    await new Promise((resolve) => setTimeout(resolve, 40));
    await expect(interaction.reply('Tarde demais')).rejects.toMatchObject({ status: 404, code: 10062 });
  });

  it('GIVEN a button click on a posted message THEN discord.js gets the message and customId, and update edits it', async () => {
    const { fake, client } = await start();
    const posted = await textChannel(client, GERAL).send({
      content: 'Pergunta 1',
      components: [quizRow('quiz:1:a', 'quiz:1:b')],
    });
    const received = nextInteraction(client);
    const sent = fake.button({
      guildId: GUILD,
      channelId: GERAL,
      user: ANA,
      customId: 'quiz:1:b',
      messageId: posted.id,
    });
    const interaction = await received;
    if (!interaction.isButton()) throw new Error('expected a button click');
    expect(interaction.customId).toBe('quiz:1:b');
    expect(interaction.message.id).toBe(posted.id);
    expect(interaction.message.content).toBe('Pergunta 1');
    expect(interaction.message.author.id).toBe(fake.botUserId);

    await interaction.update({ content: 'Pergunta 1 (respondida)', components: [] });

    expect(fake.responsesTo(sent).map((call) => call.body.type)).toEqual([7]);
    const [stored] = fake.messagesIn(GERAL);
    expect(stored).toMatchObject({ id: posted.id, content: 'Pergunta 1 (respondida)', components: [] });
    expect(stored?.edited_timestamp).not.toBeNull();
  });

  it('GIVEN an autocomplete THEN respond() is recorded as callback type 8, and 26 choices are refused with 50035', async () => {
    const { fake, client } = await start();
    const ask = async (value: string) => {
      const received = nextInteraction(client);
      const sent = fake.autocomplete({
        guildId: GUILD,
        channelId: GERAL,
        user: ANA,
        name: 'trilha',
        subcommand: 'estudar',
        options: [{ name: 'trilha', type: 3, value, focused: true }],
      });
      const interaction = await received;
      if (!interaction.isAutocomplete()) throw new Error('expected an autocomplete');
      return { sent, interaction };
    };
    const first = await ask('doc');
    expect(first.interaction.options.getSubcommand()).toBe('estudar');
    expect(first.interaction.options.getFocused(true)).toMatchObject({ name: 'trilha', value: 'doc' });
    await first.interaction.respond([{ name: 'Docker', value: 'docker' }]);
    expect(fake.responsesTo(first.sent).map((call) => call.body)).toEqual([
      { type: 8, data: { choices: [{ name: 'Docker', value: 'docker' }] } },
    ]);

    const second = await ask('');
    const many = Array.from({ length: 26 }, (_, i) => ({ name: `Trilha ${i}`, value: `t${i}` }));
    const refused = second.interaction.respond(many);
    await expect(refused).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(refused).rejects.toThrow(/data\.choices\[BASE_TYPE_MAX_LENGTH\]/);
  });
});

describe('fake Discord: channel messages and threads through the real discord.js Client', () => {
  it('GIVEN channel.send with an embed and a button row THEN startThread on it and thread.send land in the fake', async () => {
    const { fake, client } = await start();
    const threadEvents: unknown[] = [];
    client.on(Events.Raw, (packet: { t?: string; d?: unknown }) => {
      if (packet.t === 'THREAD_CREATE') threadEvents.push(packet.d);
    });
    const embed = new EmbedBuilder().setTitle('Docker').setDescription('O que é uma imagem?').setColor(0x5865f2);
    const message = await textChannel(client, GERAL).send({ embeds: [embed], components: [quizRow('quiz:1:a')] });
    const thread = await message.startThread({
      name: 'Quiz: Docker',
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
    const inThread = await thread.send('Primeira pergunta');

    expect(fake.callsTo('POST', `/channels/${GERAL}/messages`)[0]?.body).toMatchObject({
      embeds: [{ title: 'Docker', description: 'O que é uma imagem?', color: 0x5865f2 }],
      components: [{ type: 1, components: [{ type: 2, custom_id: 'quiz:1:a', label: 'Resposta 1', style: 1 }] }],
    });
    expect(fake.callsTo('POST', `/channels/${GERAL}/messages/${message.id}/threads`)[0]?.body).toMatchObject({
      name: 'Quiz: Docker',
      auto_archive_duration: 1440,
    });
    expect(thread.id).toBe(message.id);
    expect(thread.parentId).toBe(GERAL);
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(fake.threads()).toEqual([
      { id: message.id, parentId: GERAL, name: 'Quiz: Docker', autoArchiveDuration: 1440 },
    ]);
    const [stored] = fake.messagesIn(GERAL);
    expect(stored?.embeds[0]).toMatchObject({ type: 'rich', title: 'Docker' });
    expect(stored?.components[0]?.components?.[0]?.custom_id).toBe('quiz:1:a');
    expect(stored?.thread).toMatchObject({ id: message.id, type: 11 });
    expect(fake.messagesIn(thread.id).map((m) => [m.id, m.content, m.channel_id])).toEqual([
      [inThread.id, 'Primeira pergunta', thread.id],
    ]);
    await eventually(() => threadEvents[0]);
    expect(threadEvents).toEqual([expect.objectContaining({ id: message.id, parent_id: GERAL, newly_created: true })]);
    // A second thread on the same message is refused, as Discord does.
    await expect(message.startThread({ name: 'De novo' })).rejects.toMatchObject({ status: 400, code: 160004 });
  });

  it('GIVEN message.edit and channels.fetch THEN the stored message changes and a thread is fetched as a thread', async () => {
    const { fake, client } = await start();
    const message = await textChannel(client, GERAL).send({ embeds: [new EmbedBuilder().setTitle('Antes')] });
    await message.edit({ embeds: [new EmbedBuilder().setTitle('Depois').setFooter({ text: '3 respostas' })] });
    expect(fake.messagesIn(GERAL)[0]?.embeds).toEqual([
      expect.objectContaining({ title: 'Depois', footer: { text: '3 respostas' } }),
    ]);
    expect(fake.messagesIn(GERAL)[0]?.edited_timestamp).not.toBeNull();
    const unknown = client.rest.patch(Routes.channelMessage(GERAL, '1200000000000000999'), { body: { content: 'x' } });
    await expect(unknown).rejects.toMatchObject({ status: 404, code: 10008 });

    await message.startThread({ name: 'Quiz' });
    const fetched = await client.channels.fetch(message.id, { force: true });
    expect(fetched?.isThread() && fetched.parentId).toBe(GERAL);
    expect(fake.callsTo('GET', `/channels/${message.id}`)).toHaveLength(1);
    await expect(client.channels.fetch('1200000000000000999')).rejects.toMatchObject({ status: 404, code: 10003 });
  });

  it('GIVEN a channel where the bot may only read THEN send rejects with 50013, and a hidden channel with 50001', async () => {
    const { fake, client } = await start();
    const refused = textChannel(client, AVISOS).send('Olá');
    await expect(refused).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(refused).rejects.toMatchObject({ status: 403, code: 50013, message: 'Missing Permissions' });
    await expect(textChannel(client, SECRETO).send('Olá')).rejects.toMatchObject({ status: 403, code: 50001 });
    expect(fake.messagesIn(AVISOS)).toEqual([]);
    expect(fake.callsTo('POST', /^\/channels\/\d+\/messages$/)).toHaveLength(2);
  });

  it('GIVEN an injected 429 with retryAfter 0.2 THEN discord.js waits it out and the message is posted once', async () => {
    const { fake, client } = await start();
    // discord.js emits `rateLimited` only for limits it foresees from bucket headers; a 429 it did not foresee
    // shows up in its debug log only.
    const debug: string[] = [];
    client.rest.on(RESTEvents.Debug, (line: string) => debug.push(line));
    fake.failNext('POST', `/channels/${GERAL}/messages`, { status: 429, retryAfter: 0.2 });
    await textChannel(client, GERAL).send('Depois da espera');
    const [first, second, ...rest] = fake.callsTo('POST', `/channels/${GERAL}/messages`);
    expect(rest).toEqual([]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(200);
    expect(fake.messagesIn(GERAL).map((message) => message.content)).toEqual(['Depois da espera']);
    const limit = debug.find((line) => line.includes('Encountered unexpected 429 rate limit'));
    expect(limit).toMatch(/Retry After\s+: 250ms/);
    expect(limit).toMatch(/Scope\s+: user/);
  });

  it('GIVEN content of 2001 characters THEN send rejects with 50035 naming the field and nothing is posted', async () => {
    const { fake, client } = await start();
    const refused = textChannel(client, GERAL).send('x'.repeat(2001));
    await expect(refused).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(refused).rejects.toMatchObject({
      status: 400,
      code: 50035,
      rawError: { errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });
    await expect(refused).rejects.toThrow(/content\[BASE_TYPE_MAX_LENGTH\]: Must be 2000 or fewer in length/);
    expect(fake.messagesIn(GERAL)).toEqual([]);
  });

  const row = (buttons: number, label = 'ok') => ({
    type: 1,
    components: Array.from({ length: buttons }, (_, i) => ({ type: 2, style: 1, custom_id: `b${i}`, label })),
  });
  it.each([
    ['11 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, /embeds\[BASE_TYPE_MAX_LENGTH\]/],
    ['an embed title of 257', { embeds: [{ title: 't'.repeat(257) }] }, /embeds\[0\]\.title\[BASE_TYPE_MAX_LENGTH\]/],
    [
      'a description of 4097',
      { embeds: [{ description: 'd'.repeat(4097) }] },
      /embeds\[0\]\.description\[BASE_TYPE_MAX_LENGTH\]/,
    ],
    [
      'embeds over 6000 in all',
      { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] },
      /embeds\[MAX_EMBED_SIZE_EXCEEDED\]/,
    ],
    [
      '26 fields',
      { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] },
      /embeds\[0\]\.fields\[BASE_TYPE_MAX_LENGTH\]/,
    ],
    ['a footer of 2049', { embeds: [{ footer: { text: 'f'.repeat(2049) } }] }, /embeds\[0\]\.footer\.text/],
    ['6 action rows', { components: Array.from({ length: 6 }, () => row(1)) }, /components\[BASE_TYPE_MAX_LENGTH\]/],
    ['6 buttons in a row', { components: [row(6)] }, /components\[0\]\.components\[BASE_TYPE_MAX_LENGTH\]/],
    ['a label of 81', { components: [row(1, 'l'.repeat(81))] }, /components\[0\]\.components\[0\]\.label/],
    [
      'a custom_id of 101',
      { components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: 'c'.repeat(101) }] }] },
      /custom_id\[BASE_TYPE_BAD_LENGTH\]/,
    ],
    [
      'a repeated custom_id',
      {
        components: [
          {
            type: 1,
            components: [
              { type: 2, style: 1, label: 'a', custom_id: 'same' },
              { type: 2, style: 2, label: 'b', custom_id: 'same' },
            ],
          },
        ],
      },
      /COMPONENT_CUSTOM_ID_DUPLICATED/,
    ],
  ])('GIVEN a message with %s THEN Discord answers 400 50035 naming the field', async (_what, body, field) => {
    const { fake, client } = await start();
    const refused = client.rest.post(Routes.channelMessages(GERAL), { body: { content: 'c', ...body } });
    await expect(refused).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(refused).rejects.toThrow(field);
    expect(fake.messagesIn(GERAL)).toEqual([]);
  });

  it('GIVEN an empty message THEN Discord answers 400 50006', async () => {
    const { client } = await start();
    await expect(client.rest.post(Routes.channelMessages(GERAL), { body: { content: '' } })).rejects.toMatchObject({
      status: 400,
      code: 50006,
    });
  });

  it('GIVEN a revoked token THEN a REST call surfaces as a DiscordAPIError with status 401', async () => {
    const { fake, client } = await start();
    fake.revokeToken();
    const refused = textChannel(client, GERAL).send('Olá');
    await expect(refused).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(refused).rejects.toMatchObject({ status: 401, code: 0, message: '401: Unauthorized' });
    expect(fake.messagesIn(GERAL)).toEqual([]);
  });
});

describe('fake Discord: command registration through @discordjs/rest', () => {
  const commands = [
    {
      name: 'trilha',
      description: 'Aprender um pouco por dia',
      description_localizations: { 'en-US': 'Learn a little every day' },
      options: [
        { type: 1, name: 'hoje', description: 'A lição de hoje' },
        {
          type: 1,
          name: 'estudar',
          description: 'Escolher uma trilha',
          options: [{ type: 3, name: 'trilha', description: 'A trilha', required: true, autocomplete: true }],
        },
      ],
    },
  ];

  it('GIVEN a bulk overwrite of guild commands THEN they are stored with ids, and an invalid name is refused with 50035', async () => {
    const { fake } = await start();
    const rest = new REST({ api: fake.apiUrl }).setToken(TOKEN);
    try {
      const route = Routes.applicationGuildCommands(fake.applicationId, GUILD);
      const stored = await rest.put(route, { body: commands });
      expect(stored).toEqual([
        expect.objectContaining({
          id: expect.any(String),
          application_id: fake.applicationId,
          guild_id: GUILD,
          version: expect.any(String),
          type: 1,
          name: 'trilha',
        }),
      ]);
      expect(fake.registeredCommands({ guildId: GUILD })).toEqual(stored);
      expect(await rest.get(route)).toEqual(stored);
      expect(fake.registeredCommands('global')).toEqual([]);

      const refused = rest.put(route, { body: [{ name: 'Trilha Hoje', description: 'Com espaço e maiúscula' }] });
      await expect(refused).rejects.toBeInstanceOf(DiscordAPIError);
      await expect(refused).rejects.toMatchObject({
        status: 400,
        code: 50035,
        rawError: { errors: { 0: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] } } } },
      });
      expect(fake.registeredCommands({ guildId: GUILD })).toEqual(stored);

      // Overwriting with the same command keeps its id and version, as Discord does.
      const again = await rest.put(route, { body: commands });
      expect(again).toEqual(stored);
    } finally {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
  });

  it.each([
    ['a description of 101', [{ name: 'a', description: 'd'.repeat(101) }], /0\.description\[BASE_TYPE_BAD_LENGTH\]/],
    [
      '26 options',
      [
        {
          name: 'a',
          description: 'd',
          options: Array.from({ length: 26 }, (_, i) => ({ type: 3, name: `o${i}`, description: 'd' })),
        },
      ],
      /0\.options\[BASE_TYPE_MAX_LENGTH\]/,
    ],
    [
      '26 choices',
      [
        {
          name: 'a',
          description: 'd',
          options: [
            {
              type: 3,
              name: 'o',
              description: 'd',
              choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `v${i}` })),
            },
          ],
        },
      ],
      /0\.options\[0\]\.choices\[BASE_TYPE_MAX_LENGTH\]/,
    ],
    [
      'an invalid localized name',
      [{ name: 'a', description: 'd', name_localizations: { 'pt-BR': 'Com Espaço' } }],
      /name_localizations\.pt-BR\[APPLICATION_COMMAND_INVALID_NAME\]/,
    ],
    [
      'an unknown locale',
      [{ name: 'a', description: 'd', name_localizations: { pt: 'a' } }],
      /name_localizations\.pt\[BASE_TYPE_CHOICES\]/,
    ],
    [
      'over 8000 characters',
      [
        {
          name: 'a',
          description: 'd',
          options: Array.from({ length: 25 }, (_, i) => ({
            type: 3,
            name: `o${i}`,
            description: 'd'.repeat(100),
            choices: Array.from({ length: 25 }, (_, j) => ({ name: `c${j}`.padEnd(10, 'x'), value: `v${j}` })),
          })),
        },
      ],
      /APPLICATION_COMMAND_TOO_LARGE/,
    ],
    [
      'a required option after an optional one',
      [
        {
          name: 'a',
          description: 'd',
          options: [
            { type: 3, name: 'x', description: 'd' },
            { type: 3, name: 'y', description: 'd', required: true },
          ],
        },
      ],
      /APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID/,
    ],
  ])('GIVEN a command with %s THEN the bulk overwrite is refused with 50035', async (_what, body, field) => {
    const { fake } = await start();
    const rest = new REST({ api: fake.apiUrl }).setToken(TOKEN);
    try {
      const refused = rest.put(Routes.applicationCommands(fake.applicationId), { body });
      await expect(refused).rejects.toMatchObject({ status: 400, code: 50035 });
      await expect(refused).rejects.toThrow(field);
      expect(fake.registeredCommands('global')).toEqual([]);
    } finally {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
  });
});

/** A valid 2×2 PNG, made by pngjs. */
function tinyPng(): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(0x80);
  return PNG.sync.write(png);
}

const CSV = 'pergunta,acertos\nO que é uma imagem?,3\n';

describe('fake Discord: files (multipart/form-data) through the real discord.js Client', () => {
  it('GIVEN channel.send with a PNG and a CSV THEN both are stored with the message, listed in its attachments and served at their url', async () => {
    const { fake, client } = await start();
    const png = tinyPng();
    const sent = await textChannel(client, GERAL).send({
      content: 'Relatório',
      files: [
        new AttachmentBuilder(png, { name: 'grafico.png', description: 'Acerto por lição' }),
        new AttachmentBuilder(Buffer.from(CSV), { name: 'relatorio.csv' }),
      ],
    });
    const [call] = fake.callsTo('POST', `/channels/${GERAL}/messages`);
    expect(call?.body).toMatchObject({
      content: 'Relatório',
      attachments: [{ id: '0', description: 'Acerto por lição' }, { id: '1' }],
    });
    expect(call?.files.map((file) => [file.field, file.filename])).toEqual([
      ['files[0]', 'grafico.png'],
      ['files[1]', 'relatorio.csv'],
    ]);
    // discord.js reads the attachments of the message object the fake returned.
    expect(sent.attachments.map((a) => [a.name, a.size, a.description])).toEqual([
      ['grafico.png', png.length, 'Acerto por lição'],
      ['relatorio.csv', Buffer.byteLength(CSV), null],
    ]);
    const files = fake.filesOf(sent.id);
    expect(files.map((file) => file.filename)).toEqual(['grafico.png', 'relatorio.csv']);
    expect(files[0]?.data.equals(png)).toBe(true);
    expect(files[0]?.contentType).toBe('image/png');
    expect(files[1]?.data.toString()).toBe(CSV);
    const served = await fetch(sent.attachments.first()?.url ?? '');
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    // Editing with `attachments: []` keeps none, as in API v10.
    await sent.edit({ content: 'Sem anexos', attachments: [] });
    expect(fake.message(sent.id)?.attachments).toEqual([]);
    expect(fake.filesOf(sent.id)).toEqual([]);
  });

  it('GIVEN a file-only message THEN it is not empty; GIVEN a channel without Attach Files THEN 50013', async () => {
    const { fake, client } = await start({
      guilds: [
        {
          id: GUILD,
          name: 'Escola',
          channels: [
            { id: GERAL, name: 'geral' },
            {
              id: AVISOS,
              name: 'avisos',
              botPermissions: String(
                PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks,
              ),
            },
          ],
        },
      ],
    });
    const only = await textChannel(client, GERAL).send({
      files: [new AttachmentBuilder(tinyPng(), { name: 'a.png' })],
    });
    expect(fake.message(only.id)?.attachments).toHaveLength(1);
    const refused = textChannel(client, AVISOS).send({ files: [new AttachmentBuilder(tinyPng(), { name: 'a.png' })] });
    await expect(refused).rejects.toMatchObject({ status: 403, code: 50013 });
    await textChannel(client, AVISOS).send('Só texto');
    expect(fake.messagesIn(AVISOS).map((m) => m.content)).toEqual(['Só texto']);
  });

  it('GIVEN 11 files THEN 30015; GIVEN a file over attachmentSizeLimit THEN 413 40005; GIVEN an attachment id with no files[n] THEN 50035', async () => {
    const { fake, client } = await start({ attachmentSizeLimit: 1000 });
    const eleven = Array.from(
      { length: 11 },
      (_, i) => new AttachmentBuilder(Buffer.from(`${i}`), { name: `${i}.txt` }),
    );
    await expect(textChannel(client, GERAL).send({ files: eleven })).rejects.toMatchObject({
      status: 400,
      code: 30015,
    });
    await expect(
      textChannel(client, GERAL).send({ files: [new AttachmentBuilder(Buffer.alloc(1001), { name: 'big.csv' })] }),
    ).rejects.toMatchObject({ status: 413, code: 40005 });
    const orphan = client.rest.post(Routes.channelMessages(GERAL), {
      body: { content: 'x', attachments: [{ id: 3, filename: 'a.csv' }] },
      files: [{ name: 'a.csv', data: Buffer.from('a') }],
    });
    await expect(orphan).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(orphan).rejects.toThrow(/attachments\[0\]\.id\[ATTACHMENT_NOT_FOUND\]/);
    expect(fake.messagesIn(GERAL)).toEqual([]);
  });

  it('GIVEN an ephemeral reply, a deferred edit and a follow-up each with a file THEN each message carries its file', async () => {
    const { fake, client } = await start();
    const first = await slash(fake, client, { subcommand: 'relatorio' });
    if (!first.interaction.isChatInputCommand()) throw new Error('expected a slash command');
    await first.interaction.reply({
      content: 'Seu relatório',
      files: [new AttachmentBuilder(Buffer.from(CSV), { name: 'relatorio.csv' })],
      flags: MessageFlags.Ephemeral,
    });
    const [callback] = fake.responsesTo(first.sent);
    expect(callback?.body).toMatchObject({ type: 4, data: { flags: 64, attachments: [{ id: '0' }] } });
    expect(callback?.files[0]?.filename).toBe('relatorio.csv');
    const [reply] = fake.messagesFor(first.sent);
    expect(reply?.attachments).toEqual([expect.objectContaining({ filename: 'relatorio.csv', ephemeral: true })]);
    expect(fake.filesOf(reply?.id ?? '')[0]?.data.toString()).toBe(CSV);

    const second = await slash(fake, client, { subcommand: 'relatorio' });
    if (!second.interaction.isChatInputCommand()) throw new Error('expected a slash command');
    await second.interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await second.interaction.editReply({
      content: 'Pronto',
      files: [new AttachmentBuilder(tinyPng(), { name: 'grafico.png' })],
    });
    await second.interaction.followUp({
      content: 'E o CSV',
      files: [new AttachmentBuilder(Buffer.from(CSV), { name: 'relatorio.csv' })],
      flags: MessageFlags.Ephemeral,
    });
    const calls = fake.responsesTo(second.sent);
    expect(calls.map((call) => [call.method, call.files.map((file) => file.filename)])).toEqual([
      ['POST', []],
      ['PATCH', ['grafico.png']],
      ['POST', ['relatorio.csv']],
    ]);
    const [edited, followUp] = fake.messagesFor(second.sent);
    expect(edited?.content).toBe('Pronto');
    expect(edited?.flags).toBe(64);
    expect(fake.filesOf(edited?.id ?? '').map((file) => file.filename)).toEqual(['grafico.png']);
    expect(fake.filesOf(followUp?.id ?? '').map((file) => file.filename)).toEqual(['relatorio.csv']);
  });
});

describe('fake Discord: direct messages through the real discord.js Client', () => {
  it('GIVEN createDM THEN a DM channel (type 1) stable per user takes messages; a user with closed DMs gets 50007', async () => {
    const { fake, client } = await start({ closedDms: ['1200000000000000102'] });
    const dm = await client.users.createDM(ANA.id);
    expect(dm.type).toBe(ChannelType.DM);
    expect(dm.recipientId).toBe(ANA.id);
    const again = await client.users.createDM(ANA.id, { force: true });
    expect(again.id).toBe(dm.id);
    expect(fake.dmChannelOf(ANA.id)).toEqual({ id: dm.id, type: 1, recipientId: ANA.id });
    const sent = await dm.send({ content: 'Você tem 3 revisões hoje' });
    expect(fake.directMessagesTo(ANA.id).map((m) => [m.id, m.channel_id, m.content])).toEqual([
      [sent.id, dm.id, 'Você tem 3 revisões hoje'],
    ]);

    const closed = client.users.send('1200000000000000102', 'Oi');
    await expect(closed).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(closed).rejects.toMatchObject({
      status: 403,
      code: 50007,
      message: 'Cannot send messages to this user',
    });
    fake.closeDms(ANA.id);
    await expect(dm.send('Mais uma')).rejects.toMatchObject({ code: 50007 });
    expect(fake.directMessagesTo(ANA.id)).toHaveLength(1);
    const invalid = client.rest.post(Routes.userChannels(), { body: { recipient_id: 'ana' } });
    await expect(invalid).rejects.toMatchObject({ status: 400, code: 50035 });
  });
});

describe('fake Discord: interactions in a direct message through the real discord.js Client', () => {
  it('GIVEN a click on a button the bot sent in a DM THEN discord.js sees no guild and a DM channel, and the ephemeral reply, @original edit and follow-up land in the DM', async () => {
    const { fake, client } = await start();
    const dm = await client.users.createDM(ANA.id);
    const posted = await dm.send({ content: 'Você tem 3 revisões hoje', components: [quizRow('cmd:revisar')] });
    const received = nextInteraction(client);
    const sent = fake.dmButton({ user: ANA, customId: 'cmd:revisar', messageId: posted.id, locale: 'en-US' });
    const interaction = await received;
    if (!interaction.isButton()) throw new Error('expected a button click');
    expect(interaction.guildId).toBeNull();
    expect(interaction.inGuild()).toBe(false);
    expect(interaction.member).toBeNull();
    expect(interaction.memberPermissions).toBeNull();
    expect(interaction.user.id).toBe(ANA.id);
    expect(interaction.locale).toBe('en-US');
    expect(interaction.channelId).toBe(dm.id);
    expect(interaction.channel?.type).toBe(ChannelType.DM);
    expect(interaction.channel?.isDMBased()).toBe(true);
    expect(interaction.context).toBe(1);
    expect(interaction.authorizingIntegrationOwners).toMatchObject({ guildId: '0', userId: null });
    expect(interaction.appPermissions.has(PermissionFlagsBits.AttachFiles)).toBe(true);
    expect(interaction.customId).toBe('cmd:revisar');
    expect(interaction.message.id).toBe(posted.id);

    await interaction.reply({ content: 'Sem revisões', flags: MessageFlags.Ephemeral });
    await interaction.editReply({ content: 'Sem revisões hoje' });
    await interaction.followUp({ content: 'Até amanhã' });

    expect(
      fake.responsesTo(sent).map((call) => `${call.method} ${call.path.split('/').slice(0, 2).join('/')}`),
    ).toEqual(['POST /interactions', 'PATCH /webhooks', 'POST /webhooks']);
    const answers = fake.messagesFor(sent);
    expect(answers.map((m) => [m.channel_id, m.content, m.flags])).toEqual([
      [dm.id, 'Sem revisões hoje', 64],
      [dm.id, 'Até amanhã', 0],
    ]);
    expect(answers[0]?.interaction_metadata).toMatchObject({
      id: sent.id,
      user: { id: ANA.id },
      authorizing_integration_owners: { '0': '0' },
      interacted_message_id: posted.id,
    });
    // The ephemeral answer is only Ana's; the follow-up is in the DM after the nudge.
    expect(fake.directMessagesTo(ANA.id).map((m) => m.content)).toEqual(['Você tem 3 revisões hoje', 'Até amanhã']);
  });

  it('GIVEN a DM click on a message of another channel THEN the fake refuses to send it; GIVEN a slash command in a DM THEN it comes without a guild too', async () => {
    const { fake, client } = await start();
    const posted = await textChannel(client, GERAL).send({ content: 'Pergunta', components: [quizRow('quiz:1:a')] });
    expect(() => fake.dmButton({ user: ANA, customId: 'quiz:1:a', messageId: posted.id })).toThrow(
      /not in the bot's DM/,
    );

    const received = nextInteraction(client);
    const sent = fake.dmSlashCommand({ user: ANA, name: 'trilha', subcommand: 'hoje' });
    const interaction = await received;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    expect(interaction.guildId).toBeNull();
    expect(interaction.user.id).toBe(ANA.id);
    expect(interaction.options.getSubcommand()).toBe('hoje');
    expect(interaction.channelId).toBe(fake.dmChannelOf(ANA.id)?.id);
    await interaction.reply({ content: 'Use num servidor', flags: MessageFlags.Ephemeral });
    expect(fake.messagesFor(sent).map((m) => [m.type, m.content, m.interaction?.member])).toEqual([
      [20, 'Use num servidor', undefined],
    ]);
  });

  it('GIVEN a second session on shard 1 THEN a DM click still goes to the shard 0 session, as Discord sends DMs', async () => {
    const { fake, client } = await start();
    const dm = await client.users.createDM(ANA.id);
    const posted = await dm.send({ content: 'Lembrete', components: [quizRow('cmd:revisar')] });
    // Another process IDENTIFYing as shard 1 of 2, the latest session the fake knows.
    const other = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const otherEvents: string[] = [];
    const otherReady = new Promise<void>((resolve) =>
      other.on('message', (raw: Buffer) => {
        const frame = JSON.parse(raw.toString()) as { op: number; t: string | null };
        if (frame.op === 10) {
          other.send(JSON.stringify({ op: 2, d: { token: TOKEN, intents: 1, shard: [1, 2], properties: {} } }));
        }
        if (frame.t) otherEvents.push(frame.t);
        if (frame.t === 'READY') resolve();
      }),
    );
    await otherReady;
    const received = nextInteraction(client);
    fake.dmButton({ user: ANA, customId: 'cmd:revisar', messageId: posted.id });
    expect((await received).guildId).toBeNull();
    expect(otherEvents).not.toContain('INTERACTION_CREATE');
    other.close();
  });
});

describe('fake Discord: nonce and enforce_nonce through the real discord.js Client', () => {
  it('GIVEN the same nonce twice with enforceNonce THEN the first message comes back and no second is created', async () => {
    const { fake, client } = await start();
    const channel = textChannel(client, GERAL);
    const first = await channel.send({ content: 'Lição 1', nonce: 'drop-1', enforceNonce: true });
    const retry = await channel.send({ content: 'Lição 1 (de novo)', nonce: 'drop-1', enforceNonce: true });
    expect(retry.id).toBe(first.id);
    expect(retry.content).toBe('Lição 1');
    expect(fake.callsTo('POST', `/channels/${GERAL}/messages`)[1]?.body).toMatchObject({
      nonce: 'drop-1',
      enforce_nonce: true,
    });
    // Another nonce, the same nonce without enforce_nonce, or the same nonce in another channel: new messages.
    await channel.send({ content: 'Lição 2', nonce: 'drop-2', enforceNonce: true });
    await channel.send({ content: 'Sem garantia', nonce: 'drop-1' });
    const thread = await first.startThread({ name: 'Quiz' });
    await thread.send({ content: 'Pergunta', nonce: 'drop-1', enforceNonce: true });
    expect(fake.messagesIn(GERAL).map((m) => m.content)).toEqual(['Lição 1', 'Lição 2', 'Sem garantia']);
    expect(fake.messagesIn(thread.id)).toHaveLength(1);
    expect(fake.message(first.id)?.nonce).toBe('drop-1');
  });

  it('GIVEN the nonce window has passed THEN a new message is created; GIVEN the first was deleted THEN 10008; GIVEN 26 characters THEN 50035', async () => {
    const { fake, client } = await start({ nonceWindowMs: 100 });
    const channel = textChannel(client, GERAL);
    const first = await channel.send({ content: 'A', nonce: 'n1', enforceNonce: true });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const later = await channel.send({ content: 'A', nonce: 'n1', enforceNonce: true });
    expect(later.id).not.toBe(first.id);

    const gone = await channel.send({ content: 'B', nonce: 'n2', enforceNonce: true });
    await gone.delete();
    await expect(channel.send({ content: 'B', nonce: 'n2', enforceNonce: true })).rejects.toMatchObject({
      status: 404,
      code: 10008,
    });
    // discord.js checks the length itself; the fake answers as Discord does to a client that does not.
    const long = client.rest.post(Routes.channelMessages(GERAL), {
      body: { content: 'C', nonce: 'x'.repeat(26), enforce_nonce: true },
    });
    await expect(long).rejects.toMatchObject({ status: 400, code: 50035 });
    expect(fake.messagesIn(GERAL).map((m) => m.content)).toEqual(['A', 'A']);
  });
});

describe("fake Discord: Discord's budgets and edges through the real discord.js", () => {
  const FORUM = '1200000000000000014';
  const MEDIA = '1200000000000000015';
  const withForums: FakeDiscordOptions['guilds'] = [
    {
      id: GUILD,
      name: 'Escola',
      channels: [
        { id: GERAL, name: 'geral' },
        { id: FORUM, name: 'duvidas', type: 15 },
        { id: MEDIA, name: 'galeria', type: 16 },
      ],
    },
  ];

  it('GIVEN six edits of one channel within 5 s THEN the sixth is refused with 429 and the bucket headers; discord.js, which reads them, is never refused', async () => {
    const { fake, client } = await start();
    const channel = textChannel(client, GERAL);
    const message = await channel.send({ content: 'Pergunta' });
    // Straight HTTP, as a client that ignores the headers would.
    const edit = (content: string) =>
      fetch(`${fake.apiUrl}/v10/channels/${GERAL}/messages/${message.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bot ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content }),
      });
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await edit(`n${i}`));
    expect(answers.slice(0, 5).map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[4]?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(answers[5]?.status).toBe(429);
    expect(fake.rateLimited()).toBe(1);
    // discord.js reads the headers and waits for the reset they announce instead of being refused (in a thread:
    // a channel of its own, with its own bucket).
    const thread = await message.startThread({ name: 'Quiz' });
    const question = await thread.send({ content: 'Pergunta' });
    for (let i = 0; i < 7; i += 1) await question.edit({ content: `djs${i}` });
    expect(fake.rateLimited()).toBe(1);
    expect(fake.message(question.id)?.content).toBe('djs6');
  });

  it('GIVEN a thread inactive for its auto-archive duration THEN an edit in it is 50083, a new message unarchives it and edits work again', async () => {
    const clock = new TestClock();
    const { fake, client } = await start({ clock });
    const channel = textChannel(client, GERAL);
    const starter = await channel.send({ content: 'Lição' });
    const thread = await starter.startThread({ name: 'Quiz', autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    const question = await thread.send({ content: 'Pergunta' });
    clock.advance(1440 * 60_000 - 1000);
    await client.rest.patch(Routes.channelMessage(thread.id, question.id), { body: { content: 'ainda aberta' } });
    clock.advance(1000);
    expect(await client.rest.get(Routes.channel(thread.id))).toMatchObject({ thread_metadata: { archived: true } });
    await expect(
      client.rest.patch(Routes.channelMessage(thread.id, question.id), { body: { content: 'tarde' } }),
    ).rejects.toMatchObject({ status: 400, code: 50083 });
    await client.rest.post(Routes.channelMessages(thread.id), { body: { content: 'Resumo' } });
    expect(await client.rest.get(Routes.channel(thread.id))).toMatchObject({ thread_metadata: { archived: false } });
    await client.rest.patch(Routes.channelMessage(thread.id, question.id), { body: { content: 'de novo' } });
    expect(fake.message(question.id)?.content).toBe('de novo');
  });

  it('GIVEN a forum or media channel THEN no message of its own (50008); a post is a thread started with its first message', async () => {
    const { fake, client } = await start({ guilds: withForums });
    expect(client.channels.cache.get(FORUM)?.type).toBe(ChannelType.GuildForum);
    expect(client.channels.cache.get(MEDIA)?.type).toBe(ChannelType.GuildMedia);
    for (const id of [FORUM, MEDIA]) {
      await expect(client.rest.post(Routes.channelMessages(id), { body: { content: 'x' } })).rejects.toMatchObject({
        status: 400,
        code: 50008,
      });
    }
    const post = (await client.rest.post(Routes.threads(FORUM), {
      body: { name: 'Lição 1', message: { content: 'O que é um container?' } },
    })) as { id: string; parent_id: string; type: number; message: { content: string } };
    expect(post).toMatchObject({ parent_id: FORUM, type: 11, message: { content: 'O que é um container?' } });
    expect(fake.messagesIn(post.id).map((m) => m.content)).toEqual(['O que é um container?']);
  });

  it('GIVEN the default nonce window (30 s) THEN a retry within it returns the first message and one after it makes another; a listing shows no nonce', async () => {
    const clock = new TestClock();
    const { fake, client } = await start({ clock });
    const send = () =>
      client.rest.post(Routes.channelMessages(GERAL), {
        body: { content: 'Lição', nonce: 'drop-1', enforce_nonce: true },
      }) as Promise<{ id: string; nonce?: string }>;
    const first = await send();
    expect(first.nonce).toBe('drop-1');
    clock.advance(29_000);
    expect((await send()).id).toBe(first.id);
    clock.advance(2_000);
    expect((await send()).id).not.toBe(first.id);
    const listed = (await client.rest.get(Routes.channelMessages(GERAL), {
      query: new URLSearchParams({ limit: '10' }),
    })) as { id: string; nonce?: string }[];
    expect(listed).toHaveLength(2);
    expect(listed[1]?.id).toBe(first.id);
    expect(listed.every((message) => message.nonce === undefined)).toBe(true);
    expect(fake.messagesIn(GERAL)).toHaveLength(2);
  });
});
