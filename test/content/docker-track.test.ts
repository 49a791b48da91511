import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadTracks } from '../../src/content/load-tracks.ts';
import { trackStats } from '../../src/content/track-stats.ts';

const root = join(import.meta.dirname, '..', '..');
const docker = join(root, 'content', 'docker');
const { tracks, problems } = loadTracks(join(root, 'content'), root);
const track = tracks.find((candidate) => candidate.id === 'docker');

function dockerTrack() {
  if (!track) throw new Error(`the docker track did not load: ${problems.map(formatProblem).join('; ')}`);
  return track;
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().toUpperCase();

/** The statements of the source notes: every bullet (with its continuation lines) and the last heading. */
function noteStatements(): string[] {
  const statements: string[] = [];
  for (const line of readFileSync(join(docker, 'source-notes.txt'), 'utf8').split('\n')) {
    const bullet = line.match(/^\s*- (.*)$/);
    if (bullet?.[1]) statements.push(bullet[1]);
    else if (/^\s{6,}\S/.test(line) && statements.length > 0) statements.push(`${statements.pop()} ${line.trim()}`);
  }
  statements.push('HELLO WORLD');
  return statements.map(normalise);
}

/** Rows of the coverage table in content/docker/README.md: statement → lesson ids. */
function coverageRows(): { statement: string; lessons: string[] }[] {
  const readme = readFileSync(join(docker, 'README.md'), 'utf8');
  const table = readme.slice(0, readme.indexOf('## Beyond the notes'));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| section') && !line.startsWith('| ---'))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      return { statement: normalise(cells[2] ?? ''), lessons: (cells[3] ?? '').split(',').map((id) => id.trim()) };
    });
}

