/**
 * Every user-facing text, by area. Each area file owns its keys (prefixed with the area's name) in pt-BR and en;
 * `catalog.test.ts` checks that both locales parse and use the same placeholders.
 */
import type { Locale } from '../core/locale.ts';
import { care } from './messages/care.ts';
import { channels } from './messages/channels.ts';
import { common } from './messages/common.ts';
import { discord } from './messages/discord.ts';
import { exercises } from './messages/exercises.ts';
import { learning } from './messages/learning.ts';
import { members } from './messages/members.ts';
import { reports } from './messages/reports.ts';
import { seasons } from './messages/seasons.ts';
import { security } from './messages/security.ts';
import { slack } from './messages/slack.ts';
import { social } from './messages/social.ts';
import { terminal } from './messages/terminal.ts';

const areas = [
  common,
  learning,
  social,
  channels,
  terminal,
  slack,
  discord,
  reports,
  care,
  seasons,
  members,
  security,
  exercises,
] as const;

type AreaKeys<A> = A extends { readonly 'pt-BR': Readonly<Record<infer K, string>> } ? K : never;
export type MessageKey = AreaKeys<(typeof areas)[number]>;

export const catalog: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = {
  'pt-BR': Object.assign({}, ...areas.map((area) => area['pt-BR'])),
  en: Object.assign({}, ...areas.map((area) => area.en)),
};
