/**
 * Spaced review: one FSRS card per member and question, scheduled by ts-fsrs (the algorithm Anki ships; we wrap it
 * rather than write our own because its maths and default weights are fitted on millions of real reviews).
 *
 * Every answered question becomes a card. The first answer to a question, in a channel quiz or in self-study, creates
 * it with `scheduler.review(scheduler.newCard(now), correct, now)`; every later answer (in a review session, or the
 * same question met again) is `scheduler.review(card, correct, now)` on the stored card. The caller saves the state it
 * gets back in the same transaction as the attempt, and dedupes repeated clicks and retried deliveries before calling:
 * this module only computes, so reviewing the same card twice at the same instant is two reviews.
 *
 * `ReviewCardState` is the camelCase shape the repository persists (prisma/models.prisma, model ReviewCard); ts-fsrs
 * works on snake_case `Card`s, and `toFsrsCard` / `fromFsrsCard` are the only places that translate between them.
 */
import {
  type Card,
  createEmptyCard,
  type FSRS,
  type FSRSParameters,
  fsrs,
  type Grade,
  generatorParameters,
  Rating,
  State,
} from 'ts-fsrs';
import { z } from 'zod';

/** 0 New, 1 Learning, 2 Review, 3 Relearning: ts-fsrs's `State`, as the database stores it. */
export type ReviewCardStateCode = 0 | 1 | 2 | 3;

/** The FSRS state of one member's card for one question, as the repository persists it. */
export interface ReviewCardState {
  /** When the card is next due for review. */
  due: Date;
  /** FSRS memory stability, in days: the time for recall to fall to 90 %. */
  stability: number;
  /** FSRS difficulty, 1 to 10 once reviewed (0 on a new card). */
  difficulty: number;
  /** Whole days between the last review and `due` (0 while the card is in a learning step). */
  scheduledDays: number;
  /** Which (re)learning step the card is on. */
  learningSteps: number;
  reps: number;
  lapses: number;
  state: ReviewCardStateCode;
  /** The last review, or null on a card never reviewed. */
  lastReview: Date | null;
}

export type ReviewCardErrorCode = 'invalid_card' | 'invalid_instant' | 'invalid_parameters' | 'invalid_limit';

/** A card, instant, parameter or limit that the review scheduler cannot work with. */
export class ReviewCardError extends Error {
  override readonly name = 'ReviewCardError';

  constructor(
    readonly code: ReviewCardErrorCode,
    /** The rejected value, for logs. */
    readonly value: unknown,
    message: string,
  ) {
    super(message);
  }
}

const count = z.int().nonnegative();

/**
 * A stored card. The repository parses rows with it (`parseReviewCardState`), and every card that goes into ts-fsrs
 * passes it again: a corrupted row fails here with the field named, not deep inside ts-fsrs with a bare number.
 */
export const reviewCardStateSchema = z
  .object({
    due: z.date(),
    stability: z.number().nonnegative(),
    difficulty: z.number().nonnegative(),
    scheduledDays: count,
    learningSteps: count,
    reps: count,
    lapses: count,
    state: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
    lastReview: z.date().nullable(),
  })
  .refine((card) => card.state === State.New || (card.lastReview !== null && card.stability > 0), {
    message: 'a card that was reviewed (state 1, 2 or 3) needs a last review and a positive stability',
  });

