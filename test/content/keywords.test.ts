// Optional `keywords` of a lesson (docs/content-format.md): validated like every field, and fed to the search with the terms.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem, loadTracks } from '../../src/content/load-tracks.ts';
import { Curriculum } from '../../src/core/curriculum.ts';
import { LessonSearch } from '../../src/core/lesson-search.ts';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'content');

describe('lesson keywords', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trilha-keywords-'));
    cpSync(fixture, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lessonFile = () => join(dir, 'git-basics', 'lessons', 'branches.yaml');
  const addKeywords = (yaml: string) => {
    const text = readFileSync(lessonFile(), 'utf8');
    writeFileSync(lessonFile(), text.replace(/^terms:\n(  .*\n)+/m, (terms) => `${terms}${yaml}`));
  };

  it('GIVEN keywords THEN the lesson loads and a question in those words finds it', () => {
    const before = loadTracks(dir, dir);
    const search = (tracks = before.tracks) => new LessonSearch(new Curriculum(tracks));
    expect(search().search('parallel universe of my work', 'en').best?.lessonId).not.toBe('branches');
    addKeywords('keywords:\n  pt-BR: ["universo paralelo do trabalho"]\n  en: ["parallel universe of my work"]\n');
    const { tracks, problems } = loadTracks(dir, dir);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(search(tracks).search('parallel universe of my work', 'en').best?.lessonId).toBe('branches');
    expect(search(tracks).search('universo paralelo', 'pt-BR').best?.lessonId).toBe('branches');
  });

  it('GIVEN more than 20 keywords or one missing locale THEN a content problem with file, line and field', () => {
    const many = JSON.stringify(Array.from({ length: 21 }, (_, i) => `word ${i}`));
    addKeywords(`keywords:\n  pt-BR: ${many}\n  en: ["one"]\n`);
    expect(loadTracks(dir, dir).problems.map(formatProblem)).toEqual([
      expect.stringMatching(/branches\.yaml:\d+ keywords\.pt-BR: needs 1 to 20 keywords/),
    ]);
    addKeywords('');
    writeFileSync(lessonFile(), readFileSync(lessonFile(), 'utf8').replace(/^keywords:\n(  .*\n)+/m, 'keywords:\n  en: ["one"]\n'));
    expect(loadTracks(dir, dir).problems.map(formatProblem)).toEqual([
      expect.stringMatching(/branches\.yaml:\d+ keywords\.pt-BR: missing translation \(pt-BR\)/),
    ]);
  });
});
