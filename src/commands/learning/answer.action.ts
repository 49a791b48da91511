/**
 * The answer buttons: a channel quiz question (`answer`), self-study (`study`) and review (`review`). Everything that
 * comes back in an action id is checked again here (the posted question exists, the question is still in the
 * content, the choice is one of its options) before anything is recorded; the store's transaction does the rest.
 */
import type { Action } from '../../core/action-id.ts';
import type { Grade } from '../../core/command-exercise.ts';
import type { Question } from '../../core/curriculum.ts';
import { type Block, context, privately, type Reply, text } from '../../core/message.ts';
import { type AnswerOutcome, isQuizClosed } from '../../core/ports/learning.port.ts';
import type { AnswerContext, XpLine } from '../../core/scoring.ts';
import { freezeRules } from '../../core/streaks.ts';
import { type CommandContext, typedAnswer } from '../../runtime/command.ts';
import { letter } from '../../runtime/views.ts';
import { answerBlocks, commandChoice, gradeTyped, verdictBlocks } from './exercise-feedback.ts';
import { commandButton } from './learning.shared.ts';
import { lessonButton, reviewsToday } from './review.command.ts';

type ActionOf<K extends Action['kind']> = Extract<Action, { kind: K }>;

export async function answerAction(ctx: CommandContext, action: ActionOf<'answer'>): Promise<Reply[]> {
  const posted = await ctx.services.stores.learning.findPostedQuestion(action.postedQuestionId);
  if (!posted) return [notice(ctx.t('learning.answer.unknown_posted'))];
  const closed = isQuizClosed(posted, ctx.now);
  return answer(ctx, {
    trackId: posted.trackId,
    questionId: posted.questionId,
    choice: action.choice,
    context: 'channel_quiz',
    dedupeKey: `pq:${posted.id}`,
    postedQuestionId: posted.id,
    cohortId: posted.cohortId,
    scored: !closed,
  });
}

export function studyAction(ctx: CommandContext, action: ActionOf<'study'>): Promise<Reply[]> {
  return answer(ctx, {
    trackId: action.trackId,
    questionId: action.questionId,
    choice: action.choice,
    context: 'self_study',
    dedupeKey: `study:${action.trackId}/${action.questionId}`,
    scored: true,
    more: 'quiz',
  });
}

export async function reviewAction(ctx: CommandContext, action: ActionOf<'review'>): Promise<Reply[]> {
  // Only a question the member answered has a card, and only a card is reviewed (docs/reviews.md): a review button
  // for a question without one (from before reviews served unanswered questions, or made up) records nothing.
  const card = await ctx.services.stores.learning.reviewCard(ctx.member.id, action.trackId, action.questionId);
  if (!card) return [notice(ctx.t('learning.answer.not_a_card'))];
  return answer(ctx, {
    trackId: action.trackId,
    questionId: action.questionId,
    choice: action.choice,
    context: 'review',
    dedupeKey: `review:${action.trackId}/${action.questionId}:${action.reps}`,
    expectedCardReps: action.reps,
    scored: true,
    more: 'review',
  });
}

interface Answer {
  readonly trackId: string;
  readonly questionId: string;
  readonly choice: number;
  readonly context: AnswerContext;
  readonly dedupeKey: string;
  readonly postedQuestionId?: string;
  readonly cohortId?: string | null;
  readonly expectedCardReps?: number;
  readonly scored: boolean;
  /** The command of the "more" button under the feedback. */
  readonly more?: 'quiz' | 'review';
}

