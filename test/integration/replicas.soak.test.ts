/**
 * Several bot processes on one PostgreSQL post every daily drop once (operations issue): three scheduler processes
 * (test/support/scheduler-process.ts) tick the same database through a simulated month, 2026-03-05 → 2026-04-05,
 * which holds New York's and Lisbon's spring-forward (drops in the skipped hour) and Sydney's fall-back (drops in the
 * repeated hour), for 50 channels in five zones (one at UTC+05:30) with different drop times, weekdays, start dates
 * and quiz close delays; two channels finish a short track on the way. Processes are SIGKILLed and restarted along
 * the way: between ticks, in the middle of a tick, and on purpose in the windows the scheduler cannot close (a post
 * made and its reference not stored yet; the end of a track claimed and not announced yet).
 *
 * The clock is the parent's: every live process ticks the same instant and the next goes out once each answered or
 * died. The instants are every drop's (all on a 30-minute grid in these zones) and, after a tick during which a
 * process died, one 30 minutes later: claims age in virtual time, so the dead process's claims are stale by then and
 * taken over. At least one process is alive at every instant, and every drop time leaves ticks before local
 * midnight, so no drop may legitimately be skipped.
 *
 * The expectations are computed apart from core/drop-schedule (the instants from the platform's Intl time zone data,
 * minute by minute). Asserted:
 * - the database: exactly one drop per channel and expected local date, none missing, none extra, posted or closed,
 *   lessons in track order, every reference stored and no failure recorded;
 * - the chat (what the platform received): exactly one lesson post per drop, at or after its instant and on its
 *   local date, on time unless the process holding it died; each question posted once, in its drop's thread; each
 *   closed quiz summarised once. The platform makes keyed posts idempotent as Slack (metadata looked up on a retry)
 *   and Discord (`nonce` + `enforce_nonce`) do, so the retry of a post made by a process killed before it stored the
 *   reference gets the first post back instead of posting again: every armed crash in that window was followed by
 *   such a retry, and only posts the scheduler marked as retries were ever deduplicated;
 * - each end of a track is announced exactly once, on or after the next drop day after its last lesson, also when
 *   the process that claimed it died before posting (the stale claim is taken over).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type App, openApp } from '../../src/app.ts';
import { loadTracks } from '../../src/content/load-tracks.ts';
import type { Track } from '../../src/core/curriculum.ts';
import type { Locale } from '../../src/core/locale.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import type { TickResult } from '../../src/scheduler/drop-scheduler.ts';
import { createTestDatabase, postgresUrl } from '../support/databases.ts';
import { dockerTrack, repoRoot } from '../support/engine.ts';
import {
  type CrashPoint,
  type DedupedLine,
  type FileLine,
  type PostLine,
  parsePostsFile,
} from '../support/scheduler-process.ts';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const schedulerProcess = join(repoRoot, 'test', 'support', 'scheduler-process.ts');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const step = 30 * MINUTE;
const firstTick = Date.parse('2026-03-04T15:00:00Z');
const lastTick = Date.parse('2026-04-05T17:00:00Z');
const replicas = 3;

// ---------------------------------------------------------------------------------------------------------------------
// Wall clocks from the platform's time zone data (Intl), not from core/drop-schedule.

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `zone` at `instant`, read as if it were UTC (epoch ms), to the minute. */
function wallClock(zone: string, instant: number): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(zone, format);
  }
  const part: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(instant)) part[type] = Number(value);
  return Date.UTC(part.year ?? 0, (part.month ?? 1) - 1, part.day, part.hour, part.minute);
}

/** The local date (`YYYY-MM-DD`) in `zone` at `instant`. */
function localDate(zone: string, instant: number): string {
  return new Date(wallClock(zone, instant)).toISOString().slice(0, 10);
}

/**
 * The drop's instant as the scheduler's rules define it: the first instant at which the zone's wall clock reads
 * `time` on `date` or later (a time the clocks skip: the jump; a time shown twice: the first time). Found by
 * walking the clock: hour by hour while the wall clock is more than two hours short (the clocks of these zones jump
 * at most an hour, so nothing is skipped), then minute by minute.
 */
function dropInstantOf(zone: string, date: string, time: string): number {
  const target = Date.parse(`${date}T${time}:00Z`);
  let instant = target - 15 * HOUR; // no zone is more than 14 hours ahead of UTC
  while (wallClock(zone, instant) < target - 2 * HOUR) instant += HOUR;
  while (wallClock(zone, instant) < target) instant += MINUTE;
  return instant;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 24 * HOUR).toISOString().slice(0, 10);
}

