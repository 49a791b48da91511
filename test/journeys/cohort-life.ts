/**
 * The life of a cohort through the terminal adapter, and the rules it must keep, checked after every simulated day
 * (issue 16). The members follow the paths the bot suggests; the checks are written from the rules in docs/scoring.md,
 * docs/ranking.md and docs/streaks.md, recounted here from the attempts in the database and from what the terminal
 * printed, never from the code that keeps the counters:
 *
 * - XP once per member and question: a later answer (practice) earns no answer XP, only a streak bonus (≤ 7) when it is
 *   the first scored answer of its local day; MemberStats' XP and first tries equal the recount.
 * - The weekly and all-time boards equal a recount: the rows' counters from the attempts (a first try counts for every
 *   cohort of the member in the week it happened, whatever the context; a question counts once a week), and the
 *   points the `ranking` command prints from the formula, with the member's hold days left out of the yardsticks.
 * - Equal results give equal points.
 * - No question of a lesson the member has not seen, and no drop to come, is ever shown.
 * - The report's states (answered, unanswered, first try right) equal a recount, and nobody ahead is "behind".
 * - Every reply to a member is in the member's language.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { TerminalRenderer } from '../../src/adapters/terminal/render.ts';
import { parseDuration } from '../../src/adapters/terminal/terminal.adapter.ts';
import type { Lesson, Question, Track } from '../../src/core/curriculum.ts';
import type { Locale } from '../../src/core/locale.ts';
import type { TestEngine } from '../support/engine.ts';
import { driveTerminal, type TerminalDriver } from '../support/terminal-driver.ts';

/** A question as the terminal showed it: which one, and the number of each option's button. */
export interface ShownQuestion {
  readonly question: Question;
  readonly lesson: Lesson;
  /** Button numbers by option index. */
  readonly buttons: Map<number, string>;
  /** A command exercise's "type the command" button number. */
  readonly typeButton?: string;
}

interface Member {
  readonly name: string;
  readonly locale: Locale;
}

/** The rules' constants, as docs/scoring.md and docs/ranking.md state them. */
const xpRight = 10;
const xpWrong = 2;
const xpReviewRight = 5;
const xpReviewWrong = 1;
const xpDifficulty = { easy: 0, medium: 2, hard: 5 } as const;
const streakBonusCap = 7;

export class CohortLife {
  readonly terminal: TerminalDriver;
  readonly track: Track;
  readonly filesDir: string;
  readonly #renderer = new TerminalRenderer({ color: false });
  readonly #members = new Map<string, Member>();
  #actor = '';
  /** Every problem found, with the day it was found on; a test expects it empty. */
  readonly problems: string[] = [];
  day = '';

  constructor(readonly engine: TestEngine) {
    this.filesDir = mkdtempSync(join(tmpdir(), 'trilha-journey-'));
    this.terminal = driveTerminal(engine, { filesDir: this.filesDir });
    this.track = engine.app.services.curriculum.tracks[0] as Track;
  }

  get db() {
    return this.engine.app.db;
  }

  /** The terminal's clock (the scheduler's and every request's): it starts at the engine's and moves with `/tick`. */
  now(): Date {
    return this.engine.clock.now;
  }

  problem(text: string): void {
    this.problems.push(`${this.day}: ${text}`);
  }