async function answer(ctx: CommandContext, given: Answer): Promise<Reply[]> {
  let input = given;
  const { curriculum } = ctx.services;
  const question = curriculum.question(input.trackId, input.questionId);
  const lesson = question ? curriculum.lesson(input.trackId, question.lessonId) : undefined;
  // The content changed since the button was made: nothing to grade against, and the history stays as it is.
  if (!question || !lesson) return [notice(ctx.t('learning.answer.question_gone'))];
  if (input.choice >= question.options.length) return [notice(ctx.t('learning.answer.bad_choice'))];
  // A command exercise is graded from what was typed (the button's text input); its verdict is the stored choice.
  let exercise: { typed: string; verdict: Grade } | undefined;
  if (question.kind === 'command') {
    const typed = typedAnswer(ctx.request);
    if (typed === undefined || typed.trim() === '') return [notice(ctx.t('exercises.type_it'))];
    exercise = { typed, verdict: gradeTyped(question, typed) };
    input = { ...input, choice: commandChoice(exercise.verdict) };
  }

  const { telemetry } = ctx.services;
  const platform = ctx.request.platform;
  const outcome = await ctx.services.stores.learning
    .recordAnswer({
      memberId: ctx.member.id,
      timeZone: ctx.timeZone,
      trackId: input.trackId,
      lessonId: lesson.id,
      questionId: question.id,
      lessonQuestionIds: lesson.questions.map((q) => q.id),
      difficulty: question.difficulty,
      context: input.context,
      dedupeKey: input.dedupeKey,
      postedQuestionId: input.postedQuestionId ?? null,
      cohortId: input.cohortId ?? null,
      scored: input.scored,
      choice: input.choice,
      correct: input.choice === question.correctIndex,
      ...(input.expectedCardReps === undefined ? {} : { expectedCardReps: input.expectedCardReps }),
      now: ctx.now,
    })
    .catch((error: unknown) => {
      telemetry?.answer(platform, 'failed');
      throw error;
    });
  telemetry?.answer(platform, outcome.status);
  const more = input.more === 'review' ? await nextReview(ctx, input.trackId, lesson.id) : moreBlocks(ctx, input.more);
  return [feedback(ctx, question, input, outcome, more, exercise)];
}

function feedback(
  ctx: CommandContext,
  question: Question,
  input: Answer,
  outcome: AnswerOutcome,
  more: readonly Block[],
  exercise?: { typed: string; verdict: Grade },
): Reply {
  if (outcome.status === 'duplicate') {
    if (!outcome.previous) return privately({ blocks: [text(ctx.t('learning.answer.review_moved_on')), ...more] });
    const chosen = outcome.previous.choice;
    if (question.kind === 'command') {
      const correct = chosen === question.correctIndex ? 'yes' : 'no';
      return privately({
        blocks: [text(ctx.t('exercises.already', { correct })), ...answerBlocks(ctx, question), ...more],
      });
    }
    return privately({
      blocks: [
        text(ctx.t('learning.answer.already_chose', { choice: optionLabel(ctx, question, chosen) })),
        ...explanations(ctx, question, chosen, false),
        ...more,
      ],
    });
  }
  const correct = input.choice === question.correctIndex;
  const blocks: Block[] = exercise
    ? [...verdictBlocks(ctx, exercise.typed, exercise.verdict), ...answerBlocks(ctx, question)]
    : explanations(ctx, question, input.choice, true);
  if (outcome.status === 'feedback_only') {
    // A question already counted in another channel's quiz (a linked account's other platform) counts once.
    blocks.push(
      context(
        ctx.t(outcome.reason === 'counted_elsewhere' ? 'members.link.counted_elsewhere' : 'learning.answer.closed'),
      ),
    );
  } else {
    // Practice (learn-score's flag): the question already counted in another context, so no answer XP this time.
    if (outcome.practice) blocks.push(context(ctx.t('learning.answer.practice')));
    blocks.push(context(xpLine(ctx, question, outcome.breakdown, outcome.xp, outcome.streak.current)));
    if (outcome.streak.extended && outcome.streak.current > 1) {
      blocks.push(text(ctx.t('learning.answer.streak', { days: outcome.streak.current })));
    }
    // Freezes work on their own; saying so when one is spent or earned is what makes them felt (Duolingo does too).
    if (outcome.streak.freezesSpent > 0) {
      blocks.push(
        context(
          ctx.t('learning.answer.freeze_spent', { count: outcome.streak.freezesSpent, left: outcome.streak.freezes }),
        ),
      );
    }
    if (outcome.streak.freezeEarned) {
      blocks.push(
        context(ctx.t('learning.answer.freeze_earned', { held: outcome.streak.freezes, max: freezeRules.max })),
      );
    }
    if (outcome.lessonCompleted) blocks.push(text(ctx.t('learning.answer.lesson_completed')));
  }
  blocks.push(...more);
  return privately({ headline: ctx.t(correct ? 'learning.answer.right' : 'learning.answer.wrong'), blocks });
}

/**
 * The chosen option's explanation and, when it was wrong, the right option's, labelled as the explanation: its own
 * opening verdict ("Certo.", "Isso.", "Right.", "Yes.") is dropped (`withoutVerdict`), since after a wrong answer it
 * would read as a verdict on the member's choice.
 */
