import { z } from 'zod';
import { isTimeZone } from '../../core/calendar.ts';
import { neutralizeName } from '../../core/member-text.ts';
import { context, privately, type Reply, safeText, text, truncate } from '../../core/message.ts';
import { type CommandContext, defineCommand, keywords } from '../../runtime/command.ts';
import { setCohortPaused, setCohortStart } from './cohort-pace.ts';
import { cohortNamed, isCohortSlug, suggestSlug } from './social-format.ts';

/** A cohort's display name is cut here, so lists stay readable. */
const maxCohortName = 80;
const action = keywords({
  list: ['listar', 'lista', 'ver', 'list', 'ls'],
  join: ['entrar', 'join'],
  leave: ['sair', 'leave'],
  create: ['criar', 'nova', 'create', 'new'],
  pause: ['pausar', 'pausa', 'parar'],
  resume: ['retomar', 'continuar', 'despausar', 'unpause'],
  start: ['inicio', 'iniciar', 'comecar', 'start-date'],
});
const slug = z.string().min(1).max(64);

export default defineCommand({
  id: 'cohort',
  names: { 'pt-BR': 'turma', en: 'cohort' },
  aliases: ['turmas', 'cohorts', 'grupo', 'group'],
  summary: {
    'pt-BR': 'Turmas (grupos com ranking próprio): listar, criar, entrar, sair; admins pausam e retomam.',
    en: 'Cohorts (groups with their own leaderboard): list, create, join, leave; admins pause and resume.',
  },
  usage: {
    'pt-BR':
      'listar | entrar <turma> | sair <turma> | criar <nome-curto> [nome] [fuso] | pausar <turma> | retomar <turma> | inicio <turma> AAAA-MM-DD',
    en: 'list | join <cohort> | leave <cohort> | create <short-name> [name] [time zone] | pause <cohort> | resume <cohort> | start <cohort> YYYY-MM-DD',
  },
  examples: {
    'pt-BR': [
      'turma listar',
      'turma entrar ops-2026',
      'turma criar ops-2026 Turma de Ops America/Manaus',
      'turma pausar ops-2026',
      'turma inicio ops-2026 2026-03-02',
    ],
    en: [
      'cohort list',
      'cohort join ops-2026',
      'cohort create ops-2026 Ops team Europe/Lisbon',
      'cohort pause ops-2026',
      'cohort start ops-2026 2026-03-02',
    ],
  },
  parse: (words) => {
    const [first, second, ...rest] = words;
    return { action: first === undefined ? 'list' : action(first), slug: second, name: rest };
  },
  args: z.discriminatedUnion('action', [
    z.object({ action: z.literal('list'), slug: z.undefined() }),
    z.object({ action: z.literal('join'), slug, name: z.array(z.string()).max(0) }),
    z.object({ action: z.literal('leave'), slug, name: z.array(z.string()).max(0) }),
    z.object({ action: z.literal('create'), slug, name: z.array(z.string()) }),
    z.object({ action: z.literal('pause'), slug, name: z.array(z.string()).max(0) }),
    z.object({ action: z.literal('resume'), slug, name: z.array(z.string()).max(0) }),
    z.object({ action: z.literal('start'), slug, name: z.tuple([z.string().max(20)]) }),
  ]),
  async handler(ctx, args) {
    switch (args.action) {
      case 'list':
        return list(ctx);
      case 'join':
        return join(ctx, args.slug);
      case 'leave':
        return leave(ctx, args.slug);
      case 'create':
        return create(ctx, args.slug, args.name);
      case 'pause':
      case 'resume':
        return setCohortPaused(ctx, args.slug, args.action === 'pause');
      case 'start':
        return setCohortStart(ctx, args.slug, args.name[0]);
    }
  },
});

async function list(ctx: CommandContext): Promise<Reply[]> {
  const { social } = ctx.services.stores;
  const [all, mine] = await Promise.all([
    social.listCohorts(ctx.workspace.id),
    social.memberCohorts(ctx.workspace.id, ctx.member.id),
  ]);
  if (all.length === 0) return say(ctx.t('social.cohort.list_empty'));
  const mineIds = new Set(mine.map((cohort) => cohort.id));
  const lines = all.map((cohort) =>
    ctx.t(mineIds.has(cohort.id) ? 'social.cohort.list_line_mine' : 'social.cohort.list_line', {
      slug: cohort.slug,
      name: safeText(cohort.name),
      count: cohort.memberCount,
    }),
  );
  return [
    privately({
      headline: ctx.t('social.cohort.list_headline'),
      blocks: [text(truncate(lines.join('\n'), 2_900)), context(ctx.t('social.cohort.list_hint'))],
    }),
  ];
}

async function join(ctx: CommandContext, typed: string): Promise<Reply[]> {
  const cohort = await cohortNamed(ctx, typed);
  const outcome = await ctx.services.stores.social.joinCohort(cohort.id, ctx.member.id);
  return outcome === 'joined'
    ? say(ctx.t('social.cohort.joined', { slug: cohort.slug, name: safeText(cohort.name) }))
    : say(ctx.t('social.cohort.already_member', { slug: cohort.slug }));
}

async function leave(ctx: CommandContext, typed: string): Promise<Reply[]> {
  const cohort = await cohortNamed(ctx, typed);
  const outcome = await ctx.services.stores.social.leaveCohort(cohort.id, ctx.member.id);
  return say(ctx.t(outcome === 'left' ? 'social.cohort.left' : 'social.cohort.not_member', { slug: cohort.slug }));
}

async function create(ctx: CommandContext, typed: string, nameWords: readonly string[]): Promise<Reply[]> {
  if (!isCohortSlug(typed)) {
    const suggestion = suggestSlug(typed);
    const lines = [ctx.t('social.cohort.bad_slug', { slug: safeText(truncate(typed, 40)) })];
    if (suggestion) lines.push(ctx.t('social.cohort.suggest', { suggestion }));
    return say(lines.join(' '));
  }
  // A last word that is an IANA zone (`America/Manaus`, `UTC`) sets the cohort's week; else the workspace's zone.
  const last = nameWords.at(-1);
  const zoneGiven = last !== undefined && (last.includes('/') || last.toUpperCase() === 'UTC') && isTimeZone(last);
  const words = zoneGiven ? nameWords.slice(0, -1) : nameWords;
  const timeZone = zoneGiven && last ? canonicalZone(last) : ctx.workspace.timeZone;
  // What other members will read: control, direction and zero-width characters out (src/core/member-text.ts).
  const name = truncate(neutralizeName(words.join(' '), ''), maxCohortName) || typed;
  const result = await ctx.services.stores.social.createCohort({
    workspaceId: ctx.workspace.id,
    slug: typed,
    name,
    timeZone,
    creatorId: ctx.member.id,
  });
  if (result.status === 'exists') return say(ctx.t('social.cohort.exists', { slug: typed }));
  return say(
    ctx.t('social.cohort.created', {
      slug: typed,
      name: safeText(result.cohort.name),
      timeZone: result.cohort.timeZone,
    }),
  );
}

/** The zone's canonical spelling (`america/sao_paulo` → `America/Sao_Paulo`), as the runtime's Intl knows it. */
export function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
}

function say(message: string): Reply[] {
  return [privately({ blocks: [text(message)] })];
}
