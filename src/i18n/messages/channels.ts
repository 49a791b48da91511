import { defineMessages } from '../define.ts';

export const channels = defineMessages({}, {});
