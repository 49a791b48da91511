/**
 * The report's pieces in the reader's language: the chat message (a compact lesson table in a code block, the most
 * missed questions, who fell behind) kept within one Discord message and one Slack section, the per-question and
 * per-member CSV files, and the accuracy chart's description.
 *
 * CSV through `csv-stringify` (quoting, embedded commas, quotes and line breaks), UTF-8 with a byte order mark so that
 * spreadsheet programs read the accents right, one header row. Shares are decimals (`0.667`) with a dot, which every
 * spreadsheet and script reads; an empty cell means "nobody answered yet".
 */
import { stringify } from 'csv-stringify/sync';
import { localDateOf } from '../../core/calendar.ts';
import {
  accuracySeries,
  type CohortReport,
  fellBehindAt,
  lessonsBehind,
  type MemberLabel,
  rate,
  type Tally,
} from '../../core/cohort-report.ts';
import type { Locale } from '../../core/locale.ts';
import { type Attachment, context, type Message, plainText, text, truncate } from '../../core/message.ts';
import type { AccuracyChart } from '../../core/ports/charts.port.ts';
import type { MemberAnswers } from '../../core/ports/reports.port.ts';
import type { CohortRecord } from '../../core/ports/social.port.ts';
import type { CommandContext } from '../../runtime/command.ts';
import { nameOf, shortDate } from '../social/social-format.ts';

/**
 * The most characters the chat message may have: under Discord's 2,000 for a message's content (a private reply is
 * plain content there) with room for its markup, and well under Slack's 3,000 per section.
 */
export const reportMessageBudget = 1_900;
/**
 * How much the message shows, largest first: the latest lessons in the table, the most missed questions and the
 * members who fell behind. The first that fits the budget is used; everything is in the CSV files anyway.
 */
const detailLevels = [
  { lessons: 15, missed: 5, behind: 8 },
  { lessons: 12, missed: 5, behind: 5 },
  { lessons: 8, missed: 3, behind: 5 },
  { lessons: 5, missed: 3, behind: 3 },
  { lessons: 3, missed: 2, behind: 2 },
] as const;
/** Lesson titles are cut to this many characters in the table. */
const titleWidth = 22;
/** Question prompts are cut to this many characters in the "most missed" list. */
const promptWidth = 80;

/** The report as a chat message (without its files), as detailed as fits the budget. */
export function reportMessage(ctx: CommandContext, cohort: CohortRecord, report: CohortReport): Message {
  const headline = truncate(ctx.t('reports.headline', { cohort: cohort.slug }), 150);
  const dropped = report.lessons.filter((line) => line.dropped).length;
  let message: Message = { blocks: [] };
  for (const level of detailLevels) {
    const { table, earlier } = lessonTable(ctx, report, level.lessons);
    const legend = [ctx.t('reports.table.legend')];
    if (earlier > 0) legend.push(ctx.t('reports.table.earlier', { count: earlier }));
    message = {
      headline,
      blocks: [
        context(ctx.t('reports.context', { members: report.members.length, dropped, timeZone: cohort.timeZone })),
        { kind: 'code', lang: 'text', source: table },
        context(legend.join(' · ')),
        text(mostMissed(ctx, report, level.missed)),
        text(fellBehind(ctx, report, level.behind)),
        // The chart needs first tries to draw (the command attaches it when there are some).
        context(ctx.t(report.weeks.length > 0 ? 'reports.files' : 'reports.files_csv')),
      ],
    };
    if (plainText(message).length <= reportMessageBudget) break;
  }
  return message;
}

/** A share as a whole percentage in the reader's language (`67%`), or `—` when nothing was answered. */
export function percent(tally: Tally, locale: Locale): string {
  const share = rate(tally);
  return share === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent' }).format(share);
}

