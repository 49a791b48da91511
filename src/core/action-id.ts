/**
 * Action ids: what a button carries to the platform and back. They are compact (Discord's `custom_id` allows 100
 * characters, Slack's `action_id` 255), versioned (`t1`, so ids on old posts can be recognised after the format
 * changes) and checked when they return: a checksum catches an id that was cut or edited, and `decodeAction` rejects
 * anything it does not recognise. What an id names (a posted question, a member) is checked again by its handler
 * against the database, so a well-formed id for something that no longer exists changes nothing either.
 *
 * The checksum is FNV-1a (32 bits): an integrity check, not a signature. The platform authenticates who clicked
 * (Slack's signed requests, Discord's interaction tokens); an action id only says what was clicked.
 */

export const actionIdVersion = 't1';
/** The longest id any platform accepts (Discord `custom_id`). */
export const maxActionIdLength = 100;

export type Action =
  /** An answer to a question posted in a channel's quiz thread. */
  | { readonly kind: 'answer'; readonly postedQuestionId: string; readonly choice: number }
  /** An answer given at the member's own pace (next lesson, a quiz for me). */
  | { readonly kind: 'study'; readonly trackId: string; readonly questionId: string; readonly choice: number }
  /** An answer in a review session; `reps` is the card's review count when it was served (one answer per serving). */
  | {
      readonly kind: 'review';
      readonly trackId: string;
      readonly questionId: string;
      readonly reps: number;
      readonly choice: number;
    }
  /** Run a command with no arguments, as if the member typed it (for "next lesson", "review more" buttons). */
  | { readonly kind: 'command'; readonly command: string }
  /** Confirm deleting everything stored about `memberId`. */
  | { readonly kind: 'delete-my-data'; readonly memberId: string }
  /** Turn off the daily nudges of `memberId` (the "stop" button of a nudge: one click). */
  | { readonly kind: 'stop-nudges'; readonly memberId: string }
  /** Show today's lesson and quiz of the channel `channelId` (a nudge's button, in a direct message). */
  | { readonly kind: 'channel-today'; readonly channelId: string }
  /** Show the lesson `lessonId` of `trackId` (the lesson behind a review card). */
  | { readonly kind: 'lesson'; readonly trackId: string; readonly lessonId: string };

export type ActionDecodeError = 'unknown_version' | 'tampered' | 'malformed';

const codes = {
  answer: 'a',
  study: 's',
  review: 'r',
  command: 'c',
  'delete-my-data': 'd',
  'stop-nudges': 'n',
  'channel-today': 'q',
  lesson: 'l',
} as const;
const SEPARATOR = '|';
const SAFE_FIELD = /^[A-Za-z0-9._:/-]{1,60}$/;

/** The id for `action`. Throws when a field cannot be carried safely or the id would exceed `maxActionIdLength`. */
export function encodeAction(action: Action): string {
  const fields = fieldsOf(action).map(String);
  for (const field of fields) {
    if (!SAFE_FIELD.test(field)) throw new RangeError(`Action field cannot be encoded: ${JSON.stringify(field)}`);
  }
  const payload = [actionIdVersion, codes[action.kind], ...fields].join(SEPARATOR);
  const id = `${payload}${SEPARATOR}${checksum(payload)}`;
  if (id.length > maxActionIdLength) throw new RangeError(`Action id longer than ${maxActionIdLength}: ${id}`);
  return id;
}

/** The action an id stands for, or why it cannot be trusted. */
export function decodeAction(id: string): { ok: true; action: Action } | { ok: false; error: ActionDecodeError } {
  if (typeof id !== 'string' || id.length > maxActionIdLength) return { ok: false, error: 'malformed' };
  const parts = id.split(SEPARATOR);
  if (parts[0] !== actionIdVersion) {
    return { ok: false, error: /^t\d+$/.test(parts[0] ?? '') ? 'unknown_version' : 'malformed' };
  }
  const sum = parts.pop();
  if (sum !== checksum(parts.join(SEPARATOR))) return { ok: false, error: 'tampered' };
  const [, code, ...fields] = parts;
  if (!fields.every((field) => SAFE_FIELD.test(field))) return { ok: false, error: 'malformed' };
  const action = actionOf(code, fields);
  return action ? { ok: true, action } : { ok: false, error: 'malformed' };
}

function fieldsOf(action: Action): (string | number)[] {
  switch (action.kind) {
    case 'answer':
      return [action.postedQuestionId, wholeNumber(action.choice)];
    case 'study':
      return [action.trackId, action.questionId, wholeNumber(action.choice)];
    case 'review':
      return [action.trackId, action.questionId, wholeNumber(action.reps), wholeNumber(action.choice)];
    case 'command':
      return [action.command];
    case 'delete-my-data':
    case 'stop-nudges':
      return [action.memberId];
    case 'channel-today':
      return [action.channelId];
    case 'lesson':
      return [action.trackId, action.lessonId];
  }
}

function actionOf(code: string | undefined, fields: string[]): Action | null {
  const number = (value: string | undefined) => (value !== undefined && /^\d{1,6}$/.test(value) ? Number(value) : null);
  const [a, b, c, d] = fields;
  switch (code) {
    case codes.answer: {
      const choice = number(b);
      return fields.length === 2 && a && choice !== null ? { kind: 'answer', postedQuestionId: a, choice } : null;
    }
    case codes.study: {
      const choice = number(c);
      return fields.length === 3 && a && b && choice !== null
        ? { kind: 'study', trackId: a, questionId: b, choice }
        : null;
    }
    case codes.review: {
      const reps = number(c);
      const choice = number(d);
      return fields.length === 4 && a && b && reps !== null && choice !== null
        ? { kind: 'review', trackId: a, questionId: b, reps, choice }
        : null;
    }
    case codes.command:
      return fields.length === 1 && a ? { kind: 'command', command: a } : null;
    case codes['delete-my-data']:
      return fields.length === 1 && a ? { kind: 'delete-my-data', memberId: a } : null;
    case codes['stop-nudges']:
      return fields.length === 1 && a ? { kind: 'stop-nudges', memberId: a } : null;
    case codes['channel-today']:
      return fields.length === 1 && a ? { kind: 'channel-today', channelId: a } : null;
    case codes.lesson:
      return fields.length === 2 && a && b ? { kind: 'lesson', trackId: a, lessonId: b } : null;
    default:
      return null;
  }
}

function wholeNumber(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > 999_999) {
    throw new RangeError(`Action number out of range: ${value}`);
  }
  return value;
}

/** FNV-1a over the UTF-16 code units, in base 36 (at most 7 characters). */
function checksum(payload: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < payload.length; i++) {
    hash ^= payload.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
