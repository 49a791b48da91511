/**
 * `relatorio` / `report` (admins): how a cohort is doing. Per lesson, who completed it and the first-try accuracy
 * beside the current one (after reviews); the questions most missed at the first try; the members who fell behind
 * the channel's drops, named only as their board visibility allows (`hidden`: counted, never named; `anonymous`:
 * "anonymous N"). In chat as a compact table, with a CSV of every question and a PNG chart of first-try accuracy per
 * lesson, one line per week. `relatorio membros` / `report members` exports each member's progress as CSV instead.
 *
 * Private replies: a report names people, so it goes to the admin who asked, never to the channel.
 */
import { z } from 'zod';
import { type CohortReport, loadCohortReport } from '../../core/cohort-report.ts';
import { type Attachment, type Block, context, privately, type Reply, text, truncate } from '../../core/message.ts';
import type { CohortRecord } from '../../core/ports/social.port.ts';
import { type CommandContext, defineCommand, keywords, UserError } from '../../runtime/command.ts';
import { cohortNamed, slugList } from '../social/social-format.ts';
import { fileName, membersCsv, questionsCsv, reportChart, reportMessage } from './report-files.ts';

const kindWord = keywords({
  // Not `geral`: a cohort is often called so (the terminal's default one is); see leaderboard.command.ts.
  summary: ['resumo', 'completo', 'perguntas', 'licoes', 'full', 'questions', 'lessons'],
  members: ['membros', 'pessoas', 'progresso', 'exportar', 'csv', 'people', 'progress', 'export'],
});

export default defineCommand({
  id: 'report',
  names: { 'pt-BR': 'relatorio', en: 'report' },
  aliases: ['relatório', 'relatorios', 'reports'],
  summary: {
    'pt-BR': 'Relatório da turma: participação e acerto por lição e pergunta, quem ficou para trás; com CSV e gráfico.',
    en: 'Cohort report: participation and accuracy per lesson and question, who fell behind; with a CSV and a chart.',
  },
  usage: { 'pt-BR': '[membros] [turma]', en: '[members] [cohort]' },
  examples: {
    'pt-BR': ['relatorio', 'relatorio ops-2026', 'relatorio membros ops-2026'],
    en: ['report', 'report ops-2026', 'report members ops-2026'],
  },
  adminOnly: true,
  parse: (words) => {
    let kind: string | undefined;
    let cohort: string | undefined;
    const extra: string[] = [];
    for (const word of words) {
      const canonical = kindWord(word);
      if ((canonical === 'summary' || canonical === 'members') && kind === undefined && cohort === undefined) {
        kind = canonical;
      } else if (cohort === undefined) cohort = word;
      else extra.push(word);
    }
    return { kind, cohort, extra };
  },
  args: z.object({
    kind: z.enum(['summary', 'members']).default('summary'),
    cohort: z.string().min(1).max(64).optional(),
    extra: z.array(z.string()).max(0),
  }),
  async handler(ctx, { kind, cohort: typed }) {
    const cohort = await reportCohort(ctx, typed);
    const scope = { workspaceId: ctx.workspace.id, cohortId: cohort.id, timeZone: cohort.timeZone, now: ctx.now };
    // The export needs the members and the drops, not the per-question answers.
    const report = await loadCohortReport(ctx.services.stores.reports, ctx.services.curriculum, scope, {
      questions: kind === 'summary',
    });
    if (report.members.length === 0) return say(ctx.t('reports.no_members', { cohort: cohort.slug }));
    return kind === 'members' ? exportMembers(ctx, cohort, report) : summary(ctx, cohort, report);
  },
});

async function summary(ctx: CommandContext, cohort: CohortRecord, report: CohortReport): Promise<Reply[]> {
  if (report.lessons.length === 0) return say(ctx.t('reports.empty', { cohort: cohort.slug }));
  const prefix = ctx.t('reports.file.report');
  const files: Attachment[] = [questionsCsv(ctx, report, fileName(prefix, cohort, ctx.now, 'csv'))];
  // A chart needs first tries to draw; before any answer there is only the table's empty lessons.
  if (report.weeks.length > 0) {
    const chart = reportChart(ctx, report, cohort, fileName(prefix, cohort, ctx.now, 'png'));
    files.push(await ctx.services.charts.accuracyChart(chart));
  }
  return [privately({ ...reportMessage(ctx, cohort, report), files })];
}

async function exportMembers(ctx: CommandContext, cohort: CohortRecord, report: CohortReport): Promise<Reply[]> {
  const answers = await ctx.services.stores.reports.memberAnswers({
    workspaceId: ctx.workspace.id,
    cohortId: cohort.id,
  });
  const csv = membersCsv(ctx, report, answers, cohort, fileName(ctx.t('reports.file.members'), cohort, ctx.now, 'csv'));
  const blocks: Block[] = [text(ctx.t('reports.export.body', { rows: csv.rows }))];
  if (csv.hidden > 0) blocks.push(context(ctx.t('reports.export.hidden', { count: csv.hidden })));
  if (csv.anonymous > 0) blocks.push(context(ctx.t('reports.export.anonymous')));
  return [
    privately({
      headline: truncate(ctx.t('reports.export.headline', { cohort: cohort.slug }), 150),
      blocks,
      files: [csv.file],
    }),
  ];
}

/**
 * The cohort a report is about: the one named, else the channel's, else the workspace's only cohort, else the admin's
 * only cohort; otherwise the admin is asked to choose.
 */
async function reportCohort(ctx: CommandContext, typed: string | undefined): Promise<CohortRecord> {
  if (typed) return cohortNamed(ctx, typed);
  const { social } = ctx.services.stores;
  if (ctx.channel?.cohortId) {
    const cohort = await social.findCohortById(ctx.workspace.id, ctx.channel.cohortId);
    if (cohort) return cohort;
  }
  const all = await social.listCohorts(ctx.workspace.id);
  if (all.length === 1 && all[0]) return all[0];
  if (all.length === 0) throw new UserError(ctx.t('reports.no_cohorts'));
  const mine = await social.memberCohorts(ctx.workspace.id, ctx.member.id);
  if (mine.length === 1 && mine[0]) return mine[0];
  throw new UserError(`${ctx.t('reports.choose')} ${slugList(all)}`);
}

function say(message: string): Reply[] {
  return [privately({ blocks: [text(message)] })];
}
