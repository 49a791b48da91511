/**
 * A member's own exports, as files sent with a private reply (`meus-dados exportar` / `my-data export`,
 * `meus-dados anki` / `my-data anki`):
 * - **JSON**: everything stored about the member (docs/exports.md documents the shape; `version` names it).
 * - **Anki CSV**: every question the member ever answered wrong (a miss stays worth a card even once remembered:
 *   Anki's own scheduling takes it from there), one note per question with two fields, in the member's language.
 *   Front: the question and its lettered options; back: the right option and its explanation. Anki's file headers
 *   (Anki 2.1.55+, docs.ankiweb.net "Importing › Text Files › File Headers") say the separator, that fields are HTML
 *   (the content's `code`, bold and italics come through; everything else is escaped), a `trilha` tag, and the column
 *   names; older Anki versions skip them as comments. Anki matches notes by the first field, so importing a newer
 *   export again updates the cards instead of duplicating them.
 * CSV through `csv-stringify` (quoting of commas, quotes and line breaks).
 */
import { stringify } from 'csv-stringify/sync';
import { localDateOf } from '../../core/calendar.ts';
import type { Question } from '../../core/curriculum.ts';
import { type InlineRenderer, renderInline } from '../../core/inline-markdown.ts';
import type { Locale } from '../../core/locale.ts';
import { type Attachment, privately, type Reply, text } from '../../core/message.ts';
import { memberExportVersion } from '../../core/ports/member-export.port.ts';
import type { CommandContext } from '../../runtime/command.ts';
import { letter } from '../../runtime/views.ts';

/** The JSON export of everything stored about the member. */
export async function exportJson(ctx: CommandContext): Promise<Reply[]> {
  const data = await ctx.services.stores.exports.exportMember(ctx.member.id);
  if (!data) return [privately({ blocks: [text(ctx.t('social.mydata.already_gone'))] })];
  // `version` first, then when; dates become ISO 8601 UTC strings through Date's toJSON.
  const document = { version: memberExportVersion, exportedAt: ctx.now, ...data };
  const file: Attachment = {
    filename: `trilha-${ctx.locale === 'en' ? 'my-data' : 'meus-dados'}-${localDateOf(ctx.now, ctx.timeZone)}.json`,
    mimeType: 'application/json',
    data: new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`),
    title: ctx.t('members.export.json_title'),
  };
  return [
    privately({
      blocks: [text(ctx.t('members.export.json', { attempts: data.attempts.length, version: memberExportVersion }))],
      files: [file],
    }),
  ];
}

/** The Anki CSV of the member's misses. */
export async function exportAnki(ctx: CommandContext): Promise<Reply[]> {
  const missed = await ctx.services.stores.exports.missedQuestions(ctx.member.id);
  const wanted = new Set(missed.map((row) => `${row.trackId}/${row.questionId}`));
  const rows: [string, string][] = [];
  // In track and lesson order, so the deck reads like the course.
  for (const track of ctx.services.curriculum.tracks) {
    for (const lesson of track.lessons) {
      for (const question of lesson.questions) {
        if (wanted.has(`${track.id}/${question.id}`)) rows.push(ankiNote(ctx, question));
      }
    }
  }
  if (rows.length === 0) return [privately({ blocks: [text(ctx.t('members.export.anki_none'))] })];
  const header = ['#separator:Comma', '#html:true', '#tags:trilha', `#columns:${ctx.t('members.anki.columns')}`];
  const csv = `${header.join('\n')}\n${stringify(rows, { quoted: true, record_delimiter: 'unix' })}`;
  const file: Attachment = {
    filename: `trilha-anki-${ctx.locale === 'en' ? 'misses' : 'erros'}-${localDateOf(ctx.now, ctx.timeZone)}.csv`,
    mimeType: 'text/csv',
    data: new TextEncoder().encode(csv),
    title: ctx.t('members.export.anki_title'),
  };
  return [privately({ blocks: [text(ctx.t('members.export.anki', { count: rows.length }))], files: [file] })];
}

/** One note: front = the question and its options, back = the right option and why. */
export function ankiNote(ctx: { readonly locale: Locale; readonly t: CommandContext['t'] }, question: Question) {
  const { locale } = ctx;
  const options = question.options.map((option, index) => `${letter(index)}) ${html(option.text[locale])}`);
  const front = `${html(question.prompt[locale])}<br><br>${options.join('<br>')}`;
  const right = question.options[question.correctIndex];
  const answer = `${letter(question.correctIndex)}) ${right ? html(right.text[locale]) : ''}`;
  const back = `${escapeHtml(ctx.t('members.anki.answer', { option: '\u0000' })).replace('\u0000', answer)}${
    right ? `<br><br>${html(right.explain[locale])}` : ''
  }`;
  return [front, back] as [string, string];
}

const htmlRenderer: InlineRenderer = {
  text: (char) => escapeHtml(char),
  escaped: (char) => escapeHtml(char),
  code: (content) => `<code>${escapeHtml(content)}</code>`,
  emphasis: (kind, inner) => (kind === 'bold' ? `<b>${inner}</b>` : `<i>${inner}</i>`),
};

/** The content's Markdown subset as the little HTML Anki shows; line breaks as `<br>`. */
function html(source: string): string {
  return source
    .trim()
    .split('\n')
    .map((line) => renderInline(line, htmlRenderer))
    .join('<br>');
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