  /** Acts as `name` from now on (created on first use, in `locale`). */
  async as(name: string, locale: Locale = 'pt-BR', admin = false): Promise<void> {
    if (this.#actor === name) return;
    await this.terminal.send(`/as ${name}${admin ? ' admin' : ''}`);
    this.#actor = name;
    if (!this.#members.has(name)) {
      this.#members.set(name, { name, locale });
      if (locale !== 'pt-BR') await this.send(`idioma ${locale}`);
    }
  }

  /**
   * Types a line as the current member; checks the reply's language and that no question it shows is of a lesson the
   * member has not seen or a drop to come.
   */
  async send(line: string): Promise<string> {
    const out = await this.terminal.send(line);
    await this.#checkReply(out);
    return out;
  }

  /** Moves the clock; the posts it prints are channel posts (checked for drops to come too). */
  async tick(amount: string): Promise<string> {
    const out = await this.terminal.send(`/tick ${amount}`);
    const duration = parseDuration(amount);
    if (duration) this.engine.clock.advance(duration.ms);
    await this.#checkShown(out, null);
    await this.#checkQuizResults(out);
    return out;
  }

  /** A quiz result posted in #geral: a question nobody answered says "sem respostas", never an accuracy. */
  async #checkQuizResults(out: string): Promise<void> {
    for (const post of out.split(/^── /m)) {
      const title = /^[^\n]*──\nResultado do quiz: (.+)$/m.exec(post)?.[1];
      if (!title) continue;
      const lesson = this.track.lessons.find((candidate) => candidate.title['pt-BR'] === title);
      const drop = lesson
        ? await this.db.drop.findFirst({
            where: { lessonId: lesson.id },
            include: { questions: { include: { attempts: { where: { scored: true } } } } },
          })
        : null;
      if (!drop) {
        this.problem(`a quiz result for an unknown lesson: ${title}`);
        continue;
      }
      for (const question of drop.questions) {
        const line = new RegExp(`^Pergunta ${question.position + 1} · (.+)$`, 'm').exec(post)?.[1] ?? '';
        const unanswered = question.attempts.length === 0;
        if (line === '') this.problem(`quiz result of ${title}: no line for question ${question.position + 1}`);
        if (
          unanswered !== line.startsWith('sem respostas') ||
          (unanswered && /acert/.test(post.split(line)[1]?.split('Pergunta')[0] ?? ''))
        ) {
          this.problem(
            `quiz result of ${title}, question ${question.position + 1}: “${line}” with ${question.attempts.length} answers`,
          );
        }
      }
    }
  }

