import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.ts';
import { translator } from './translator.ts';

/** The placeholder names a message uses, at any depth (inside plural and select branches too). */
function placeholders(source: string): string[] {
  const names = new Set<string>();
  const walk = (elements: ReturnType<typeof parse>) => {
    for (const element of elements) {
      if ('value' in element && element.type !== TYPE.literal) {
        names.add(String(element.value));
      }
      if ('options' in element) {
        for (const option of Object.values(element.options)) walk(option.value);
      }
    }
  };
  walk(parse(source, { ignoreTag: true }));
  return [...names].sort();
}

describe('message catalog', () => {
  it('GIVEN both locales THEN they have the same keys', () => {
    expect(Object.keys(catalog.en).sort()).toEqual(Object.keys(catalog['pt-BR']).sort());
  });

  it('GIVEN every message THEN it parses and uses the same placeholders in pt-BR and en', () => {
    for (const key of Object.keys(catalog['pt-BR']) as (keyof (typeof catalog)['pt-BR'])[]) {
      expect(placeholders(catalog.en[key]), key).toEqual(placeholders(catalog['pt-BR'][key]));
    }
  });

  it('GIVEN a message with a placeholder THEN each locale formats its own text', () => {
    expect(translator('pt-BR').t('common.help.usage', { usage: 'x' })).toBe('Uso: x');
    expect(translator('en').t('common.help.usage', { usage: 'x' })).toBe('Usage: x');
  });
});