describe('the Docker track', () => {
  it('GIVEN content/ THEN every track loads with no problem', () => {
    expect(problems.map(formatProblem)).toEqual([]);
    expect(track).toBeDefined();
  });

  it('GIVEN the Docker track THEN it holds eight weeks of weekday drops and at least 100 questions', () => {
    const stats = trackStats(dockerTrack());
    expect(stats.lessons).toBeGreaterThanOrEqual(40);
    expect(stats.questions).toBeGreaterThanOrEqual(100);
    // A mix of difficulties, so reviews and quizzes are not all trivia.
    for (const difficulty of ['easy', 'medium', 'hard'] as const) expect(stats.byDifficulty[difficulty]).toBeGreaterThan(5);
  });

  it('GIVEN the source notes THEN every statement is in the coverage table, taught by lessons that exist', () => {
    const rows = coverageRows();
    const lessonIds = new Set(dockerTrack().lessons.map((lesson) => lesson.id));
    for (const statement of noteStatements()) {
      const row = rows.find((candidate) => candidate.statement.startsWith(statement));
      expect(row, `"${statement}" is not in content/docker/README.md`).toBeDefined();
      for (const id of row?.lessons ?? []) expect(lessonIds.has(id), `${id} (for "${statement}")`).toBe(true);
    }
  });

  it('GIVEN the coverage README THEN every lesson of the track appears in it', () => {
    const readme = readFileSync(join(docker, 'README.md'), 'utf8');
    for (const lesson of dockerTrack().lessons) expect(readme, lesson.id).toMatch(new RegExp(`[ |,]${lesson.id}[ |,]`));
  });

  it.each(['lxc-and-docker', 'image-layers', 'writable-layer', 'storage-drivers', 'docker-desktop', 'compose-intro'])(
    'GIVEN %s, where the notes or old habits are outdated THEN the lesson says what changed, in both languages',
    (id) => {
      const lesson = dockerTrack().lessons.find((candidate) => candidate.id === id);
      expect(lesson?.changed?.['pt-BR']).toBeTruthy();
      expect(lesson?.changed?.en).toBeTruthy();
    },
  );

  it('GIVEN the second edition THEN the ten practitioner lessons are in the track, in their units', () => {
    const unitOf = new Map(dockerTrack().lessons.map((lesson) => [lesson.id, lesson.unitId]));
    expect(Object.fromEntries(
      [
        'init-processes',
        'multi-platform-builds',
        'bake',
        'docker-init',
        'compose-profiles-overrides',
        'compose-watch',
        'resource-limits',
        'provenance-and-sbom',
        'debugging-slim-images',
        'logging-drivers',
      ].map((id) => [id, unitOf.get(id)]),
    )).toEqual({
      'init-processes': 'lifecycle',
      'multi-platform-builds': 'building',
      bake: 'building',
      'docker-init': 'building',
      'compose-profiles-overrides': 'compose',
      'compose-watch': 'compose',
      'resource-limits': 'operations',
      'provenance-and-sbom': 'operations',
      'debugging-slim-images': 'operations',
      'logging-drivers': 'operations',
    });
  });

  it('GIVEN every explanation of an answer THEN it reads as an explanation, not a verdict word ("Certo." / "Right.")', () => {
    const verdict = /^(Certo|Correto|Errado|Right|Correct|Wrong)\b[.!,]?/;
    for (const question of dockerTrack().lessons.flatMap((lesson) => lesson.questions)) {
      for (const [index, option] of question.options.entries()) {
        for (const locale of ['pt-BR', 'en'] as const) {
          expect(option.explain[locale], `${question.id} option ${index} ${locale}`).not.toMatch(verdict);
        }
      }
    }
  });

  it('GIVEN a learner who never saw the source notes THEN no lesson text refers to "the notes"', () => {
    const notes = /\b(as notas|das notas|nas notas|pelas notas|the notes)\b|notes'/i;
    for (const lesson of dockerTrack().lessons) {
      const texts = [lesson.title, lesson.drop, lesson.more, lesson.changed].flatMap((text) =>
        text ? [text['pt-BR'], text.en] : [],
      );
      for (const question of lesson.questions) {
        texts.push(question.prompt['pt-BR'], question.prompt.en);
        for (const option of question.options) texts.push(option.explain['pt-BR'], option.explain.en);
      }
      for (const text of texts) expect(text, lesson.id).not.toMatch(notes);
    }
  });

  it('GIVEN the official postgres image run without -v THEN the marked answer is the orphaned anonymous volume', () => {
    const question = dockerTrack()
      .lessons.flatMap((lesson) => lesson.questions)
      .find((candidate) => candidate.id === 'writable-layer.rm-database');
    const right = question?.options[question.correctIndex];
    expect(right?.text.en).toMatch(/anonymous volume/);
    expect(right?.text['pt-BR']).toMatch(/volume anônimo/);
  });

  it('GIVEN the retired tools THEN no lesson teaches them as current', () => {
    for (const lesson of dockerTrack().lessons) {
      for (const locale of ['pt-BR', 'en'] as const) {
        const text = `${lesson.drop[locale]}\n${lesson.code?.source ?? ''}`;
        // `docker-compose` (v1) may be named only to say it was replaced; the commands taught are `docker compose`.
        expect(lesson.code?.source ?? '', `${lesson.id} code`).not.toMatch(/^\s*docker-compose /m);
        if (/\bAUFS\b|Kitematic|Docker Toolbox/i.test(text)) expect(lesson.changed, `${lesson.id} names an old tool`).toBeDefined();
      }
    }
  });
});

describe('several tracks side by side', () => {
  it('GIVEN the Docker track and the fixture track in one content folder THEN both load, with their own ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trilha-tracks-'));
    try {
      cpSync(docker, join(dir, 'docker'), { recursive: true });
      cpSync(join(root, 'test', 'fixtures', 'content', 'git-basics'), join(dir, 'git-basics'), { recursive: true });
      const result = loadTracks(dir, dir);
      expect(result.problems.map(formatProblem)).toEqual([]);
      expect(result.tracks.map((loaded) => loaded.id)).toEqual(['docker', 'git-basics']);
      expect(result.tracks[1]?.lessons[0]?.trackId).toBe('git-basics');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