  /** The questions shown in `out`, in order, known by their prompt. */
  questionsIn(out: string): ShownQuestion[] {
    const shown: ShownQuestion[] = [];
    const parts = out.split(/^(?:Pergunta|Question) \d+ (?:de|of) \d+$/m).slice(1);
    for (const part of parts) {
      const body = part.split('\n\n')[0] ?? '';
      const lines = body.split('\n').filter((line) => line !== '');
      const firstButton = lines.findIndex((line) => /^ {2}\[\d+\] /.test(line));
      const prompt = lines
        .slice(0, firstButton < 0 ? lines.length : firstButton)
        .join('\n')
        .trim();
      const found = this.#questionByPrompt(prompt);
      if (!found) {
        this.problem(`a question shown that is not in the content: ${prompt.slice(0, 80)}`);
        continue;
      }
      const buttons = new Map<number, string>();
      for (const match of body.matchAll(/^ {2}\[(\d+)\] ([A-D])\) /gm)) {
        buttons.set((match[2] ?? 'A').charCodeAt(0) - 65, match[1] ?? '');
      }
      const typeButton = /^ {2}\[(\d+)\] ⌨️/m.exec(body)?.[1];
      shown.push({ ...found, buttons, ...(typeButton ? { typeButton } : {}) });
    }
    return shown;
  }

  /** Answers the questions shown in `out` (those `which` keeps) with `choose`'s option; returns the feedback printed. */
  async answer(
    out: string,
    choose: (question: Question) => number,
    which: (question: Question) => boolean = () => true,
  ): Promise<string[]> {
    const replies: string[] = [];
    for (const shown of this.questionsIn(out)) {
      if (!which(shown.question)) continue;
      const exercise = shown.question.command;
      if (exercise && shown.typeButton) {
        // A command exercise: its button, then the typed line, graded by parsing (0 = an accepted command).
        await this.send(shown.typeButton);
        const typed = choose(shown.question) === shown.question.correctIndex ? exercise.accept[0] : 'docker version';
        replies.push(await this.send(typed ?? 'docker version'));
        continue;
      }
      const button = shown.buttons.get(choose(shown.question));
      if (!button) throw new Error(`no button for ${shown.question.id}`);
      replies.push(await this.send(button));
    }
    return replies;
  }

  #prompts?: Map<string, { question: Question; lesson: Lesson }>;
  #questionByPrompt(prompt: string): { question: Question; lesson: Lesson } | undefined {
    if (!this.#prompts) {
      this.#prompts = new Map();
      for (const lesson of this.track.lessons) {
        for (const question of lesson.questions) {
          for (const locale of ['pt-BR', 'en'] as const) {
            const rendered = this.#renderer.block({ kind: 'text', text: question.prompt[locale] }).join('\n').trim();
            this.#prompts.set(rendered, { question, lesson });
          }
        }
      }
    }
    return this.#prompts.get(prompt);
  }

  async #checkReply(out: string): Promise<void> {
    const member = this.#members.get(this.#actor);
    if (member) {
      // Replies to the member (private ones carry the "only you" label in their language).
      const own = out.split(/^── /m).filter((part) => !part.startsWith('#geral ·'));
      const text = own.join('');
      if (member.locale === 'en' && /Só você vê isto|Pergunta \d+ de|Você |ainda não/.test(text)) {
        this.problem(`${member.name} (en) got Portuguese: ${text.slice(0, 300)}`);
      }
      if (member.locale === 'pt-BR' && /Only you can see this|Question \d+ of|You have|You are/.test(text)) {
        this.problem(`${member.name} (pt-BR) got English: ${text.slice(0, 300)}`);
      }
    }
    await this.#checkShown(out, this.#actor);
  }

  /** No question of a lesson that is neither posted in the channel nor seen by `actor`. */
  async #checkShown(out: string, actor: string | null): Promise<void> {
    const shown = this.questionsIn(out);
    if (shown.length === 0) return;
    const posted = new Set(
      (await this.db.drop.findMany({ where: { postedAt: { not: null } }, select: { lessonId: true } })).map(
        (drop) => drop.lessonId,
      ),
    );
    const member = actor ? await this.db.member.findFirst({ where: { displayName: actor } }) : null;
    const seen = new Set(
      member
        ? (await this.db.lessonProgress.findMany({ where: { memberId: member.id } })).map((row) => row.lessonId)
        : [],
    );
    for (const { lesson, question } of shown) {
      if (!posted.has(lesson.id) && !seen.has(lesson.id)) {
        this.problem(`${actor ?? '#geral'} was shown ${question.id} of “${lesson.id}”, neither posted nor seen`);
      }
    }
  }

  /** Runs every invariant against the database and the boards as printed. */
  async checkInvariants(): Promise<void> {
    const cohorts = await this.db.cohort.findMany();
    const members = await this.db.member.findMany();
    const nameOf = new Map(members.map((member) => [member.id, member.displayName]));
    const attempts = await this.db.attempt.findMany({ orderBy: [{ answeredAt: 'asc' }, { id: 'asc' }] });
    const byMember = groupBy(attempts, (attempt) => attempt.memberId);
    const stats = new Map((await this.db.memberStats.findMany()).map((row) => [row.memberId, row]));

    // XP once per member and question; MemberStats agrees with the attempts.
    for (const [memberId, rows] of byMember) {
      const name = nameOf.get(memberId);
      const tried = new Set<string>();
      const days = new Set<string>();
      let xp = 0;
      let firstTries = 0;
      let firstTryCorrect = 0;
      for (const row of rows) {
        if (!row.scored) {
          if (row.xp !== 0) this.problem(`${name}: an unscored answer earned ${row.xp} XP`);
          continue;
        }
        xp += row.xp;
        const question = this.engine.app.services.curriculum.question(row.trackId, row.questionId);
        const firstOfDay = !days.has(row.localDate);
        days.add(row.localDate);
        let base: number;
        if (row.context === 'review') base = row.correct ? xpReviewRight : xpReviewWrong;
        else if (tried.has(`${row.trackId}/${row.questionId}`)) base = 0;
        else {
          tried.add(`${row.trackId}/${row.questionId}`);
          firstTries += 1;
          firstTryCorrect += row.correct ? 1 : 0;
          base = row.correct ? xpRight + xpDifficulty[question?.difficulty ?? 'easy'] : xpWrong;
        }
        const bonus = row.xp - base;
        if (bonus < 0 || bonus > streakBonusCap || (!firstOfDay && bonus !== 0)) {
          this.problem(`${name}: ${row.context} answer to ${row.questionId} earned ${row.xp} XP, expected ${base}`);
        }
      }
      const stat = stats.get(memberId);
      if (stat && (stat.xp !== xp || stat.firstTries !== firstTries || stat.firstTryCorrect !== firstTryCorrect)) {
        this.problem(
          `${name}: stats ${stat.xp} XP / ${stat.firstTries} first tries / ${stat.firstTryCorrect} right; recount ${xp} / ${firstTries} / ${firstTryCorrect}`,
        );
      }
    }

    const holds = groupBy(await this.db.hold.findMany(), (hold) => hold.memberId);
    for (const cohort of cohorts) {
      const drops = await this.db.drop.findMany({
        where: { channel: { cohortId: cohort.id }, postedAt: { not: null } },
        include: { questions: true },
      });
      const inCohort = (await this.db.cohortMember.findMany({ where: { cohortId: cohort.id } })).map(
        (row) => row.memberId,
      );
      const week = isoWeek(this.now(), cohort.timeZone);
      const expected = new Map<
        string,
        { week: Counts; all: Counts; weekPoints: number; allPoints: number; weekYardstick: string }
      >();
      for (const memberId of inCohort) {
        const rows = (byMember.get(memberId) ?? []).filter((row) => row.scored);
        const weeks = recountWeeks(rows, cohort.timeZone);
        // The stored weekly rows equal the recount, week by week.
        const stored = await this.db.weeklyScore.findMany({ where: { cohortId: cohort.id, memberId } });
        for (const [w, counts] of weeks) {
          const row = stored.find((candidate) => candidate.week === w);
          const got = row && {
            firstTries: row.firstTries,
            firstTryCorrect: row.firstTryCorrect,
            questions: row.answered - row.reviews,
            reviews: row.reviews,
            reviewsKept: row.reviewsKept,
            activeDays: row.activeDays,
            xp: row.xp,
          };
          if (!got || JSON.stringify(got) !== JSON.stringify(counts)) {
            this.problem(
              `${nameOf.get(memberId)} ${w} in ${cohort.slug}: stored ${JSON.stringify(got)}, recount ${JSON.stringify(counts)}`,
            );
          }
        }
        const held = (holds.get(memberId) ?? []).map((hold) => [hold.startDate, hold.endDate] as const);
        const onHold = (date: string) => held.some(([from, to]) => date >= from && date <= to);
        const weekDrops = drops.filter((drop) => isoWeekOfDate(drop.localDate) === week && !onHold(drop.localDate));
        const allDrops = drops.filter((drop) => !onHold(drop.localDate));
        const weekCounts = weeks.get(week);
        const all = sumCounts([...weeks.values()]);
        if (all.firstTries === 0 && all.reviews === 0) continue;
        expected.set(memberId, {
          // A hold takes its days' drops out of the member's yardstick (docs/ranking.md): equal results give equal
          // points only against the same drops.
          weekYardstick: weekDrops.map((drop) => drop.id).join(','),
          week: weekCounts ?? emptyCounts(),
          all,
          weekPoints: weekCounts
            ? points(weekCounts, {
                questions: sum(weekDrops, (drop) => drop.questions.length),
                days: new Set(weekDrops.map((drop) => drop.localDate)).size,
              })
            : Number.NaN,
          allPoints: points(
            { ...all, questions: all.firstTries },
            { questions: sum(allDrops, (drop) => drop.questions.length), days: null },
          ),
        });
      }
      // The boards as the `ranking` command prints them.
      // The cohort of #geral (the only one): `ranking semana` is this week, `ranking total` all time.
      const weekOut = await this.send('ranking semana');
      const weekBoard = parseBoard(weekOut);
      const allBoard = parseBoard(await this.send('ranking total'));
      for (const [memberId, want] of expected) {
        const name = nameOf.get(memberId) ?? memberId;
        if (!Number.isNaN(want.weekPoints) && weekBoard.get(name) !== want.weekPoints) {
          this.problem(`${name} this week: board ${weekBoard.get(name)} pts, recount ${want.weekPoints} pts`);
        }
        if (allBoard.get(name) !== want.allPoints) {
          this.problem(`${name} all time: board ${allBoard.get(name)} pts, recount ${want.allPoints} pts`);
        }
      }
      // Equal results against the same drops, equal points.
      const list = [...expected.entries()];
      for (const [a, wa] of list) {
        for (const [b, wb] of list) {
          if (a >= b) continue;
          const [na, nb] = [nameOf.get(a) ?? a, nameOf.get(b) ?? b];
          const same = sameResults(wa.week, wb.week) && wa.weekYardstick === wb.weekYardstick;
          if (same && weekBoard.get(na) !== weekBoard.get(nb)) {
            this.problem(`${na} and ${nb}: same week, ${weekBoard.get(na)} ≠ ${weekBoard.get(nb)} pts`);
          }
        }
      }
    }
  }

  /** The facilitator report against a recount: answered, unanswered, first tries right; nobody ahead is behind. */
  async checkReport(admin: string): Promise<void> {
    await this.as(admin, 'pt-BR', true);
    const out = await this.send('relatorio');
    const path = /📎 \S+ \([^)]+\) salvo em (.+\.csv)$/m.exec(out)?.[1];
    if (!path) {
      this.problem(`no report CSV in: ${out.slice(0, 400)}`);
      return;
    }
    const rows = parseCsv(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
    const header = rows[0] ?? [];
    const col = (name: string) => header.indexOf(name);
    const cohort = await this.db.cohort.findFirst();
    const inCohort = new Set(
      (await this.db.cohortMember.findMany({ where: { cohortId: cohort?.id ?? '' } })).map((row) => row.memberId),
    );
    const attempts = (await this.db.attempt.findMany({ orderBy: [{ answeredAt: 'asc' }, { id: 'asc' }] })).filter(
      (row) => inCohort.has(row.memberId),
    );
    for (const row of rows.slice(1)) {
      const questionId = row[col('id da pergunta')] ?? '';
      const on = attempts.filter((attempt) => attempt.questionId === questionId);
      const firsts = new Map<string, boolean>();
      for (const attempt of on) if (!firsts.has(attempt.memberId)) firsts.set(attempt.memberId, attempt.correct);
      const answered = firsts.size;
      const firstRight = [...firsts.values()].filter(Boolean).length;
      const rate = row[col('acerto de primeira')] ?? '';
      if (Number(row[col('responderam')]) !== answered || Number(row[col('certas de primeira')]) !== firstRight) {
        this.problem(`report ${questionId}: ${row.join('|')} against ${answered} answered, ${firstRight} right`);
      }
      if (answered === 0 && rate !== '') this.problem(`report ${questionId}: a rate (${rate}) without answers`);
    }
    // "Behind" is behind the channel's pace: nobody who did every closed lesson is listed.
    const behind = out.split(/Ficaram para trás/)[1] ?? '';
    const members = await this.db.member.findMany();
    const closed = await this.db.drop.findMany({
      where: { OR: [{ closedAt: { not: null } }, { closesAt: { lte: this.now() } }] },
    });
    for (const member of members) {
      const seen = new Set(
        (await this.db.lessonProgress.findMany({ where: { memberId: member.id } })).map((row) => row.lessonId),
      );
      const answeredQs = new Set(attempts.filter((a) => a.memberId === member.id).map((a) => a.questionId));
      const notDone = closed.filter((drop) => {
        const lesson = this.track.lessons.find((candidate) => candidate.id === drop.lessonId);
        if (!lesson || !seen.has(lesson.id)) return true;
        const done = lesson.questions.filter((q) => answeredQs.has(q.id)).length;
        return done < Math.ceil(lesson.questions.length / 2);
      }).length;
      const listed = new RegExp(`^\\s*(?:-|•) ${member.displayName}: `, 'm').test(behind);
      if (inCohort.has(member.id) && listed !== notDone >= 2) {
        this.problem(`report: ${member.displayName} behind ${notDone} closed lessons, listed ${listed}`);
      }
    }
  }
}

