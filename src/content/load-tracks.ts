/**
 * Loads the tracks under content/ into core types and reports every problem at once, each with its file, line,
 * field and what is wrong, so an author fixes a whole lesson in one pass.
 *
 * Content is read as untrusted files (docs/security.md, "Content"): a track folder, its track.yaml and each lesson
 * must be a real folder or a regular file inside the track's folder (a symbolic link is refused, never followed, so
 * a lesson cannot make the loader read and quote another file), a file is at most `maxContentFileBytes`, and YAML
 * aliases may expand to at most `maxYamlAliases` nodes (an alias bomb is a content problem, not a crash). Every
 * failure is a problem naming the file, never an exception.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { CommandTable } from '../core/command-exercise.ts';
import type { Lesson, Option, Question, Track } from '../core/curriculum.ts';
import type { Localized } from '../core/locale.ts';
import {
  type ExerciseFile,
  type LessonFile,
  lessonFileSchema,
  type QuestionFile,
  type TrackFile,
  trackFileSchema,
} from './content.schema.ts';

export interface ContentProblem {
  /** Path of the file, relative to the working directory. */
  readonly file: string;
  readonly line?: number;
  /** Dotted path of the field, for example `questions[1].options[0].explain.en`. */
  readonly field?: string;
  readonly message: string;
}

export interface LoadResult {
  readonly tracks: Track[];
  readonly problems: ContentProblem[];
}

/** A lesson is a few kilobytes; a megabyte is far beyond any and still cheap to read. */
export const maxContentFileBytes = 1024 * 1024;
/** Aliases in one file, as yaml's `maxAliasCount` counts them (the content uses none; a few are harmless). */
export const maxYamlAliases = 20;

const trueFalseLabels: Record<'true' | 'false', Localized> = {
  true: { 'pt-BR': 'Verdadeiro', en: 'True' },
  false: { 'pt-BR': 'Falso', en: 'False' },
};

/** The two fixed options of a command exercise: the stored choice is the grader's verdict (core/curriculum.ts). */
const commandLabels: Record<'accepted' | 'other' | 'explain', Localized> = {
  accepted: { 'pt-BR': 'Comando aceito', en: 'Accepted command' },
  other: { 'pt-BR': 'Outro comando', en: 'Another command' },
  explain: { 'pt-BR': 'Os comandos aceitos estão na resposta.', en: 'The accepted commands are in the answer.' },
};

/** Every folder of `contentDir` that holds a track (a `track.yaml`). */
export function loadTracks(contentDir: string, cwd = process.cwd()): LoadResult {
  const problems: ContentProblem[] = [];
  const tracks: Track[] = [];
  if (!existsSync(contentDir)) {
    return { tracks, problems: [{ file: relative(cwd, contentDir) || contentDir, message: 'content folder not found' }] };
  }
  for (const entry of readdirSync(contentDir).sort()) {
    const dir = join(contentDir, entry);
    const kind = lstatSync(dir);
    if (kind.isSymbolicLink()) {
      problems.push({ file: rel(cwd, dir), message: 'a track folder must be a folder, not a symbolic link' });
      continue;
    }
    if (!kind.isDirectory()) continue;
    const result = loadTrack(dir, cwd);
    problems.push(...result.problems);
    if (result.track) tracks.push(result.track);
  }
  if (tracks.length === 0 && problems.length === 0) {
    problems.push({ file: relative(cwd, contentDir) || contentDir, message: 'no track found (a track is a folder with a track.yaml)' });
  }
  return { tracks, problems: sortProblems(problems) };
}

