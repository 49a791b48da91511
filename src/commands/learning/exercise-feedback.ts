/**
 * The learning side of "type the command" exercises (docs/content-format.md): grading what the member typed with the
 * core grader (core/command-exercise.ts, against the track's CLI table) into the fixed choice the answer path stores
 * (0 the accepted command, 1 another: core/curriculum.ts), and the feedback in the member's language: what they
 * typed, what was wrong where the grader can tell, and the accepted commands.
 *
 * What the member typed is echoed as code with backticks and line breaks removed and mass mentions defused; it is
 * never logged nor stored (the attempt keeps only the verdict).
 */
import { type Difference, type Grade, gradeCommand, type ParseProblem } from '../../core/command-exercise.ts';
import type { Question } from '../../core/curriculum.ts';
import type { Localized } from '../../core/locale.ts';
import { type Block, text, truncate } from '../../core/message.ts';
import type { CommandContext } from '../../runtime/command.ts';

/** The choice stored for a command exercise: its verdict. */
export function commandChoice(grade: Grade): number {
  return grade.correct ? 0 : 1;
}

export function gradeTyped(question: Question, typed: string): Grade {
  if (!question.command) return { correct: false, problem: { kind: 'empty' } };
  return gradeCommand(typed, question.command.accept, question.command.table);
}

/** `docker ps -a` as inline code, safe on every platform. */
export function asCode(value: string): string {
  const flat = truncate(
    value
      .replace(/[\r\n]+/g, ' ')
      .replace(/`/g, "'")
      .trim(),
    120,
  );
  return `\`${flat.replace(/@(everyone|here|channel)/gi, '@\u200b$1') || ' '}\``;
}

/** What the CLI's object words name, for "it works on images, not containers". */
const objectNames: Record<string, Localized> = {
  container: { 'pt-BR': 'contêineres', en: 'containers' },
  image: { 'pt-BR': 'imagens', en: 'images' },
  volume: { 'pt-BR': 'volumes', en: 'volumes' },
  network: { 'pt-BR': 'redes', en: 'networks' },
  builder: { 'pt-BR': 'o cache de build', en: 'the build cache' },
  buildx: { 'pt-BR': 'o cache de build', en: 'the build cache' },
  system: { 'pt-BR': 'o Docker inteiro', en: 'the whole of Docker' },
  compose: { 'pt-BR': 'um projeto do Compose', en: 'a Compose project' },
  context: { 'pt-BR': 'contextos', en: 'contexts' },
  plugin: { 'pt-BR': 'plugins', en: 'plugins' },
};

function objectName(ctx: CommandContext, word: string): string {
  return objectNames[word]?.[ctx.locale] ?? asCode(word);
}

function words(list: readonly string[]): string {
  return list.length === 0 ? '—' : asCode(list.join(' '));
}

export function problemText(ctx: CommandContext, problem: ParseProblem): string {
  const t = ctx.t;
  switch (problem.kind) {
    case 'empty':
      return t('exercises.finding.empty');
    case 'unclosed-quote':
      return t('exercises.finding.unclosed_quote');
    case 'not-docker':
      return t('exercises.finding.not_docker', { word: asCode(problem.word) });
    case 'unknown-command':
      return t('exercises.finding.unknown_command', { typed: asCode(`docker ${problem.command}`) });
    case 'unknown-flag':
      return t('exercises.finding.unknown_flag', {
        flag: asCode(problem.flag),
        command: asCode(`docker ${problem.command}`.trim()),
      });
    case 'missing-value':
      return t('exercises.finding.missing_value', { flag: asCode(problem.flag) });
  }
}

export function differenceText(ctx: CommandContext, difference: Difference): string {
  const t = ctx.t;
  switch (difference.kind) {
    case 'other-command':
      return difference.objects
        ? t('exercises.finding.other_object', {
            typed: asCode(`docker ${difference.typed}`),
            typedObject: objectName(ctx, difference.objects.typed),
            expectedObject: objectName(ctx, difference.objects.expected),
          })
        : t('exercises.finding.other_command', { typed: asCode(`docker ${difference.typed}`) });
    case 'extra-flag':
      return t('exercises.finding.extra_flag', { flag: asCode(difference.flag) });
    case 'missing-flag':
      return t('exercises.finding.missing_flag', { flag: asCode(difference.flag) });
    case 'other-value':
      return t('exercises.finding.wrong_value', {
        flag: asCode(difference.flag),
        typed: words(difference.typed),
        expected: words(difference.expected),
      });
    case 'other-arguments':
      return t('exercises.finding.other_arguments', {
        typed: words(difference.typed),
        expected: words(difference.expected),
      });
  }
}

/** What the member typed and what was wrong with it (a list when several things were; at most three). */
export function verdictBlocks(ctx: CommandContext, typed: string, grade: Grade): Block[] {
  const blocks: Block[] = [text(ctx.t('exercises.you_typed', { typed: asCode(typed) }))];
  if (grade.correct) return blocks;
  const findings =
    'problem' in grade
      ? [problemText(ctx, grade.problem)]
      : grade.differences.slice(0, 3).map((difference) => differenceText(ctx, difference));
  if (findings.length === 1) blocks.push(text(findings[0] as string));
  else if (findings.length > 1) blocks.push(text(findings.map((line) => `- ${line}`).join('\n')));
  return blocks;
}

/** The accepted command(s). */
export function answerBlocks(ctx: CommandContext, question: Question): Block[] {
  const accept = question.command?.accept ?? [];
  const [first, ...others] = accept;
  return [
    text(
      others.length === 0
        ? ctx.t('exercises.answer', { command: asCode(first ?? '') })
        : ctx.t('exercises.answers', { commands: accept.map(asCode).join(' · ') }),
    ),
  ];
}