interface Counts {
  firstTries: number;
  firstTryCorrect: number;
  /** Questions answered in the week (each once), not counting reviews. */
  questions: number;
  reviews: number;
  reviewsKept: number;
  activeDays: number;
  xp: number;
}

const emptyCounts = (): Counts => ({
  firstTries: 0,
  firstTryCorrect: 0,
  questions: 0,
  reviews: 0,
  reviewsKept: 0,
  activeDays: 0,
  xp: 0,
});

function sumCounts(all: readonly Counts[]): Counts {
  const total = emptyCounts();
  for (const c of all) {
    for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += c[key];
  }
  return total;
}

function sameResults(a: Counts, b: Counts): boolean {
  return (
    a.firstTries === b.firstTries &&
    a.firstTryCorrect === b.firstTryCorrect &&
    a.questions === b.questions &&
    a.reviews === b.reviews &&
    a.reviewsKept === b.reviewsKept &&
    a.activeDays === b.activeDays
  );
}

/** docs/ranking.md: a member's weeks from their scored attempts, in the cohort's zone. */
function recountWeeks(
  rows: readonly {
    trackId: string;
    questionId: string;
    context: string;
    correct: boolean;
    xp: number;
    answeredAt: Date;
  }[],
  zone: string,
): Map<string, Counts> {
  const weeks = new Map<string, Counts>();
  const tried = new Set<string>();
  const inWeek = new Set<string>();
  const days = new Set<string>();
  for (const row of rows) {
    const week = isoWeek(row.answeredAt, zone);
    const date = DateTime.fromJSDate(row.answeredAt, { zone }).toISODate() ?? '';
    const counts = weeks.get(week) ?? emptyCounts();
    weeks.set(week, counts);
    counts.xp += row.xp;
    if (!days.has(date)) {
      days.add(date);
      counts.activeDays += 1;
    }
    const question = `${row.trackId}/${row.questionId}`;
    if (row.context === 'review') {
      counts.reviews += 1;
      counts.reviewsKept += row.correct ? 1 : 0;
      continue;
    }
    if (!tried.has(question)) {
      tried.add(question);
      counts.firstTries += 1;
      counts.firstTryCorrect += row.correct ? 1 : 0;
    }
    if (!inWeek.has(`${week}/${question}`)) {
      inWeek.add(`${week}/${question}`);
      counts.questions += 1;
    }
  }
  return weeks;
}

