import { defineMessages } from '../define.ts';

export const terminal = defineMessages({}, {});
