/**
 * The learning side of "type the command" exercises (docs/content-format.md, "Command exercises"): grading what the
 * member typed with the core grader (core/command-grader.ts) into the fixed choice the answer path stores (0 the
 * accepted command, 1 another: core/curriculum.ts), and the feedback in the member's language: what they typed, what
 * was wrong where the grader can tell, the accepted command and the explanation.
 *
 * What the member typed is echoed as code with backticks and line breaks removed and mass mentions defused; it is
 * never logged nor stored (the attempt keeps only the verdict).
 */
import { type Finding, gradeCommand, type Verdict } from '../../core/command-grader.ts';
import { maxCommandLength } from '../../core/command-line.ts';
import { objectNames } from '../../core/command-table.ts';
import type { Question } from '../../core/curriculum.ts';
import { type Block, text, truncate } from '../../core/message.ts';
import type { CommandContext } from '../../runtime/command.ts';

/** The choice stored for a command exercise: its verdict. */
export function commandChoice(verdict: Verdict): number {
  return verdict.correct ? 0 : 1;
}

export function gradeTyped(question: Question, typed: string): Verdict {
  return gradeCommand(typed.slice(0, maxCommandLength), question.command?.accept ?? []);
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

export function findingText(ctx: CommandContext, finding: Finding): string {
  const t = ctx.t;
  switch (finding.code) {
    case 'empty':
    case 'unclosed_quote':
    case 'compose_v1':
      return t(`exercises.finding.${finding.code}`);
    case 'several_commands':
      return t('exercises.finding.several_commands', { operator: asCode(finding.operator) });
    case 'not_docker':
      return t('exercises.finding.not_docker', { word: asCode(finding.word) });
    case 'incomplete_command':
    case 'unknown_command':
      return t(`exercises.finding.${finding.code}`, { typed: asCode(finding.typed) });
    case 'unknown_flag':
      return t('exercises.finding.unknown_flag', {
        flag: asCode(finding.flag),
        command: asCode(finding.command.startsWith('docker') ? finding.command : `docker ${finding.command}`),
      });
    case 'missing_value':
    case 'switch_value':
    case 'extra_flag':
    case 'missing_flag':
      return t(`exercises.finding.${finding.code}`, { flag: asCode(finding.flag) });
    case 'wrong_object':
      return t('exercises.finding.wrong_object', {
        typed: asCode(finding.typed),
        does: finding.spec.does[ctx.locale],
        typedObject: objectNames[finding.typedObject][ctx.locale],
        expectedObject: objectNames[finding.expectedObject][ctx.locale],
      });
    case 'wrong_command':
      return t('exercises.finding.wrong_command', {
        typed: asCode(finding.typed),
        does: finding.spec.does[ctx.locale],
      });
    case 'wrong_value':
      return t('exercises.finding.wrong_value', {
        flag: asCode(finding.flag),
        typed: asCode(finding.typed),
        expected: asCode(finding.expected),
      });
    case 'missing_argument':
      return t('exercises.finding.missing_argument', { expected: asCode(finding.expected) });
    case 'extra_argument':
      return t('exercises.finding.extra_argument', { typed: asCode(finding.typed) });
    case 'wrong_argument':
      return t('exercises.finding.wrong_argument', {
        typed: asCode(finding.typed),
        expected: asCode(finding.expected),
      });
  }
}

/** What the member typed and what was wrong with it (a list when several things were). */
export function verdictBlocks(ctx: CommandContext, typed: string, verdict: Verdict): Block[] {
  const blocks: Block[] = [text(ctx.t('exercises.you_typed', { typed: asCode(typed) }))];
  const findings = verdict.findings.map((finding) => findingText(ctx, finding));
  if (findings.length === 1) blocks.push(text(findings[0] as string));
  else if (findings.length > 1) blocks.push(text(findings.map((line) => `- ${line}`).join('\n')));
  return blocks;
}

/** The accepted command(s) and the explanation. */
export function answerBlocks(ctx: CommandContext, question: Question): Block[] {
  const exercise = question.command;
  if (!exercise) return [];
  const [first, ...others] = exercise.accept;
  const answer =
    others.length === 0
      ? ctx.t('exercises.answer', { command: asCode(first ?? '') })
      : ctx.t('exercises.answers', { commands: exercise.accept.map(asCode).join(' · ') });
  return [text(answer), text(ctx.t('exercises.explain', { explain: exercise.explain[ctx.locale] }))];
}
