import { defineMessages } from '../define.ts';

export const social = defineMessages({}, {});
