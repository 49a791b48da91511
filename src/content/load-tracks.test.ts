import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ContentProblem, formatProblem, loadTracks } from './load-tracks.ts';

const fixture = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'content');

describe('loadTracks', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trilha-content-'));
    cpSync(fixture, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lessonFile = () => join(dir, 'git-basics', 'lessons', 'what-is-a-commit.yaml');
  const edit = (path: string, change: (text: string) => string) => writeFileSync(path, change(readFileSync(path, 'utf8')));
  const load = () => loadTracks(dir, dir);
  const only = (problems: ContentProblem[]) => {
    expect(problems.map(formatProblem)).toHaveLength(1);
    return problems[0] as ContentProblem;
  };

  it('GIVEN a valid track THEN it loads in manifest order with true/false questions as two options', () => {
    const { tracks, problems } = load();
    expect(problems).toEqual([]);
    const track = tracks[0];
    expect(track?.lessons.map((lesson) => lesson.id)).toEqual(['what-is-a-commit', 'branches']);
    const trueFalse = track?.lessons[0]?.questions[0];
    expect(trueFalse).toMatchObject({ kind: 'true-false', correctIndex: 0 });
    expect(trueFalse?.options.map((option) => option.text.en)).toEqual(['True', 'False']);
    expect(track?.lessons[1]?.questions[0]?.correctIndex).toBe(1);
    expect(track?.lessons[0]?.questions[1]?.correctIndex).toBe(1);
  });

  it('GIVEN a missing translation THEN the problem names file, line and field', () => {
    edit(lessonFile(), (text) => text.replace('  en: What a commit is\n', ''));
    expect(only(load().problems)).toEqual({
      file: 'git-basics/lessons/what-is-a-commit.yaml',
      line: 3,
      field: 'title.en',
      message: 'missing translation (en)',
    });
  });

  it('GIVEN a single-choice question with two right options THEN it is reported at the options', () => {
    edit(lessonFile(), (text) => text.replace("en: To the next commit }\n", "en: To the next commit }\n        correct: true\n"));
    const problem = only(load().problems);
    expect(problem.field).toBe('questions[1].options');
    expect(problem.message).toBe('exactly one option must have correct: true (found 2)');
    expect(problem.line).toBe(45);
  });

  it('GIVEN a single-choice question with no right option THEN it is reported', () => {
    edit(lessonFile(), (text) => text.replace('        correct: true\n', ''));
    expect(only(load().problems).message).toBe('exactly one option must have correct: true (found 0)');
  });

  it('GIVEN a question with one option THEN the option count is out of range', () => {
    const branches = join(dir, 'git-basics', 'lessons', 'branches.yaml');
    edit(branches, (text) => text.slice(0, text.indexOf('      - text: { pt-BR: git commit -b nome')));
    expect(only(load().problems)).toMatchObject({ field: 'questions[1].options', message: 'a single-choice question needs 2 to 5 options' });
  });

  it('GIVEN a drop over 900 characters THEN the problem says the limit', () => {
    edit(lessonFile(), (text) => text.replace('forming the history.', `forming the history. ${'x'.repeat(900)}`));
    expect(only(load().problems)).toMatchObject({ field: 'drop.en', message: 'is too long: at most 900 characters', line: 9 });
  });

  it('GIVEN a heading in a drop THEN the Markdown subset is enforced', () => {
    edit(lessonFile(), (text) => text.replace('    Um **commit**', '    # Título\n    Um **commit**'));
    expect(only(load().problems)).toMatchObject({ field: 'drop.pt-BR', message: expect.stringContaining('heading') });
  });

  it('GIVEN a duplicate question id across lessons THEN the second is reported with the first file', () => {
    const branches = join(dir, 'git-basics', 'lessons', 'branches.yaml');
    edit(branches, (text) => text.replace('id: branches.pointer', 'id: branches.command'));
    const problem = only(load().problems);
    expect(problem).toMatchObject({ file: 'git-basics/lessons/branches.yaml', field: 'questions[1].id' });
    expect(problem.message).toContain('duplicate question id "branches.command"');
  });

  it('GIVEN a question id without the lesson prefix THEN it is reported', () => {
    edit(lessonFile(), (text) => text.replace('id: what-is-a-commit.parent', 'id: commits.parent'));
    expect(only(load().problems).message).toContain('must start with the lesson id');
  });

  it('GIVEN a lesson id that differs from its file name THEN it is reported', () => {
    edit(lessonFile(), (text) => text.replace('id: what-is-a-commit\n', 'id: commit\n'));
    expect(load().problems.map((problem) => problem.message)).toContain('must equal the file name "what-is-a-commit"');
  });

  it('GIVEN an unknown lesson in the manifest and a lesson missing from it THEN both are reported', () => {
    edit(join(dir, 'git-basics', 'track.yaml'), (text) => text.replace('      - branches\n', '      - tags\n'));
    const problems = load().problems.map(formatProblem);
    expect(problems).toEqual([
      'git-basics/lessons/branches.yaml:1: lesson "branches" is missing from track.yaml (add it to a unit)',
      'git-basics/track.yaml:15 units[0].lessons[1]: unknown lesson "tags": lessons/tags.yaml does not exist',
    ]);
  });

  it('GIVEN an unknown field (a typo) THEN it is reported instead of ignored', () => {
    edit(lessonFile(), (text) => text.replace('    difficulty: medium\n', '    difficulty: medium\n    dificulty: hard\n'));
    expect(only(load().problems)).toMatchObject({ field: 'questions[1]', message: 'unknown field: dificulty' });
  });

  it('GIVEN broken YAML THEN the parser error comes with its line and nothing else is guessed', () => {
    edit(lessonFile(), (text) => text.replace('title:\n', 'title: [oops\n'));
    const problems = load().problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: 'git-basics/lessons/what-is-a-commit.yaml', line: expect.any(Number) });
    expect(problems[0]?.message).toMatch(/^YAML: /);
  });

  it('GIVEN several broken files THEN every problem is reported at once', () => {
    edit(lessonFile(), (text) => text.replace('  en: What a commit is\n', ''));
    edit(join(dir, 'git-basics', 'lessons', 'branches.yaml'), (text) => text.replace('difficulty: easy', 'difficulty: trivial'));
    expect(load().problems).toHaveLength(2);
  });
});