function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

/** The first instant of the 30-minute grid at or after `instant`. */
const gridAtOrAfter = (instant: number) => firstTick + Math.ceil((instant - firstTick) / step) * step;

// ---------------------------------------------------------------------------------------------------------------------
// The channels.

const ALL = [1, 2, 3, 4, 5, 6, 7];
const MON_WED_FRI_SUN = [1, 3, 5, 7];
const MON_THU = [1, 4];
const TUE_FRI = [2, 5];
const WED_SAT = [3, 6];
const MON_WED_FRI = [1, 3, 5];
const TUE_THU_SAT = [2, 4, 6];
const WEEKEND = [6, 7];
const SUNDAY = [7];

interface ChannelSpec {
  readonly ref: string;
  readonly zone: string;
  readonly time: string;
  readonly weekdays: readonly number[];
  readonly start: string;
  readonly closeMinutes: number | null;
  readonly locale: Locale;
  readonly trackId: 'docker' | 'git-basics';
}

type Row = readonly [time: string, weekdays: readonly number[], start?: string, trackId?: 'git-basics'];

/**
 * Ten channels per zone. The DST days are Sundays: 2026-03-08 in New York (02:00 → 03:00: 02:30 does not exist and
 * happens at 03:00 EDT), 2026-03-29 in Lisbon (01:00 → 02:00: 01:30 happens at 02:00 WEST), 2026-04-05 in Sydney
 * (03:00 → 02:00: 02:30 is shown twice and happens the first time, in AEDT); three channels of each of those zones
 * drop then. Kolkata is UTC+05:30. Each zone has two drop times, several of them the same instant as another zone's,
 * so that a day needs about six ticks: each tick of each process reads every channel, and ticks are what this test
 * spends its time on.
 */
const rows: Record<string, readonly Row[]> = {
  'America/Sao_Paulo': [
    ['09:00', MON_THU],
    ['09:00', TUE_FRI],
    ['09:00', WED_SAT, '2026-03-12'],
    ['09:00', MON_WED_FRI],
    ['21:00', MON_WED_FRI],
    ['21:00', WEEKEND],
    ['21:00', SUNDAY],
    ['21:00', TUE_THU_SAT, '2026-03-20'],
    ['21:00', MON_THU],
    ['09:00', ALL, '2026-03-05', 'git-basics'],
  ],
  'America/New_York': [
    ['02:30', MON_WED_FRI_SUN],
    ['02:30', SUNDAY],
    ['02:30', WEEKEND],
    ['02:30', MON_WED_FRI],
    ['02:30', TUE_FRI],
    ['07:00', SUNDAY],
    ['07:00', MON_THU],
    ['07:00', TUE_FRI, '2026-03-10'],
    ['07:00', WED_SAT],
    ['07:00', TUE_THU_SAT],
  ],
  'Europe/Lisbon': [
    ['01:30', MON_WED_FRI_SUN],
    ['01:30', SUNDAY],
    ['01:30', WEEKEND],
    ['01:30', MON_WED_FRI],
    ['12:00', SUNDAY],
    ['12:00', MON_THU],
    ['12:00', TUE_FRI, '2026-03-16'],
    ['12:00', WED_SAT],
    ['12:00', TUE_THU_SAT],
    ['12:00', MON_WED_FRI, '2026-03-09', 'git-basics'],
  ],
  'Australia/Sydney': [
    ['02:30', MON_WED_FRI_SUN],
    ['02:30', SUNDAY],
    ['02:30', WEEKEND],
    ['02:30', MON_WED_FRI],
    ['02:30', TUE_FRI],
    ['22:00', MON_THU],
    ['22:00', TUE_FRI],
    ['22:00', WED_SAT, '2026-03-11'],
    ['22:00', TUE_THU_SAT],
    ['22:00', SUNDAY],
  ],
  'Asia/Kolkata': [
    ['17:30', MON_THU],
    ['17:30', TUE_FRI],
    ['17:30', WED_SAT],
    ['17:30', MON_WED_FRI],
    ['17:30', WEEKEND, '2026-03-15'],
    ['05:30', MON_WED_FRI],
    ['05:30', TUE_THU_SAT],
    ['05:30', SUNDAY],
    ['05:30', MON_THU],
    ['05:30', WEEKEND],
  ],
};

const closeDelays = [null, 60, 240, null, 1440, 90] as const;