/** The fair score of docs/ranking.md, rounded as the board shows it. */
function points(c: Counts, period: { questions: number; days: number | null }): number {
  const questions = Math.max(1, period.questions);
  const share = (part: number, whole: number) => {
    const x = Math.min(1, Math.max(0, part / whole));
    return x * (2 - x);
  };
  const coverage = share(c.questions, questions);
  const regularity = period.days === null ? coverage : share(c.activeDays, Math.max(1, period.days));
  return Math.round(
    450 * ((c.firstTryCorrect + 2) / (c.firstTries + 4)) +
      150 * ((c.reviewsKept + 2) / (c.reviews + 4)) +
      200 * coverage +
      200 * regularity,
  );
}

/** `🥇 Ana · 796 pts · 45 XP` lines: points by name. */
export function parseBoard(out: string): Map<string, number> {
  const board = new Map<string, number>();
  for (const match of out.matchAll(/^(?:🥇|🥈|🥉|\d+\.) (.+?) · ([\d.,\s]+) pts · [\d.,\s]+ XP$/gm)) {
    const name = (match[1] ?? '').replace(/ \((?:você|you)\)$/, '');
    board.set(name, Number((match[2] ?? '').replace(/[.,\s]/g, '')));
  }
  return board;
}

export function isoWeek(at: Date, zone: string): string {
  const local = DateTime.fromJSDate(at, { zone });
  return `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;
}

function isoWeekOfDate(date: string): string {
  const local = DateTime.fromISO(date, { zone: 'UTC' });
  return `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