function explanations(ctx: CommandContext, question: Question, choice: number, sayChosen: boolean): Block[] {
  // The same for every member who picks this option in this language: built once (a burst of a thousand answers to
  // one question builds a handful), kept per question object (content reloaded is a new object) and frozen, since
  // every reply shares them.
  let built = explained.get(question);
  if (!built) {
    built = new Map();
    explained.set(question, built);
  }
  const key = `${ctx.locale}\u0000${choice}\u0000${sayChosen}`;
  let blocks = built.get(key);
  if (!blocks) {
    blocks = Object.freeze(buildExplanations(ctx, question, choice, sayChosen).map((block) => Object.freeze(block)));
    built.set(key, blocks);
  }
  return [...blocks];
}

const explained = new WeakMap<Question, Map<string, readonly Block[]>>();

function buildExplanations(ctx: CommandContext, question: Question, choice: number, sayChosen: boolean): Block[] {
  const chosen = question.options[choice];
  const blocks: Block[] = [];
  if (chosen && sayChosen) {
    blocks.push(
      text(
        ctx.t('learning.answer.you_chose', {
          choice: optionLabel(ctx, question, choice),
          explain: chosen.explain[ctx.locale],
        }),
      ),
    );
  } else if (chosen) {
    blocks.push(text(chosen.explain[ctx.locale]));
  }
  const right = question.options[question.correctIndex];
  if (choice !== question.correctIndex && right) {
    blocks.push(
      text(
        ctx.t('learning.answer.right_option', {
          choice: optionLabel(ctx, question, question.correctIndex),
          explain: withoutVerdict(right.explain[ctx.locale]),
        }),
      ),
    );
  }
  return blocks;
}

/**
 * The words an explanation may open with to judge the option it belongs to, in both languages ("Certo.", "Não.",
 * "Right.", "No."): a verdict, followed by a stop, a comma, a colon or a dash.
 */
const leadingVerdict =
  /^\s*(?:certo|certa|correto|correta|exato|exata|exatamente|isso|sim|errado|errada|incorreto|incorreta|não|nao|right|correct|exactly|yes|wrong|incorrect|no)\s*(?:!|\.|,|:|;|—|–|-)+\s*/iu;

/** An explanation without its opening verdict word, first letter kept as written (`Certo. O contêiner…` → `O contêiner…`). */
export function withoutVerdict(explain: string): string {
  const stripped = explain.replace(leadingVerdict, '');
  if (stripped === '') return explain;
  return stripped.charAt(0).toLocaleUpperCase() + stripped.slice(1);
}

function optionLabel(ctx: CommandContext, question: Question, choice: number): string {
  return `${letter(choice)}) ${question.options[choice]?.text[ctx.locale] ?? ''}`;
}

/** `resposta certa +10 XP · pergunta difícil +5 XP · sequência de 4 dias +4 XP = 19 XP` (docs/scoring.md). */
function xpLine(ctx: CommandContext, question: Question, breakdown: readonly XpLine[], xp: number, days: number) {
  const lines = breakdown.map((line) =>
    ctx.t(`learning.xp.${line.reason}`, {
      xp: line.xp,
      days,
      difficulty: question.difficulty,
    }),
  );
  return ctx.t('learning.xp.total', { lines: lines.join(' · '), xp });
}

function moreBlocks(ctx: CommandContext, command: 'quiz' | undefined): Block[] {
  if (!command) return [];
  return [{ kind: 'buttons', buttons: [commandButton(ctx.t('learning.button.quiz'), command)] }];
}

/**
 * Under a review's feedback: the lesson behind the card, and the next review while today's queue has one (the count
 * is `todaysReviews`, as `revisar` serves it); else a line saying today's reviews are done.
 */
async function nextReview(ctx: CommandContext, trackId: string, lessonId: string): Promise<Block[]> {
  const { queue } = await reviewsToday(ctx);
  const lesson = lessonButton(ctx, trackId, lessonId);
  if (queue.length === 0) return [context(ctx.t('learning.review.all_done')), lesson];
  const next = commandButton(ctx.t('learning.button.next_review', { count: queue.length }), 'review');
  return [{ kind: 'buttons', buttons: [next, ...lesson.buttons] }];
}

function notice(message: string): Reply {
  return privately({ blocks: [text(message)] });
}
