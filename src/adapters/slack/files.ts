/**
 * Files on Slack (`Message.files`: a CSV export, a PNG chart) through Slack's external upload, the way Slack asks apps
 * to upload now that `files.upload` is retired: `files.getUploadURLExternal` (the file's name and byte length) gives
 * an upload URL and a file id, the bytes are POSTed to that URL, and `files.completeUploadExternal` shares the files
 * in a channel — in the thread of `thread_ts` when given — with `initial_comment` as their message. @slack/web-api's
 * `filesUploadV2` makes those calls (one URL per file, one completion for all of them); nothing here redoes them.
 *
 * Slack's limits, and what is assumed where Slack documents none:
 * - File name: no documented limit. The message model already promises `[A-Za-z0-9._-]` and at most 100 characters
 *   (core/message.ts); the name is held to that here too, extension kept, so Slack picks the file's type from it and
 *   a name from elsewhere cannot carry a path or a control character. [assumed]
 * - Title: no documented limit for `files.completeUploadExternal`'s `title`; cut to 250 characters, as long as the
 *   titles Slack shows in full, far longer than any Trilha gives (a file name or a chart's one-line description).
 *   [assumed]
 * - Image description: at most 1000 characters, else `alt_txt_too_large` (documented on files.getUploadURLExternal).
 *   Sent for images only, from the attachment's title. `filesUploadV2` takes it as `alt_text` and sends it so; the
 *   metered client (`budget.ts`) renames it `alt_txt`, the argument Slack reads.
 * - Empty file: Slack refuses a `length` of 0 (`missing_argument`, documented), so an empty file is left out.
 * - Size: Slack takes files far larger than Trilha's CSVs and charts (kilobytes); nothing is checked here.
 */
import type { WebClient } from '@slack/web-api';
import type { Attachment } from '../../core/message.ts';

export const maxFilename = 100;
export const maxFileTitle = 250;
export const maxAltText = 1000;

/** Where files go: a channel (a member's IM included) and, optionally, the thread of one of its messages. */
export interface FileDestination {
  readonly channel: string;
  readonly threadTs?: string;
  /** The text of the message that shares the files; none by default (the files follow the message they belong to). */
  readonly initialComment?: string;
}

/** A file name Slack takes as it is: `[A-Za-z0-9._-]`, at most 100 characters, the extension kept. */
export function slackFilename(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  if (clean === '') return 'file';
  if (clean.length <= maxFilename) return clean;
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return `${clean.slice(0, maxFilename - extension.length)}${extension}`;
}

/** The files Slack would take (empty ones left out). */
export function uploadable(files: readonly Attachment[]): Attachment[] {
  return files.filter((file) => file.data.byteLength > 0);
}

/**
 * Uploads `files` (empty ones left out) and shares them at `to`, in order, as one message. Returns the names they
 * were shared under. Throws Slack's error (`not_in_channel`, `invalid_thread_ts`, …) as the WebClient does.
 */
export async function uploadFiles(
  client: WebClient,
  files: readonly Attachment[],
  to: FileDestination,
): Promise<string[]> {
  const kept = uploadable(files);
  if (kept.length === 0) return [];
  const uploads = kept.map((file) => {
    const filename = slackFilename(file.filename);
    const title = cut(file.title?.trim() || filename, maxFileTitle);
    return {
      file: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength),
      filename,
      title,
      ...(file.mimeType.startsWith('image/') && file.title ? { alt_text: cut(file.title, maxAltText) } : {}),
    };
  });
  await client.filesUploadV2({
    channel_id: to.channel,
    ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
    ...(to.initialComment ? { initial_comment: to.initialComment } : {}),
    file_uploads: uploads,
  } as Parameters<WebClient['filesUploadV2']>[0]);
  return uploads.map((upload) => upload.filename);
}

/** At most `max` characters (code points), ending with `…` when cut. */
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
