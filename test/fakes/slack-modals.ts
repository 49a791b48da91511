/**
 * Modals for the fake Slack (test/fakes/slack.ts), kept apart so they merge cleanly: `views.open` as Slack checks it
 * (a `trigger_id` this fake issued with a click, used once and within 3 s, else `invalid_trigger_id` /
 * `expired_trigger_id`; a `modal` view whose title, submit and close are plain text of at most 24 characters, at most
 * 100 blocks, `private_metadata` at most 3,000 and `callback_id` at most 255 characters, input labels at most 2,000
 * and placeholders at most 150, a `plain_text_input` `max_length` at most 3,000), and the `view_submission` payload
 * Slack sends when the member submits an opened view (`state.values[block_id][action_id].value`).
 * Tier 4 like views.publish (platform-limits.md); the fake does not rate-limit it.
 */
import { randomUUID } from 'node:crypto';

const triggerLifetimeMs = 3_000;
export const slackViewLimits = {
  title: 24,
  blocks: 100,
  metadata: 3_000,
  callbackId: 255,
  label: 2_000,
  placeholder: 150,
  maxLength: 3_000,
};

export interface OpenedView {
  readonly id: string;
  readonly view: Record<string, unknown>;
}

export interface SlackModals {
  /** A trigger id for a click payload (valid once, for 3 s). */
  issueTrigger(): string;
  /** `views.open`'s answer. */
  open(body: Record<string, unknown>): Record<string, unknown>;
  /** Every view opened, in order. */
  readonly opened: OpenedView[];
  /** The `view_submission` payload for `viewId` with `values` typed as `{ [blockId]: { [actionId]: text } }`. */
  submission(
    viewId: string,
    user: { id: string; name: string; teamId: string },
    values: Record<string, Record<string, string>>,
    app: { appId: string; token: string },
  ): Record<string, unknown>;
}

export function createSlackModals(now: () => number = Date.now): SlackModals {
  const triggers = new Map<string, number>();
  const opened: OpenedView[] = [];
  const plainText = (value: unknown, max: number) =>
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'plain_text' &&
    typeof (value as { text?: unknown }).text === 'string' &&
    (value as { text: string }).text.length > 0 &&
    (value as { text: string }).text.length <= max;
  return {
    opened,
    issueTrigger() {
      const id = `trigger-${randomUUID()}`;
      triggers.set(id, now());
      return id;
    },
    open(body) {
      const trigger = typeof body.trigger_id === 'string' ? body.trigger_id : '';
      const issued = triggers.get(trigger);
      if (issued === undefined) return { ok: false, error: 'invalid_trigger_id' };
      triggers.delete(trigger);
      if (now() - issued > triggerLifetimeMs) return { ok: false, error: 'expired_trigger_id' };
      const view = typeof body.view === 'object' && body.view !== null ? (body.view as Record<string, unknown>) : null;
      if (view?.type !== 'modal') return { ok: false, error: 'invalid_arguments' };
      const blocks = Array.isArray(view.blocks) ? (view.blocks as Record<string, unknown>[]) : [];
      const metadata = typeof view.private_metadata === 'string' ? view.private_metadata : '';
      const callbackId = typeof view.callback_id === 'string' ? view.callback_id : '';
      const valid =
        plainText(view.title, slackViewLimits.title) &&
        (view.submit === undefined || plainText(view.submit, slackViewLimits.title)) &&
        (view.close === undefined || plainText(view.close, slackViewLimits.title)) &&
        blocks.length > 0 &&
        blocks.length <= slackViewLimits.blocks &&
        metadata.length <= slackViewLimits.metadata &&
        callbackId.length <= slackViewLimits.callbackId &&
        blocks.every((block) => {
          if (block.type !== 'input') return true;
          const element = (block.element ?? {}) as Record<string, unknown>;
          return (
            plainText(block.label, slackViewLimits.label) &&
            (element.placeholder === undefined || plainText(element.placeholder, slackViewLimits.placeholder)) &&
            (element.max_length === undefined ||
              (Number(element.max_length) >= 1 && Number(element.max_length) <= slackViewLimits.maxLength))
          );
        });
      if (!valid) return { ok: false, error: 'invalid_arguments' };
      const id = `V-${randomUUID().slice(0, 8)}`;
      opened.push({ id, view });
      return { ok: true, view: { id, ...view } };
    },
    submission(viewId, user, values, app) {
      const found = opened.find((candidate) => candidate.id === viewId);
      if (!found) throw new Error(`no view ${viewId} was opened`);
      const state: Record<string, Record<string, { type: string; value: string }>> = {};
      for (const [blockId, actions] of Object.entries(values)) {
        state[blockId] = Object.fromEntries(
          Object.entries(actions).map(([actionId, value]) => [actionId, { type: 'plain_text_input', value }]),
        );
      }
      return {
        type: 'view_submission',
        team: { id: user.teamId, domain: 'fake' },
        user: { id: user.id, username: user.name, name: user.name, team_id: user.teamId },
        api_app_id: app.appId,
        token: app.token,
        trigger_id: `trigger-${randomUUID()}`,
        view: {
          id: viewId,
          team_id: user.teamId,
          type: 'modal',
          ...found.view,
          state: { values: state },
          hash: randomUUID(),
          app_id: app.appId,
        },
        response_urls: [],
        is_enterprise_install: false,
      };
    },
  };
}
