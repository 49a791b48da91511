/**
 * What the learning commands and their buttons share: which track a member studies, how a set of questions is shown,
 * the next unseen lesson, and instants in the member's zone and language.
 */
import { encodeAction } from '../../core/action-id.ts';
import type { Lesson, Question, Track } from '../../core/curriculum.ts';
import type { Locale } from '../../core/locale.ts';
import { type Message, privately, type Reply, text } from '../../core/message.ts';
import { type CommandContext, fold, UserError } from '../../runtime/command.ts';
import { questionMessage } from '../../runtime/views.ts';

/** A question to show with the action id of each option. */
export interface ServedQuestion {
  readonly question: Question;
  readonly actionFor: (choice: number) => string;
  readonly note?: string;
}

/**
 * The track a member studies: the one named (by id, ignoring case and accents), else the channel's, else the first
 * loaded. An unknown name is a clear error listing the tracks.
 */
export function trackFor(ctx: CommandContext, requested?: string): Track {
  const { curriculum } = ctx.services;
  const tracks = curriculum.tracks;
  if (tracks.length === 0) throw new UserError(ctx.t('learning.next.no_tracks'));
  if (requested) {
    const found = tracks.find((track) => fold(track.id) === fold(requested));
    if (!found) {
      const list = tracks.map((track) => `\`${track.id}\` (${track.title[ctx.locale]})`).join(', ');
      throw new UserError(ctx.t('learning.next.unknown_track', { track: requested.slice(0, 40), tracks: list }));
    }
    return found;
  }
  const channelTrack = ctx.channel ? curriculum.track(ctx.channel.trackId) : undefined;
  return channelTrack ?? (tracks[0] as Track);
}

/** The first lesson of the track, in drop order, that the member has not seen; undefined at the end of the track. */
export function nextUnseenLesson(track: Track, seen: ReadonlySet<string>): Lesson | undefined {
  return track.lessons.find((lesson) => !seen.has(lesson.id));
}

/** One private reply per question, numbered together. */
export function questionReplies(ctx: CommandContext, served: readonly ServedQuestion[]): Reply[] {
  return served.map(({ question, actionFor, note }, index) =>
    privately(
      questionMessage(question, ctx.locale, ctx.t, {
        position: index + 1,
        total: served.length,
        actionFor,
        ...(note ? { note } : {}),
      }),
    ),
  );
}

export const studyAction = (trackId: string, questionId: string) => (choice: number) =>
  encodeAction({ kind: 'study', trackId, questionId, choice });

export const commandButton = (label: string, command: string) => ({
  label,
  actionId: encodeAction({ kind: 'command', command }),
});

/** A private message with one text and a row of buttons. */
export function noticeWithButtons(
  body: string,
  buttons: readonly { label: string; actionId: string }[],
  headline?: string,
): Reply {
  const message: Message = {
    ...(headline ? { headline } : {}),
    blocks: [text(body), ...(buttons.length > 0 ? [{ kind: 'buttons' as const, buttons }] : [])],
  };
  return privately(message);
}

/** An instant as the member reads it: their language, their zone (`30 Nov 2026, 09:00`). */
export function formatInstant(instant: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(instant);
}