/** One track folder. `track` is undefined when any problem was found. */
export function loadTrack(dir: string, cwd = process.cwd()): { track?: Track; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const manifestPath = join(dir, 'track.yaml');
  if (!existsSync(manifestPath)) {
    return { problems: [{ file: rel(cwd, dir), message: 'a track folder needs a track.yaml manifest' }] };
  }
  const manifest = parseFile(manifestPath, trackFileSchema, cwd, problems, dir);
  const lessonsDir = join(dir, 'lessons');
  const lessonsKind = existsSync(lessonsDir) ? lstatSync(lessonsDir) : null;
  if (lessonsKind?.isSymbolicLink()) {
    problems.push({ file: rel(cwd, lessonsDir), message: 'the lessons folder must be a folder, not a symbolic link' });
  }
  const lessonFiles = lessonsKind?.isDirectory()
    ? readdirSync(lessonsDir).filter((name) => name.endsWith('.yaml') || name.endsWith('.yml')).sort()
    : [];

  const parsedLessons = new Map<string, { file: string; data: LessonFile; doc: ParsedFile<LessonFile> }>();
  for (const name of lessonFiles) {
    const path = join(lessonsDir, name);
    const parsed = parseFile(path, lessonFileSchema, cwd, problems, dir);
    const fileId = name.replace(/\.ya?ml$/, '');
    if (!parsed.data) continue;
    if (parsed.data.id !== fileId) {
      problems.push(parsed.problemAt(['id'], `must equal the file name "${fileId}"`));
    }
    parsed.data.questions.forEach((question, index) => {
      if (!question.id.startsWith(`${parsed.data?.id}.`)) {
        problems.push(parsed.problemAt(['questions', index, 'id'], `must start with the lesson id: "${parsed.data?.id}.<slug>"`));
      }
      if (question.type === 'single') {
        const seen = new Map<string, number>();
        question.options.forEach((option, optionIndex) => {
          const key = option.text['pt-BR'].toLowerCase();
          if (seen.has(key)) {
            problems.push(
              parsed.problemAt(['questions', index, 'options', optionIndex, 'text'], `repeats option ${(seen.get(key) ?? 0) + 1}`),
            );
          }
          seen.set(key, optionIndex);
        });
      }
    });
    parsedLessons.set(fileId, { file: rel(cwd, path), data: parsed.data, doc: parsed });
  }

  const data = manifest.data;
  if (!data) return { problems };
  const folderId = basename(dir);
  if (data.id !== folderId) problems.push(manifest.problemAt(['id'], `must equal the folder name "${folderId}"`));

  // The manifest against the lesson files.
  const listed = new Map<string, string>();
  const unitIds = new Set<string>();
  data.units.forEach((unit, unitIndex) => {
    if (unitIds.has(unit.id)) problems.push(manifest.problemAt(['units', unitIndex, 'id'], `duplicate unit id "${unit.id}"`));
    unitIds.add(unit.id);
    unit.lessons.forEach((lessonId, lessonIndex) => {
      const path = ['units', unitIndex, 'lessons', lessonIndex];
      if (listed.has(lessonId)) {
        problems.push(manifest.problemAt(path, `lesson "${lessonId}" is listed twice (also in unit "${listed.get(lessonId)}")`));
      } else if (!lessonFiles.some((name) => name.replace(/\.ya?ml$/, '') === lessonId)) {
        problems.push(manifest.problemAt(path, `unknown lesson "${lessonId}": lessons/${lessonId}.yaml does not exist`));
      }
      listed.set(lessonId, unit.id);
    });
  });
  for (const name of lessonFiles) {
    const id = name.replace(/\.ya?ml$/, '');
    if (!listed.has(id)) {
      problems.push({ file: rel(cwd, join(lessonsDir, name)), line: 1, message: `lesson "${id}" is missing from track.yaml (add it to a unit)` });
    }
  }

  // Question ids are unique in the track: progress and reviews refer to them.
  const questionOwners = new Map<string, string>();
  for (const [, lesson] of parsedLessons) {
    lesson.data.questions.forEach((question, index) => {
      const owner = questionOwners.get(question.id);
      if (owner) {
        problems.push(lesson.doc.problemAt(['questions', index, 'id'], `duplicate question id "${question.id}" (also in ${owner})`));
      }
      questionOwners.set(question.id, lesson.file);
    });
  }

  // Exercises are graded against the track's CLI table (cli-table.json beside track.yaml): read once, shared.
  let table: CommandTable | undefined;
  const hasExercises = [...parsedLessons.values()].some((lesson) => (lesson.data.exercises?.length ?? 0) > 0);
  if (hasExercises) {
    const loaded = readCommandTable(dir, cwd);
    if ('problem' in loaded) problems.push(loaded.problem);
    else table = loaded.table;
  }

  if (problems.length > 0) return { problems };

  const lessons: Lesson[] = [];
  for (const unit of data.units) {
    for (const lessonId of unit.lessons) {
      const lesson = parsedLessons.get(lessonId);
      if (lesson) lessons.push(toLesson(lesson.data, data, unit.id, lessons.length, table));
    }
  }
  return {
    problems,
    track: {
      id: data.id,
      title: data.title,
      description: data.description,
      units: data.units.map((unit) => ({ id: unit.id, title: unit.title, lessonIds: unit.lessons })),
      lessons,
    },
  };
}

/** The track's CLI table (`cli-table.json`), read as untrusted content like the lessons; a problem if unusable. */
function readCommandTable(dir: string, cwd: string): { table: CommandTable } | { problem: ContentProblem } {
  const path = join(dir, 'cli-table.json');
  const file = rel(cwd, path);
  if (!existsSync(path)) return { problem: { file, message: 'lessons have exercises, so the track needs its cli-table.json' } };
  const refused = unsafeFile(path, dir);
  if (refused) return { problem: { file, message: refused } };
  try {
    const table = JSON.parse(readFileSync(path, 'utf8')) as CommandTable;
    if (typeof table?.commands !== 'object' || !Array.isArray(table.topLevel) || typeof table.globalFlags !== 'object') {
      return { problem: { file, message: 'is not a CLI table (commands, topLevel and globalFlags)' } };
    }
    return { table };
  } catch {
    return { problem: { file, message: 'is not valid JSON' } };
  }
}