/** A stored card checked field by field; throws a ReviewCardError naming what is wrong. */
export function parseReviewCardState(value: unknown): ReviewCardState {
  const result = reviewCardStateSchema.safeParse(value);
  if (!result.success) {
    throw new ReviewCardError('invalid_card', value, `Not a review card: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** The ts-fsrs card for a stored state. */
export function toFsrsCard(card: ReviewCardState): Card {
  const valid = parseReviewCardState(card);
  return {
    due: new Date(valid.due.getTime()),
    stability: valid.stability,
    difficulty: valid.difficulty,
    // Deprecated in ts-fsrs 5 (removed in 6) and not stored: ts-fsrs recomputes the elapsed days of a review from
    // `last_review` and the review time, and reads this field only to fill the review log we do not keep.
    elapsed_days: 0,
    scheduled_days: valid.scheduledDays,
    learning_steps: valid.learningSteps,
    reps: valid.reps,
    lapses: valid.lapses,
    state: valid.state,
    ...(valid.lastReview === null ? {} : { last_review: new Date(valid.lastReview.getTime()) }),
  };
}

/** The state to store for a ts-fsrs card. */
export function fromFsrsCard(card: Card): ReviewCardState {
  return {
    due: new Date(card.due.getTime()),
    stability: card.stability,
    difficulty: card.difficulty,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state as ReviewCardStateCode,
    lastReview: card.last_review ? new Date(card.last_review.getTime()) : null,
  };
}

/**
 * Trilha's scheduling parameters (docs/reviews.md says why, with the queue they give): ts-fsrs's FSRS-6 weights with
 * - a requested retention of 0.9: a card comes due when the member is predicted to still recall it 9 times in 10;
 * - long-term scheduling only (`enable_short_term: false`; ts-fsrs's default has learning steps of 1 and 10 minutes,
 *   and 10 minutes after a lapse): the first answer schedules the card in whole days, straight from FSRS's initial
 *   stability, and a wrong review brings it back the next day. Minute steps suit a flashcard app opened for a
 *   session; in a team chat they made every question of the morning's quiz "due" ten minutes later;
 * - a maximum interval of 365 days instead of ts-fsrs's 100 years: a course lasts months, and a question not seen
 *   for over a year should come back;
 * - no fuzz: intervals are the exact FSRS values, so tests can assert them, and the 2 to 4 questions of one drop,
 *   answered together, come due together and make one review session instead of trickling in a day apart. (ts-fsrs
 *   seeds its fuzz from the card and the review time, so it would be reproducible too, only not predictable.)
 */
export const defaultReviewParameters: Readonly<Partial<FSRSParameters>> = Object.freeze({
  request_retention: 0.9,
  maximum_interval: 365,
  enable_fuzz: false,
  enable_short_term: false,
});

/**
 * At most this many reviews a member's local day, Anki's "maximum reviews/day": what `revisar` serves, a nudge counts
 * and progress shows is never more than what is left of it today. Due cards beyond it wait, most forgotten first.
 * Reviews never bring new cards: a card is made only by answering a lesson's question (the drop is the day's "new").
 */
export const reviewsPerDay = 10;

export class ReviewScheduler {
  readonly parameters: Readonly<FSRSParameters>;
  readonly #fsrs: FSRS;

  /** `parameters` override `defaultReviewParameters` one by one. */
  constructor(parameters: Partial<FSRSParameters> = {}) {
    const merged = { ...defaultReviewParameters, ...parameters };
    const { request_retention: retention, maximum_interval: maximum } = merged;
    // generatorParameters replaces 0 by its default (it uses `||`), and ts-fsrs checks the retention only when it
    // first schedules: reject both here, where the mistake is made.
    if (retention === undefined || !(retention > 0 && retention < 1)) {
      throw new ReviewCardError(
        'invalid_parameters',
        retention,
        `request_retention must be between 0 and 1: ${retention}`,
      );
    }
    if (maximum === undefined || !(Number.isSafeInteger(maximum) && maximum >= 1)) {
      throw new ReviewCardError(
        'invalid_parameters',
        maximum,
        `maximum_interval must be whole days from 1: ${maximum}`,
      );
    }
    this.parameters = Object.freeze(generatorParameters(merged));
    this.#fsrs = fsrs(this.parameters);
  }

  /** A card never reviewed, due at `now`. Store it only through `review`: see the module comment. */
  newCard(now: Date): ReviewCardState {
    return fromFsrsCard(createEmptyCard(validInstant(now)));
  }

  /** The card after the member answered its question at `now`, right or wrong. */
  review(card: ReviewCardState, correct: boolean, now: Date): ReviewCardState {
    const fsrsCard = toFsrsCard(card);
    validInstant(now);
    // An answer cannot be reviewed before the card's last review, but two processes with slightly different clocks,
    // or a delivery retried after a later answer was stored, can ask for it. ts-fsrs rejects a negative elapsed time,
    // and failing here would lose an acknowledged answer, so such a review counts at the last review's instant.
    const at = fsrsCard.last_review && fsrsCard.last_review > now ? fsrsCard.last_review : now;
    const next = this.#fsrs.next(fsrsCard, at, gradeFor(correct)).card;
    // ts-fsrs 5.4 caps each rating's interval at maximum_interval, then keeps Again < Hard < Good < Easy by pushing
    // Good to Hard + 1 day: once both reach the cap, Good lands one day past it (366 days for a cap of 365). Cap it
    // again here, so the maximum interval holds whatever the card's history.
    const maximum = this.parameters.maximum_interval;
    if (next.scheduled_days > maximum) {
      next.scheduled_days = maximum;
      next.due = new Date(at.getTime() + maximum * DAY_MS);
    }
    return fromFsrsCard(next);
  }

  /** The predicted probability, 0 to 1, that the member recalls the answer at `now` (0 for a card never reviewed). */
  retrievability(card: ReviewCardState, now: Date): number {
    // `false`: the number, not ts-fsrs's default "90.00%" string.
    return this.#fsrs.get_retrievability(toFsrsCard(card), validInstant(now), false);
  }

  isDue(card: ReviewCardState, now: Date): boolean {
    return parseReviewCardState(card).due.getTime() <= validInstant(now).getTime();
  }
}

/**
 * The FSRS rating of an answer. A multiple-choice click says only right or wrong: it carries no confidence signal to
 * tell a hesitant right answer (Hard) from an instant one (Easy), so right is Good, the rating FSRS expects for
 * plain successful recall, and wrong is Again, forgotten (a lapse, once the card has left learning).
 */
function gradeFor(correct: boolean): Grade {
  return correct ? Rating.Good : Rating.Again;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function validInstant(now: Date): Date {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new ReviewCardError('invalid_instant', now, `Not a valid instant: ${String(now)}`);
  }
  return now;
}

export interface ReviewQueueCard {
  /** The card's track; absent when all cards are of one track. */
  readonly trackId?: string;
  readonly questionId: string;
  readonly card: ReviewCardState;
}

export interface ReviewQueueInput {
  /** The member's cards; one per question (only answered questions have one). */
  readonly cards: readonly ReviewQueueCard[];
  readonly now: Date;
  /** How many questions to serve at most. */
  readonly limit: number;
}

export interface ReviewQueueItem {
  readonly trackId?: string;
  readonly questionId: string;
}

const defaultScheduler = new ReviewScheduler();

/**
 * What a review session serves, up to `limit` questions, each at most once: the due cards, the most overdue first
 * (lowest retrievability; ties by due time, then track and question id). Cards not yet due are left out, and nothing
 * but a card is ever served: a question the member never answered has no card. The same input always gives the same
 * queue, whatever the order of `cards`.
 *
 * Retrievability depends on the FSRS weights; pass the scheduler that scheduled the cards when it does not use the
 * default ones.
 */
export function pickReviewQueue(
  input: ReviewQueueInput,
  scheduler: ReviewScheduler = defaultScheduler,
): ReviewQueueItem[] {
  const { cards, now, limit } = input;
  validInstant(now);
  if (!(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new ReviewCardError('invalid_limit', limit, `limit must be a whole number from 0: ${limit}`);
  }

  // Computed once per card before sorting, not inside the comparator.
  const due = cards
    .filter(({ card }) => scheduler.isDue(card, now))
    .map(({ trackId, questionId, card }) => ({
      trackId,
      questionId,
      key: `${trackId ?? ''}\u0000${questionId}`,
      dueAt: card.due.getTime(),
      recall: scheduler.retrievability(card, now),
    }))
    // Ids compare by UTF-16 code units, not localeCompare, whose order depends on the runtime's ICU data.
    .sort((a, b) => a.recall - b.recall || a.dueAt - b.dueAt || compareIds(a.key, b.key));

  const queue: ReviewQueueItem[] = [];
  const served = new Set<string>();
  for (const { trackId, questionId, key } of due) {
    if (queue.length >= limit) break;
    if (served.has(key)) continue;
    served.add(key);
    queue.push(trackId === undefined ? { questionId } : { trackId, questionId });
  }
  return queue;
}

/** A member's cards across tracks and how many reviews they answered today (their local day). */
export interface ReviewDeck {
  readonly cards: readonly (ReviewQueueCard & { readonly trackId: string })[];
  readonly reviewedToday: number;
}

/**
 * Today's reviews for a member: the due cards of questions still in the content, at most what is left of
 * `reviewsPerDay`, in the order `pickReviewQueue` gives. `revisar` serves this queue and the nudge counts it: one
 * function, so the nudge's number is what the member finds. `exists` says whether a question is still in the content.
 */
export function todaysReviews(
  deck: ReviewDeck,
  now: Date,
  exists: (trackId: string, questionId: string) => boolean,
  scheduler: ReviewScheduler = defaultScheduler,
): { trackId: string; questionId: string }[] {
  const cards = deck.cards.filter(({ trackId, questionId }) => exists(trackId, questionId));
  const limit = Math.max(0, reviewsPerDay - deck.reviewedToday);
  return pickReviewQueue({ cards, now, limit }, scheduler).map(({ trackId, questionId }) => ({
    trackId: trackId as string,
    questionId,
  }));
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
