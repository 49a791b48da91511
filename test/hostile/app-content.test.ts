/**
 * Hostile content (finding 10, docs/security.md): a YAML alias bomb in a lesson, a lesson that is a symbolic link to a
 * file outside the track (whose lines must never be quoted), a lesson folder that is a link, and an oversized file are
 * each a content problem naming the file; loading never throws (the start and `npm run content:check` print the
 * problems of loadTracks).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem, loadTracks, maxContentFileBytes } from '../../src/content/load-tracks.ts';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'content');
const secret = 'root:x:0:0:TOP-SECRET-LINE:/root:/bin/bash';

/** A billion laughs: each level nine aliases of the one before. */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 "lol"'];
  for (let i = 1; i <= levels; i++) {
    lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('hostile content', () => {
  let dir: string;
  let outside: string;
  const lessons = () => join(dir, 'git-basics', 'lessons');
  const lesson = () => join(lessons(), 'what-is-a-commit.yaml');
  const problems = () => loadTracks(dir, dir).problems.map(formatProblem);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trilha-hostile-content-'));
    cpSync(fixture, dir, { recursive: true });
    outside = mkdtempSync(join(tmpdir(), 'trilha-outside-'));
    writeFileSync(join(outside, 'passwd'), `${secret}\nid: what-is-a-commit\n`);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it.each([3, 9])('GIVEN an alias bomb of %i levels THEN a content problem, not a ReferenceError', (levels) => {
    writeFileSync(lesson(), aliasBomb(levels));
    let found: string[] = [];
    expect(() => {
      found = problems();
    }).not.toThrow();
    expect(found).toContain('git-basics/lessons/what-is-a-commit.yaml: YAML: aliases expand too much (over 20)');
  });

  it('GIVEN a lesson that is a symbolic link to a file outside the track THEN refused, and not one of its lines quoted', () => {
    rmSync(lesson());
    symlinkSync(join(outside, 'passwd'), lesson());
    const found = problems();
    expect(found).toContain(
      'git-basics/lessons/what-is-a-commit.yaml: must be a regular file inside the track folder, not a symbolic link',
    );
    expect(found.join('\n')).not.toMatch(/TOP-SECRET|root:x|bin\/bash/);
  });

  it('GIVEN a lessons folder that is a link, or a track folder that is a link THEN refused without reading through it', () => {
    const elsewhere = join(outside, 'lessons');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'what-is-a-commit.yaml'), `${secret}\n`);
    rmSync(lessons(), { recursive: true });
    symlinkSync(elsewhere, lessons());
    symlinkSync(outside, join(dir, 'linked-track'));
    const found = problems();
    expect(found).toContain('git-basics/lessons: the lessons folder must be a folder, not a symbolic link');
    expect(found).toContain('linked-track: a track folder must be a folder, not a symbolic link');
    expect(found.join('\n')).not.toMatch(/TOP-SECRET|root:x/);
  });

  it('GIVEN a lesson larger than the limit THEN refused before it is parsed', () => {
    const original = readFileSync(lesson(), 'utf8');
    writeFileSync(lesson(), `${original}\n# ${'x'.repeat(maxContentFileBytes)}\n`);
    expect(problems()).toContain('git-basics/lessons/what-is-a-commit.yaml: is larger than 1024 KB');
  });
});