const channels: ChannelSpec[] = Object.entries(rows).flatMap(([zone, list], z) =>
  list.map(([time, weekdays, start, trackId], i) => ({
    ref: `C-${z}-${i}`,
    zone,
    time,
    weekdays,
    start: start ?? '2026-03-05',
    closeMinutes: closeDelays[(z * 10 + i) % closeDelays.length] ?? null,
    locale: (z * 10 + i) % 2 === 0 ? 'pt-BR' : 'en',
    trackId: trackId ?? 'docker',
  })),
);

interface ExpectedDrop {
  readonly channel: ChannelSpec;
  readonly date: string;
  readonly instant: number;
  /** 0-based: the lesson of the track it posts. */
  readonly index: number;
}

interface Expected {
  readonly drops: ExpectedDrop[];
  /** Channels whose track ends within the window: the drop day on which the end is announced. */
  readonly ends: Map<string, { readonly date: string; readonly instant: number }>;
}

/** Every drop the window must have, from the channels' settings alone. */
function expectedDrops(lessonCounts: ReadonlyMap<string, number>): Expected {
  const drops: ExpectedDrop[] = [];
  const ends = new Map<string, { date: string; instant: number }>();
  for (const channel of channels) {
    const lessons = lessonCounts.get(channel.trackId) ?? 0;
    let index = 0;
    for (let date = channel.start; ; date = addDays(date, 1)) {
      if (!channel.weekdays.includes(isoWeekday(date))) continue;
      const instant = dropInstantOf(channel.zone, date, channel.time);
      if (instant > lastTick) break;
      if (index === lessons) {
        ends.set(channel.ref, { date, instant });
        break;
      }
      drops.push({ channel, date, instant, index });
      index++;
    }
  }
  return { drops, ends };
}

// ---------------------------------------------------------------------------------------------------------------------
// The processes.

/** A small seeded generator (mulberry32), so a failing run can be replayed with TRILHA_REPLICAS_SEED. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Replica {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  isReady = false;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  stderr = '';
  readonly results: TickResult[] = [];
  #out = '';
  readonly #waiting = new Map<string, () => void>();

  constructor(
    readonly owner: string,
    readonly file: string,
    databaseUrl: string,
  ) {
    this.proc = spawn(process.execPath, ['--import', tsx, schedulerProcess], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: databaseUrl,
        SCHEDULER_OWNER: owner,
        SCHEDULER_POSTS: file,
        SCHEDULER_TRACKS: join(dirname(file), 'tracks.json'),
        SCHEDULER_KEYS: join(dirname(file), 'keys'),
      },
    });
    // Writing to a process that just died must not fail the test.
    this.proc.stdin.on('error', () => {});
    let onReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    this.proc.stdout.on('data', (chunk: Buffer) => {
      this.#out += chunk.toString();
      const lines = this.#out.split('\n');
      this.#out = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          this.isReady = true;
          onReady();
        } else if (line.startsWith('done ')) {
          const [, at = '', result = '{}'] = line.split(' ');
          this.results.push(JSON.parse(result) as TickResult);
          this.#waiting.get(at)?.();
          this.#waiting.delete(at);
        }
      }
    });
    this.proc.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) =>
      this.proc.on('close', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      }),
    );
    const failedEarly = this.exited.then(() => {
      if (!this.isReady) throw new Error(`${owner} ended before it was ready (${this.exit?.code}): ${this.stderr}`);
    });
    this.ready = Promise.race([ready, failedEarly]);
  }

  get alive(): boolean {
    return this.isReady && this.exit === null;
  }

  send(line: string): void {
    if (this.exit === null) this.proc.stdin.write(`${line}\n`);
  }

  /** Ticks to `at`: 'done' when the tick ended, 'died' when the process died first. */
  tick(at: string): Promise<'done' | 'died'> {
    const done = new Promise<'done'>((resolve) => this.#waiting.set(at, () => resolve('done')));
    this.send(`tick ${at}`);
    return Promise.race([done, this.exited.then(() => 'died' as const)]);
  }

  async kill(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exited;
  }
}

type Event = 'kill-between' | 'kill-mid-tick' | `arm ${Exclude<CrashPoint, 'announce'>}`;

/** The deaths caused along the month, in a random order: plain kills, and crashes armed in a window. */
const plannedEvents: readonly Event[] = ['kill-mid-tick', 'kill-between', 'arm lesson', 'arm question', 'arm summary'];