/** The lesson table: number, title, members who completed it, first-try and current accuracy; the latest lessons. */
export function lessonTable(
  ctx: CommandContext,
  report: CohortReport,
  maxLessons: number,
): { table: string; earlier: number } {
  const shown = report.lessons.slice(-maxLessons);
  const members = report.members.length;
  const rows = [
    [
      '',
      ctx.t('reports.table.lesson'),
      ctx.t('reports.table.done'),
      ctx.t('reports.table.first'),
      ctx.t('reports.table.now'),
    ],
    ...shown.map((line) => [
      String(line.lesson.index + 1),
      truncate(oneLine(line.lesson.title[ctx.locale]).replaceAll('`', ''), titleWidth),
      `${line.completed}/${members}`,
      percent(line.firstTry, ctx.locale),
      percent(line.current, ctx.locale),
    ]),
  ];
  const widths = [0, 1, 2, 3, 4].map((column) => Math.max(...rows.map((row) => width(row[column] ?? ''))));
  const table = rows
    .map((row) =>
      row
        .map((cell, column) => (column === 1 ? padEnd(cell, widths[column] ?? 0) : padStart(cell, widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
  return { table, earlier: report.lessons.length - shown.length };
}

function mostMissed(ctx: CommandContext, report: CohortReport, max: number): string {
  if (report.mostMissed.length === 0) return ctx.t('reports.missed.none');
  const lines = report.mostMissed.slice(0, max).map((line) =>
    ctx.t('reports.missed.line', {
      number: `${line.lesson.index + 1}.${line.position}`,
      prompt: promptOf(line.question.prompt[ctx.locale]),
      first: line.firstTry.right,
      current: line.current.right,
      answered: line.answered,
    }),
  );
  return [ctx.t('reports.missed.title'), ...lines].join('\n');
}

function fellBehind(ctx: CommandContext, report: CohortReport, max: number): string {
  if (report.behind.length === 0 && report.hiddenBehind === 0) {
    return ctx.t('reports.behind.none', { threshold: fellBehindAt });
  }
  const lines = report.behind.slice(0, max).map((line) =>
    ctx.t('reports.behind.line', {
      name: nameOf(labelText(ctx, line.label) ?? ''),
      lessons: line.lessonsBehind,
      last: line.member.lastActiveDate
        ? shortDate(line.member.lastActiveDate, ctx.locale)
        : ctx.t('reports.behind.never'),
    }),
  );
  const more = report.behind.length - max;
  if (more > 0) lines.push(ctx.t('reports.behind.more', { count: more }));
  if (report.hiddenBehind > 0) lines.push(ctx.t('reports.behind.hidden', { count: report.hiddenBehind }));
  const title = ctx.t('reports.behind.title', { threshold: fellBehindAt, closed: report.closedLessons });
  return [title, ...lines].join('\n');
}

/** A question's prompt on one line, cut short; a cut that would leave a code span open drops the backticks. */
function promptOf(prompt: string): string {
  const cut = truncate(oneLine(prompt), promptWidth);
  return (cut.match(/`/g)?.length ?? 0) % 2 === 0 ? cut : cut.replaceAll('`', '');
}

/** How a member is named in a report: their name, `Anônimo 🦊` as on the leaderboards, or null when they hide. */
export function labelText(ctx: CommandContext, label: MemberLabel | undefined): string | null {
  if (!label || label.kind === 'hidden') return null;
  if (label.kind === 'name') return label.name;
  const name = ctx.t('seasons.anonymous', { animal: label.animal });
  return label.number > 1 ? `${name} ${label.number}` : name;
}

/** The per-question CSV: every question of every lesson in the report, in track order. */
export function questionsCsv(ctx: CommandContext, report: CohortReport, filename: string): Attachment {
  const members = report.members.length;
  const columns = [
    'reports.csv.track',
    'reports.csv.lesson_number',
    'reports.csv.lesson_id',
    'reports.csv.lesson_title',
    'reports.csv.dropped',
    'reports.csv.question_number',
    'reports.csv.question_id',
    'reports.csv.question',
    'reports.csv.members',
    'reports.csv.answered',
    'reports.csv.participation',
    'reports.csv.first_right',
    'reports.csv.first_rate',
    'reports.csv.current_right',
    'reports.csv.current_rate',
  ] as const;
  const rows = report.lessons.flatMap((line) =>
    line.questions.map((question) => [
      line.trackId,
      line.lesson.index + 1,
      line.lesson.id,
      line.lesson.title[ctx.locale],
      ctx.t(line.dropped ? 'reports.csv.yes' : 'reports.csv.no'),
      `${line.lesson.index + 1}.${question.position}`,
      question.question.id,
      oneLine(question.question.prompt[ctx.locale]),
      members,
      question.answered,
      share({ right: question.answered, of: members }),
      question.firstTry.right,
      share(question.firstTry),
      question.current.right,
      share(question.current),
    ]),
  );
  return csvFile(
    filename,
    columns.map((key) => ctx.t(key)),
    rows,
  );
}

/** The per-member CSV: progress of every member the report may show (hidden members left out), by name. */
export function membersCsv(
  ctx: CommandContext,
  report: CohortReport,
  answers: readonly MemberAnswers[],
  cohort: CohortRecord,
  filename: string,
): { file: Attachment; rows: number; hidden: number; anonymous: number } {
  const answersOf = new Map(answers.map((row) => [row.memberId, row]));
  const none: Omit<MemberAnswers, 'memberId'> = {
    answers: 0,
    correct: 0,
    firstTries: 0,
    firstTryCorrect: 0,
    reviews: 0,
    reviewsKept: 0,
  };
  const columns = [
    'reports.csv.name',
    'reports.csv.joined',
    'reports.csv.lessons_seen',
    'reports.csv.lessons_completed',
    'reports.csv.lessons_behind',
    'reports.csv.answers',
    'reports.csv.correct',
    'reports.csv.first_tries',
    'reports.csv.first_right',
    'reports.csv.first_rate',
    'reports.csv.reviews',
    'reports.csv.reviews_kept',
    'reports.csv.xp',
    'reports.csv.current_streak',
    'reports.csv.best_streak',
    'reports.csv.last_active',
  ] as const;
  const visible = report.members
    .map((member) => ({ member, label: report.labels.get(member.memberId) }))
    .flatMap(({ member, label }) => {
      const name = labelText(ctx, label);
      return name === null || !label ? [] : [{ member, label, name }];
    })
    .sort((a, b) => order(a.label, b.label, ctx.locale));
  const rows = visible.map(({ member, name }) => {
    const counted = answersOf.get(member.memberId) ?? none;
    return [
      spreadsheetSafe(name),
      localDateOf(member.joinedAt, cohort.timeZone),
      member.lessonsSeen,
      member.lessonsCompleted,
      lessonsBehind(member, report.closedLessons),
      counted.answers,
      counted.correct,
      counted.firstTries,
      counted.firstTryCorrect,
      share({ right: counted.firstTryCorrect, of: counted.firstTries }),
      counted.reviews,
      counted.reviewsKept,
      member.xp,
      member.currentStreak,
      member.bestStreak,
      member.lastActiveDate ?? '',
    ];
  });
  return {
    file: csvFile(
      filename,
      columns.map((key) => ctx.t(key)),
      rows,
    ),
    rows: rows.length,
    hidden: report.members.length - visible.length,
    anonymous: visible.filter(({ label }) => label.kind === 'anonymous').length,
  };
}

/** The accuracy chart of the report, in the reader's language. */
export function reportChart(ctx: CommandContext, report: CohortReport, cohort: CohortRecord, filename: string) {
  const { categories, series } = accuracySeries(report, {
    current: ctx.t('reports.chart.current'),
    earlier: (week) => ctx.t('reports.chart.earlier', { week }),
  });
  const chart: AccuracyChart = {
    title: truncate(ctx.t('reports.chart.title', { cohort: cohort.slug }), 90),
    categories,
    series,
    xTitle: ctx.t('reports.chart.x'),
    yTitle: ctx.t('reports.chart.y'),
    filename,
    alt: ctx.t('reports.chart.alt', { cohort: cohort.slug, lessons: categories.length }),
  };
  return chart;
}

/** `relatorio-ops-2026-2026-03-10.csv`: the kind, the cohort, the cohort's local date; safe on every platform. */
export function fileName(prefix: string, cohort: CohortRecord, now: Date, extension: 'csv' | 'png'): string {
  const base = `${prefix}-${cohort.slug}-${localDateOf(now, cohort.timeZone)}`
    .normalize('NFD')
    .replace(/[^A-Za-z0-9._-]+/g, '');
  return `${base.slice(0, 90)}.${extension}`;
}

function csvFile(filename: string, header: readonly string[], rows: readonly (readonly unknown[])[]): Attachment {
  const text = stringify([header, ...rows], { bom: true });
  return { filename, mimeType: 'text/csv', data: new TextEncoder().encode(text), title: filename };
}

function share(tally: Tally): string {
  const value = rate(tally);
  return value === null ? '' : value.toFixed(3);
}

/**
 * A display name as a spreadsheet cell that cannot run as a formula: a leading `=`, `+`, `-`, `@`, tab or carriage
 * return gets an apostrophe (OWASP's advice on CSV injection). Names are the one column members write themselves.
 */
function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function order(a: MemberLabel, b: MemberLabel, locale: Locale): number {
  if (a.kind === 'name' && b.kind === 'name') return a.name.localeCompare(b.name, locale);
  if (a.kind === 'anonymous' && b.kind === 'anonymous') return a.animal.localeCompare(b.animal) || a.number - b.number;
  return a.kind === 'name' ? -1 : 1;
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Width in code points (what a monospace table lines up by for Latin text with accents). */
function width(value: string): number {
  return [...value.normalize('NFC')].length;
}

function padEnd(value: string, size: number): string {
  return value + ' '.repeat(Math.max(0, size - width(value)));
}

function padStart(value: string, size: number): string {
  return ' '.repeat(Math.max(0, size - width(value))) + value;
}