function toLesson(file: LessonFile, track: TrackFile, unitId: string, index: number, table?: CommandTable): Lesson {
  return {
    id: file.id,
    trackId: track.id,
    unitId,
    index,
    title: file.title,
    drop: file.drop,
    ...(file.more ? { more: file.more } : {}),
    ...(file.code ? { code: file.code } : {}),
    ...(file.changed ? { changed: file.changed } : {}),
    // `keywords` (the words members ask with) only feed the search, as the terms do.
    terms: file.keywords
      ? { 'pt-BR': [...file.terms['pt-BR'], ...file.keywords['pt-BR']], en: [...file.terms.en, ...file.keywords.en] }
      : file.terms,
    sources: file.sources,
    // Exercises come after the questions: served, answered, scored and reviewed as questions (core/curriculum.ts).
    questions: [
      ...file.questions.map((question) => toQuestion(question, file.id)),
      ...(table ? (file.exercises ?? []).map((exercise) => toExercise(exercise, file.id, table)) : []),
    ],
  };
}

function toQuestion(file: QuestionFile, lessonId: string): Question {
  const base = { id: file.id, lessonId, difficulty: file.difficulty, prompt: file.prompt };
  if (file.type === 'single') {
    const options: Option[] = file.options.map((option) => ({
      text: option.text,
      correct: option.correct === true,
      explain: option.explain,
    }));
    return { ...base, kind: 'single', options, correctIndex: options.findIndex((option) => option.correct) };
  }
  const options: Option[] = [
    { text: trueFalseLabels.true, correct: file.answer, explain: file.explain.true },
    { text: trueFalseLabels.false, correct: !file.answer, explain: file.explain.false },
  ];
  return { ...base, kind: 'true-false', options, correctIndex: file.answer ? 0 : 1 };
}

/** A "type the command" exercise as a question with two fixed options: 0 the accepted command, 1 another. */
function toExercise(file: ExerciseFile, lessonId: string, table: CommandTable): Question {
  const explain = commandLabels.explain;
  const options: Option[] = [
    { text: commandLabels.accepted, correct: true, explain },
    { text: commandLabels.other, correct: false, explain },
  ];
  return {
    id: file.id,
    lessonId,
    difficulty: file.difficulty,
    prompt: file.prompt,
    kind: 'command',
    options,
    correctIndex: 0,
    command: { accept: file.accepted, table },
  };
}

type Path = readonly (string | number)[];

interface ParsedFile<T> {
  data?: T;
  problemAt(path: Path, message: string): ContentProblem;
}

/**
 * Why `path` may not be read as content of the track in `trackDir`, or null when it may: a regular file (not a
 * symbolic link, a device or a folder) whose real path is inside the track folder's, within the size limit.
 */
function unsafeFile(path: string, trackDir: string): string | null {
  const kind = lstatSync(path);
  if (kind.isSymbolicLink()) return 'must be a regular file inside the track folder, not a symbolic link';
  if (!kind.isFile()) return 'must be a regular file';
  const root = realpathSync(trackDir);
  if (!realpathSync(path).startsWith(root + sep)) return 'must be inside the track folder';
  if (kind.size > maxContentFileBytes) return `is larger than ${maxContentFileBytes / 1024} KB`;
  return null;
}

/** Parses one YAML file and checks it against `schema`, adding every problem with its line. */
function parseFile<T>(
  path: string,
  schema: z.ZodType<T>,
  cwd: string,
  problems: ContentProblem[],
  trackDir: string,
): ParsedFile<T> {
  const file = rel(cwd, path);
  const lineCounter = new LineCounter();
  const refused = unsafeFile(path, trackDir);
  if (refused) {
    problems.push({ file, message: refused });
    return { problemAt: (at, message) => ({ file, field: formatPath(at), message }) };
  }
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter, uniqueKeys: true, prettyErrors: true });
  const problemAt = (at: Path, message: string): ContentProblem => ({
    file,
    ...lineOf(doc, lineCounter, at),
    field: formatPath(at),
    message,
  });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0]?.line;
      problems.push({ file, ...(line ? { line } : {}), message: `YAML: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}` });
    }
    return { problemAt };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: maxYamlAliases });
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (an alias bomb); its message quotes nothing.
    const reason = error instanceof ReferenceError ? `aliases expand too much (over ${maxYamlAliases})` : 'cannot be read';
    problems.push({ file, message: `YAML: ${reason}` });
    return { problemAt };
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const at = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
      problems.push(problemAt(at, describeIssue(issue)));
    }
    return { problemAt };
  }
  return { data: result.data, problemAt };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
  return issue.message;
}

/** The line of the node at `path`, or of its nearest existing parent when the field is missing. */
function lineOf(doc: Document, lineCounter: LineCounter, path: Path): { line?: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return { line: lineCounter.linePos(range[0]).line };
  }
  return {};
}

function formatPath(path: Path): string | undefined {
  if (path.length === 0) return undefined;
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '');
}

function rel(cwd: string, path: string): string {
  return relative(cwd, path) || path;
}

function sortProblems(problems: ContentProblem[]): ContentProblem[] {
  return problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
}

/** `content/docker/lessons/x.yaml:12 questions[0].options: exactly one option must have correct: true` */
export function formatProblem(problem: ContentProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}${problem.field ? ` ${problem.field}` : ''}: ${problem.message}`;
}