interface RunLog {
  /** Every process that ever ran, in order. */
  readonly all: Replica[];
  /** The instants ticked, in order. */
  readonly ticks: number[];
  /** Ticks during which a process died (a kill or an armed crash): the claims it held wait for the next tick. */
  readonly deathTicks: Set<number>;
  /** What was done to which process at which tick (`kill-mid-tick` becomes `kill-after-tick` when it came late). */
  readonly events: { readonly tick: number; event: string; readonly owner: string }[];
  /** Wall time of the run, and of the first start of the processes within it. */
  readonly ms: number;
  readonly startMs: number;
}

/**
 * Ticks `replicas` processes through `planned` instants (sorted). After a tick during which a process died, a tick
 * 30 minutes later is added (if none is planned sooner), when the dead process's claims are stale: the takeover.
 * Events are spaced over the month, never in the last `quietTicks`, and one at a time (an armed crash must have
 * happened before the next event). Through `announce` (both ends included), every live process is armed to crash
 * after claiming the end of a track, and no other event happens.
 */
async function runReplicas(
  databaseUrl: string,
  dir: string,
  options: {
    rng: () => number;
    planned: readonly number[];
    /** Ticks with several drops due: where a kill in the middle of a tick is aimed. */
    busy: ReadonlySet<number>;
    announce: { readonly from: number; readonly to: number };
    quietTicks: number;
  },
): Promise<RunLog> {
  const started = Date.now();
  const { rng } = options;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
  const all: Replica[] = [];
  const generations = Array.from({ length: replicas }, () => 0);
  const start = (slot: number) => {
    const owner = `replica-${slot}-${generations[slot]}`;
    generations[slot] = (generations[slot] ?? 0) + 1;
    const replica = new Replica(owner, join(dir, `${owner}.jsonl`), databaseUrl);
    all.push(replica);
    return replica;
  };
  const slots = Array.from({ length: replicas }, (_, slot) => start(slot));
  await Promise.all(slots.map((replica) => replica.ready));
  const startMs = Date.now() - started;

  const planned = [...plannedEvents];
  for (let i = planned.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [planned[i], planned[j]] = [planned[j] as Event, planned[i] as Event];
  }
  const queue = [...options.planned];
  const spacing = Math.floor((queue.length - options.quietTicks) / (planned.length + 1));
  let nextEvent = spacing;
  let pendingArm: Replica | null = null;
  const ticks: number[] = [];
  const deathTicks = new Set<number>();
  const events: RunLog['events'] = [];
  let busyTickMs = 100;

  for (let index = 0; index < queue.length; index++) {
    const instant = queue[index] as number;
    const at = new Date(instant).toISOString();
    ticks.push(instant);
    // Replace the dead; they join once ready. At least one live process ticks every instant.
    for (let slot = 0; slot < replicas; slot++) {
      const replica = slots[slot] as Replica;
      if (replica.exit !== null) {
        if (pendingArm === replica) pendingArm = null;
        slots[slot] = start(slot);
      }
    }
    if (!slots.some((replica) => replica.alive)) await Promise.race(slots.map((replica) => replica.ready));
    let live = slots.filter((replica) => replica.alive);

    let midTickVictim: Replica | null = null;
    const event = planned[0];
    const quiet = index >= queue.length - options.quietTicks;
    const announcing = instant >= options.announce.from && instant <= options.announce.to;
    const eventDue =
      event !== undefined && index >= nextEvent && !quiet && !announcing && pendingArm === null && live.length >= 2;
    if (eventDue && (event !== 'kill-mid-tick' || options.busy.has(instant))) {
      planned.shift();
      nextEvent = index + spacing;
      const victim = pick(live);
      events.push({ tick: instant, event, owner: victim.owner });
      if (event === 'kill-between') {
        await victim.kill();
        live = live.filter((replica) => replica !== victim);
      } else if (event === 'kill-mid-tick') {
        midTickVictim = victim;
      } else {
        victim.send(event);
        pendingArm = victim;
      }
    }
    if (announcing) {
      for (const replica of live) replica.send('arm announce');
      if (instant === options.announce.from) events.push({ tick: instant, event: 'arm announce', owner: 'all' });
    }

    const tickStarted = Date.now();
    const outcomes = Promise.all(live.map((replica) => replica.tick(at)));
    let timer: NodeJS.Timeout | undefined;
    if (midTickVictim) {
      const victim = midTickVictim;
      timer = setTimeout(() => victim.proc.kill('SIGKILL'), Math.floor(rng() * 0.4 * busyTickMs));
    }
    const ended = await outcomes;
    const died = ended.includes('died');
    if (options.busy.has(instant) && !midTickVictim) busyTickMs = 0.8 * busyTickMs + 0.2 * (Date.now() - tickStarted);
    if (midTickVictim) {
      // A victim that finished its tick before the kill dies idle, between ticks.
      clearTimeout(timer);
      await midTickVictim.kill();
      const last = events.at(-1);
      if (last && ended[live.indexOf(midTickVictim)] === 'done') last.event = 'kill-after-tick';
    }
    if (instant === options.announce.to) for (const replica of slots) replica.send('disarm announce');
    if (died) {
      deathTicks.add(instant);
      const takeover = instant + step;
      if ((queue[index + 1] ?? Number.POSITIVE_INFINITY) > takeover) queue.splice(index + 1, 0, takeover);
    }
  }

  for (const replica of slots) {
    await replica.ready;
    replica.send('quit');
    await replica.exited;
  }
  return { all, ticks, deathTicks, events, ms: Date.now() - started, startMs };
}

