/** docs/commands.md is what `npm run docs:commands` writes from the command set: a stale file fails here. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { commandsDocPath, commandsReference } from './docs-commands.ts';

describe('docs/commands.md', () => {
  it('GIVEN the command set THEN the committed reference is exactly what npm run docs:commands writes (run it after changing a command)', () => {
    expect(readFileSync(commandsDocPath, 'utf8')).toBe(commandsReference());
  });

  it('GIVEN every command THEN the reference names it in both languages with its aliases', () => {
    const reference = commandsReference();
    for (const command of commands) {
      expect(reference).toContain(`## ${command.names['pt-BR']} · ${command.names.en}`);
      for (const alias of command.aliases) expect(reference).toContain(`\`${alias}\``);
    }
  });
});
