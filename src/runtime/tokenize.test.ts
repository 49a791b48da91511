import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitCommandLine, tokenize } from './tokenize.ts';

describe('tokenize', () => {
  it('GIVEN quoted arguments THEN each quoted group is one word without its quotes', () => {
    expect(tokenize('turma criar "ops" "Time de Ops"')).toEqual(['turma', 'criar', 'ops', 'Time de Ops']);
    expect(tokenize('turma criar “ops” “Time de Ops”')).toEqual(['turma', 'criar', 'ops', 'Time de Ops']);
    expect(tokenize("progresso 'Ana Souza'")).toEqual(['progresso', 'Ana Souza']);
    expect(tokenize('progresso ‘Ana Souza’')).toEqual(['progresso', 'Ana Souza']);
    expect(tokenize('turma criar ops «Time de Ops»')).toEqual(['turma', 'criar', 'ops', 'Time de Ops']);
  });

  it('GIVEN apostrophes inside words or a quote left open THEN they are kept as typed', () => {
    expect(tokenize("ask what's a volume")).toEqual(['ask', "what's", 'a', 'volume']);
    expect(tokenize('perguntar copo d’água')).toEqual(['perguntar', 'copo', 'd’água']);
    expect(tokenize('turma criar "ops Time')).toEqual(['turma', 'criar', '"ops', 'Time']);
    expect(tokenize('ask 5" screen')).toEqual(['ask', '5"', 'screen']);
  });

  it('GIVEN extra spaces THEN they separate words and add none; a line of spaces has no words', () => {
    expect(tokenize('  ranking   semana  ')).toEqual(['ranking', 'semana']);
    expect(tokenize('   ')).toEqual([]);
    expect(splitCommandLine('  perguntar   como  apagar ')).toEqual({
      name: 'perguntar',
      words: ['como', 'apagar'],
      rest: 'como apagar',
    });
  });

  it('GIVEN any words without quotes THEN quoting each gives the same words', () => {
    const word = fc.stringMatching(/^[^\s"“”'‘’«»]{1,12}$/);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        expect(tokenize(words.join(' '))).toEqual(words);
        expect(tokenize(words.map((w) => `"${w}"`).join(' '))).toEqual(words);
      }),
    );
  });
});