// ---------------------------------------------------------------------------------------------------------------------

async function seed(app: App): Promise<Map<string, string>> {
  const { members, drops } = app.services.stores;
  const workspace = await members.ensureWorkspace({
    platform: 'terminal',
    externalId: 'T-REPLICAS',
    name: 'Replicas',
    defaultLocale: 'pt-BR',
    timeZone: 'America/Sao_Paulo',
  });
  const ids = new Map<string, string>();
  for (const channel of channels) {
    const record = await drops.ensureChannel({
      workspaceId: workspace.id,
      externalId: channel.ref,
      name: channel.ref.toLowerCase(),
      trackId: channel.trackId,
      locale: channel.locale,
      timeZone: channel.zone,
      dropTime: channel.time,
      weekdays: channel.weekdays,
      startDate: channel.start,
    });
    if (channel.closeMinutes !== null) await drops.updateChannel(record.id, { quizCloseMinutes: channel.closeMinutes });
    ids.set(channel.ref, record.id);
  }
  return ids;
}

const key = (channelRef: string, date: string) => `${channelRef} ${date}`;

describe.skipIf(!postgresUrl)('several bot processes on one PostgreSQL (skipped without PostgreSQL)', () => {
  it('GIVEN three scheduler processes killed and restarted through a month of drops in 50 channels across DST changes THEN each drop is stored once and posted once, also when a process dies between a post and its record', {
    timeout: 900_000,
  }, async () => {
    const seedValue = Number(process.env.TRILHA_REPLICAS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const context = `seed ${seedValue} (TRILHA_REPLICAS_SEED=${seedValue} repeats its random choices)`;
    const fixtureTracks = loadTracks(join(repoRoot, 'test', 'fixtures', 'content')).tracks;
    const tracks: Track[] = [...dockerTrack(), ...fixtureTracks];
    const trackById = new Map(tracks.map((track) => [track.id, track]));
    const lessonCounts = new Map(tracks.map((track) => [track.id, track.lessons.length]));
    const expected = expectedDrops(lessonCounts);
    const spec = new Map(channels.map((channel) => [channel.ref, channel]));

    // The DST days as the time zone data gives them, and drops on each of them: a time the clocks skip happens when
    // they jump, a time shown twice happens the first time.
    const dstDrops: [zone: string, date: string, time: string, at: string][] = [
      ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:00:00.000Z'],
      ['Europe/Lisbon', '2026-03-29', '01:30', '2026-03-29T01:00:00.000Z'],
      ['Australia/Sydney', '2026-04-05', '02:30', '2026-04-04T15:30:00.000Z'],
    ];
    for (const [zone, date, time, at] of dstDrops) {
      const due = expected.drops.filter((d) => d.channel.zone === zone && d.date === date && d.channel.time === time);
      expect(due.length, `${zone} ${date} ${time}`).toBeGreaterThanOrEqual(1);
      for (const drop of due) expect(new Date(drop.instant).toISOString(), `${zone} ${date} ${time}`).toBe(at);
    }

    // The end of the track whose announcement is crashed on purpose (the first), and the one announced normally. The
    // end can be claimed as soon as the last lesson is posted (see the end of the test), so the crash is armed from
    // the last lesson's tick to the end's.
    const lastLessonAt = (ref: string) =>
      Math.max(...expected.drops.filter((drop) => drop.channel.ref === ref).map((drop) => drop.instant));
    const [lostEnd, keptEnd] = [...expected.ends.entries()].sort((a, b) => a[1].instant - b[1].instant);
    if (!lostEnd || !keptEnd) throw new Error('both short-track channels must end within the window');
    const announce = { from: lastLessonAt(lostEnd[0]), to: lostEnd[1].instant };
    expect(lastLessonAt(keptEnd[0]), 'the two ends are apart').toBeGreaterThan(announce.to);

    // The ticks: every drop's instant (all on the 30-minute grid) and the ends of tracks, from before the first drop to
    // the last tick.
    const rng = random(seedValue);
    const dueAt = new Map<number, number>();
    for (const drop of expected.drops) dueAt.set(drop.instant, (dueAt.get(drop.instant) ?? 0) + 1);
    const planned = new Set([
      firstTick,
      lastTick,
      ...dueAt.keys(),
      ...[...expected.ends.values()].map((e) => e.instant),
    ]);
    expect([...planned].every((instant) => instant === gridAtOrAfter(instant))).toBe(true);

    const database = await createTestDatabase('postgresql', { migrated: true });
    const dir = mkdtempSync(join(tmpdir(), 'trilha-replicas-'));
    writeFileSync(join(dir, 'tracks.json'), JSON.stringify(tracks));
    mkdirSync(join(dir, 'keys'));
    const app = await openApp({
      database: database.target,
      tracks,
      defaults: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
      logger: silentLogger(),
    });
    let failureNote = 'the processes did not finish';
    let passed = false;
    try {
      const channelIds = await seed(app);
      const refOfChannelId = new Map([...channelIds].map(([ref, id]) => [id, ref]));
      const run = await runReplicas(database.target.url, dir, {
        rng,
        planned: [...planned].sort((a, b) => a - b),
        busy: new Set([...dueAt].filter(([, count]) => count >= 3).map(([instant]) => instant)),
        announce,
        quietTicks: 20,
      });
      const story = `${run.ticks.length} ticks in ${run.ms} ms (first start ${run.startMs} ms), ${run.all.length} processes; ${run.events.map((e) => `${e.event}@${new Date(e.tick).toISOString().slice(5, 16)}`).join(', ')}`;
      failureNote = `the run: ${story}`;
      /** Whether a claim due at `instant` and finished at `done` was held up only by deaths: at every tick between. */
      const heldOnlyByDeaths = (instant: number, done: number) =>
        run.ticks.filter((tick) => tick >= instant && tick < done).every((tick) => run.deathTicks.has(tick));
      const onTime = (instant: number, done: number) => !run.ticks.some((tick) => tick >= instant && tick < done);

      // Every process ended as planned: killed (SIGKILL) or asked to quit (0), and logged nothing.
      const dead = new Set<string>();
      for (const replica of run.all) {
        expect(replica.exit?.signal ?? replica.exit?.code, `${replica.owner}: ${replica.stderr}`).toBeOneOf([
          'SIGKILL',
          0,
        ]);
        if (replica.exit?.signal === 'SIGKILL') dead.add(replica.owner);
        expect(replica.stderr, `${replica.owner} logged`).toBe('');
        for (const result of replica.results) expect(result.failed, `${replica.owner} ${context}`).toBe(0);
      }

      // The chat, as the platform saw it: every process's posts and records, in the order each process wrote them.
      const files = new Map<string, FileLine[]>();
      for (const name of readdirSync(dir).filter((file) => file.endsWith('.jsonl'))) {
        files.set(name.replace(/\.jsonl$/, ''), parsePostsFile(readFileSync(join(dir, name), 'utf8')));
      }
      const lines = [...files.values()].flat();
      const posts = lines.filter((line): line is PostLine => line.e === 'post');
      const recordedRefs = new Set(lines.flatMap((line) => (line.e === 'recorded' ? [line.ref] : [])));
      /** Whether the process that made a summary marked its quiz closed afterwards. */
      const closedAfter = (post: PostLine, dropId: string) => {
        const own = files.get(post.owner) ?? [];
        return own
          .slice(own.indexOf(post) + 1)
          .some((line) => line.e === 'closed' && line.dropId === dropId && line.ok);
      };
      expect(
        lines.filter((line) => line.e === 'closed' && !line.ok),
        'a close claim lost while closing',
      ).toEqual([]);

      // The database: one drop per expected channel and local date, nothing else.
      const rowsInDb = await app.db.drop.findMany({ include: { questions: true }, orderBy: { localDate: 'asc' } });
      const dropByKey = new Map(
        rowsInDb.map((row) => [key(refOfChannelId.get(row.channelId) ?? row.channelId, row.localDate), row]),
      );
      expect(rowsInDb).toHaveLength(dropByKey.size);
      expect([...dropByKey.keys()].sort(), context).toEqual(
        expected.drops.map((drop) => key(drop.channel.ref, drop.date)).sort(),
      );

      const dropByMessageRef = new Map(rowsInDb.map((row) => [row.messageRef, row]));
      const storedRefs = new Set(
        rowsInDb.flatMap((row) => [row.messageRef, ...row.questions.map((q) => q.messageRef)]),
      );
      expect(
        [...recordedRefs].filter((ref) => !storedRefs.has(ref)),
        'recorded, then replaced',
      ).toEqual([]);
      const lessonPosts = posts.filter((post) => post.kind === 'lesson');
      const byDropKey = new Map<string, PostLine[]>();
      for (const post of lessonPosts) {
        const channel = spec.get(post.channel);
        const at = Date.parse(post.tick);
        const date = channel ? localDate(channel.zone, at) : '?';
        byDropKey.set(key(post.channel, date), [...(byDropKey.get(key(post.channel, date)) ?? []), post]);
      }
      expect([...byDropKey.keys()].sort(), `lesson posts only for expected drops, ${context}`).toEqual(
        [...dropByKey.keys()].sort(),
      );

      let late = 0;
      /** The ticks of each channel's recorded lessons, in date order. */
      const lessonTicks = new Map<string, number[]>();
      let duplicateLessons = 0;
      for (const drop of expected.drops) {
        const where = `${key(drop.channel.ref, drop.date)} (${context})`;
        const row = dropByKey.get(key(drop.channel.ref, drop.date));
        const track = trackById.get(drop.channel.trackId) as Track;
        const lesson = track.lessons[drop.index];
        expect(row?.status, where).toBeOneOf(['posted', 'closed']);
        expect(row?.lessonId, where).toBe(lesson?.id);
        expect(row?.lastError ?? null, where).toBeNull();
        expect(row?.questions.length, where).toBe(lesson?.questions.length);

        // Exactly one lesson post, and it is the drop's recorded one (a retry after a crash got it back).
        const made = byDropKey.get(key(drop.channel.ref, drop.date)) ?? [];
        duplicateLessons += Math.max(0, made.length - 1);
        expect(made, where).toHaveLength(1);
        const [post] = made as [PostLine];
        expect(post.ref, where).toBe(row?.messageRef);
        expect(post.headline, where).toBe(lesson?.title[drop.channel.locale]);

        // On time at the first tick at or after its instant, unless the process holding it died during that tick
        // (and the one taking it over during the next…): a claim is taken over at the next tick.
        const tick = Date.parse(post.tick);
        expect(tick, where).toBeGreaterThanOrEqual(drop.instant);
        expect(localDate(drop.channel.zone, tick), where).toBe(drop.date);
        expect(heldOnlyByDeaths(drop.instant, tick), `${where}: posted late with no death`).toBe(true);
        if (!onTime(drop.instant, tick)) late++;
        lessonTicks.set(drop.channel.ref, [...(lessonTicks.get(drop.channel.ref) ?? []), tick]);
      }

      // Questions: each posted question recorded once, in its drop's thread; any other post of it was made by a process
      // killed before it stored the reference (the takeover posts the question again).
      const questionPosts = posts.filter((post) => post.kind === 'question');
      let duplicateQuestions = 0;
      for (const row of rowsInDb) {
        for (const question of row.questions) {
          const where = `question ${question.position} of ${row.localDate} in ${refOfChannelId.get(row.channelId)} (${context})`;
          const made = questionPosts.filter((post) => post.postedQuestionId === question.id);
          duplicateQuestions += Math.max(0, made.length - 1);
          expect(made, where).toHaveLength(1);
          expect(made[0]?.ref, where).toBe(question.messageRef);
          expect(made[0]?.threadOf, where).toBe(row.messageRef);
        }
      }
      expect(questionPosts.length, context).toBe(
        rowsInDb.reduce((sum, row) => sum + row.questions.length, 0) + duplicateQuestions,
      );

      // Summaries: a closed quiz has at least one; a summary its process did not follow by marking the quiz closed was
      // made by a process killed in between (the close was then taken over, with a second summary).
      const summaries = posts.filter((post) => post.kind === 'summary');
      let duplicateSummaries = 0;
      for (const row of rowsInDb) {
        const where = `summary of ${row.localDate} in ${refOfChannelId.get(row.channelId)} (${context})`;
        const made = summaries.filter((post) => post.threadOf === row.messageRef);
        const confirmed = made.filter((post) => closedAfter(post, row.id));
        for (const post of made.filter((candidate) => !confirmed.includes(candidate))) {
          expect(dead.has(post.owner), `${where}: unexplained summary ${post.ref}`).toBe(true);
        }
        if (row.status === 'closed') {
          duplicateSummaries += Math.max(0, made.length - 1);
          expect(made, where).toHaveLength(1);
          expect(row.closedAt?.getTime(), where).toBeGreaterThanOrEqual(row.closesAt?.getTime() ?? Infinity);
        } else {
          expect(confirmed, where).toHaveLength(0);
          // Every quiz due to close before the last tick was closed.
          expect(row.closesAt?.getTime(), where).toBeGreaterThan(lastTick);
        }
      }
      expect(
        summaries.every((post) => dropByMessageRef.has(post.threadOf ?? '')),
        'summaries only in drop threads',
      ).toBe(true);

      // The ends of the short track: claimed on or after the next drop day after the last lesson (never in the last
      // lesson's own tick: the scheduler reads the last drop date again before announcing), and announced exactly
      // once, also the one whose first claimer died before posting (crashed there on purpose: taken over once stale).
      const announcements = posts.filter((post) => post.kind === 'announcement');
      const claimLines = lines.filter((line) => line.e === 'end-claimed');
      for (const [ref, end] of expected.ends) {
        const where = `end of the track in ${ref} (${context})`;
        const claims = claimLines.filter((line) => line.e === 'end-claimed' && line.channelId === channelIds.get(ref));
        expect(claims.length, where).toBeGreaterThanOrEqual(ref === lostEnd[0] ? 2 : 1);
        const firstClaim = Date.parse((claims[0] as { tick: string }).tick);
        expect(firstClaim, where).toBeGreaterThanOrEqual(end.instant);
        expect(localDate(spec.get(ref)?.zone ?? '', firstClaim), where).toBe(end.date);
        expect(heldOnlyByDeaths(end.instant, firstClaim), `${where}: claimed late with no death`).toBe(true);
        const made = announcements.filter((post) => post.channel === ref);
        expect(made, where).toHaveLength(1);
        expect(Date.parse((made[0] as PostLine).tick), where).toBeGreaterThanOrEqual(end.instant);
        const channelRow = await app.db.channel.findUniqueOrThrow({ where: { id: channelIds.get(ref) ?? '' } });
        expect(channelRow.trackEndPostedAt, where).not.toBeNull();
      }
      expect(announcements).toHaveLength(expected.ends.size);

      // Each kind of armed crash happened, and each was followed by a retry the platform answered with the first post.
      const crashed = (kind: PostLine['kind']) => posts.filter((post) => post.crash && post.kind === kind).length;
      const deduped = lines.filter((line): line is DedupedLine => line.e === 'deduped');
      const retried = (kind: PostLine['kind']) => deduped.filter((line) => line.kind === kind).length;
      expect(crashed('lesson'), context).toBeGreaterThanOrEqual(1);
      expect(crashed('question'), context).toBeGreaterThanOrEqual(1);
      expect(crashed('summary'), context).toBeGreaterThanOrEqual(1);
      expect(retried('lesson'), context).toBeGreaterThanOrEqual(crashed('lesson'));
      expect(retried('question'), context).toBeGreaterThanOrEqual(crashed('question'));
      expect(retried('summary'), context).toBeGreaterThanOrEqual(crashed('summary'));
      expect(
        deduped.filter((line) => !line.retry),
        'a post the scheduler did not mark as a retry was already on the platform',
      ).toEqual([]);
      expect(duplicateLessons + duplicateQuestions + duplicateSummaries, context).toBe(0);

      passed = true;
      console.info(
        `replicas: ${context}; ${story}; ${dead.size} killed; ` +
          `${expected.drops.length} drops, ${late} late after a death; posts: ${lessonPosts.length} lessons ` +
          `(${crashed('lesson')} armed crashes, ${retried('lesson')} retries deduplicated), ${questionPosts.length} ` +
          `questions (${crashed('question')} armed, ${retried('question')} deduplicated), ${summaries.length} ` +
          `summaries (${crashed('summary')} armed, ${retried('summary')} deduplicated), ${announcements.length} of ` +
          `${expected.ends.size} track ends announced (${claimLines.length} claims)`,
      );
    } finally {
      await app.close();
      await database.drop();
      if (passed) rmSync(dir, { recursive: true, force: true });
      else console.info(`replicas: ${context}; ${failureNote}; the posts files are kept in ${dir}`);
    }
  });
});
