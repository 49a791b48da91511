/**
 * zod schemas of the content files (docs/content-format.md). They check one file's shape; the rules that span files
 * (ids against file names, the manifest against the lesson files, unique question ids) are in load-tracks.ts.
 */
import { z } from 'zod';
import { locales } from '../core/locale.ts';

export const limits = {
  title: 80,
  drop: 900,
  more: 2_500,
  changed: 400,
  code: 600,
  prompt: 300,
  optionText: 70,
  explain: 400,
  description: 300,
  keywords: 20,
  keyword: 80,
  command: 200,
} as const;

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case: lowercase letters, digits and single hyphens');

const questionId = z
  .string()
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/,
    'must be <lesson-id>.<slug>, both kebab-case (for example shared-kernel.macos-vm)',
  );

/** Markdown that renders the same on Slack, Discord and a terminal: no headings, tables, images or HTML. */
function markdownSubset(text: string): string | null {
  for (const line of text.split('\n')) {
    if (/^\s{0,3}#{1,6}\s/.test(line)) return 'has a Markdown heading (#); use **bold** instead';
    if (/^\s*\|.*\|\s*$/.test(line)) return 'has a Markdown table; use a list instead';
    if (/!\[[^\]]*\]\(/.test(line)) return 'has an image; images are not supported';
    if (/<\/?[a-zA-Z][^>]*>/.test(line.replace(/`[^`]*`/g, ''))) {
      return 'has an HTML tag (put code such as <name> in `backticks`)';
    }
  }
  return null;
}

function text(max: number, markdown: boolean, missing = 'missing') {
  const schema = z
    .string({ error: (issue) => (issue.input === undefined ? missing : 'must be text') })
    .trim()
    .min(1, 'is empty')
    .max(max, `is too long: at most ${max} characters`);
  if (!markdown) return schema;
  return schema.superRefine((value, ctx) => {
    const problem = markdownSubset(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

type LocaleKey = (typeof locales)[number];

/** `{ pt-BR: …, en: … }`; a missing locale reads "missing translation (en)". */
function localized<T extends z.ZodType>(make: (missing: string) => T) {
  const shape = Object.fromEntries(
    locales.map((locale) => [locale, make(`missing translation (${locale})`)]),
  ) as Record<LocaleKey, T>;
  return z.strictObject(shape, {
    error: (issue) => (issue.input === undefined ? 'missing (needs pt-BR and en)' : 'must be an object with pt-BR and en'),
  });
}

const localizedText = (max: number, markdown = true) =>
  localized((missing) => text(max, markdown, missing));

export const trackFileSchema = z.strictObject({
  id: slug,
  title: localizedText(limits.title, false),
  description: localizedText(limits.description),
  units: z
    .array(
      z.strictObject({
        id: slug,
        title: localizedText(limits.title, false),
        lessons: z.array(slug).min(1, 'a unit needs at least one lesson'),
      }),
    )
    .min(1, 'a track needs at least one unit'),
});
export type TrackFile = z.infer<typeof trackFileSchema>;

const optionSchema = z.strictObject({
  text: localizedText(limits.optionText, false),
  correct: z.literal(true).optional(),
  explain: localizedText(limits.explain),
});

const questionBase = {
  id: questionId,
  difficulty: z.enum(['easy', 'medium', 'hard']),
  prompt: localizedText(limits.prompt),
};

const singleQuestion = z.strictObject({
  ...questionBase,
  type: z.literal('single'),
  options: z
    .array(optionSchema)
    .min(2, 'a single-choice question needs 2 to 5 options')
    .max(5, 'a single-choice question needs 2 to 5 options')
    .superRefine((options, ctx) => {
      const right = options.filter((option) => option.correct).length;
      if (right !== 1) {
        ctx.addIssue({
          code: 'custom',
          message: `exactly one option must have correct: true (found ${right})`,
        });
      }
    }),
});

const trueFalseQuestion = z.strictObject({
  ...questionBase,
  type: z.literal('true-false'),
  answer: z.boolean({ error: 'must be true or false' }),
  explain: z.strictObject({
    true: localizedText(limits.explain),
    false: localizedText(limits.explain),
  }),
});

export const questionSchema = z.discriminatedUnion('type', [singleQuestion, trueFalseQuestion], {
  error: 'type must be single or true-false',
});
export type QuestionFile = z.infer<typeof questionSchema>;

/**
 * A "type the command" exercise (issue 20, section 3): a task and the commands that do it. Graded by
 * src/core/command-exercise.ts; every accepted command is checked against the track's CLI table by content:check.
 */
const exerciseSchema = z.strictObject({
  id: questionId,
  difficulty: z.enum(['easy', 'medium', 'hard']),
  prompt: localizedText(limits.prompt),
  accepted: z
    .array(z.string().trim().regex(/^docker\s/, 'must be a docker command').max(limits.command, `is too long: at most ${limits.command} characters`))
    .min(1, 'needs 1 to 5 accepted commands')
    .max(5, 'needs 1 to 5 accepted commands'),
});

export type ExerciseFile = z.infer<typeof exerciseSchema>;

export const lessonFileSchema = z.strictObject({
  id: slug,
  title: localizedText(limits.title, false),
  drop: localizedText(limits.drop),
  more: localizedText(limits.more).optional(),
  code: z
    .strictObject({
      lang: z.enum(['bash', 'dockerfile', 'yaml', 'text']),
      source: z.string().trim().min(1, 'is empty').max(limits.code, `is too long: at most ${limits.code} characters`),
    })
    .optional(),
  changed: localizedText(limits.changed).optional(),
  terms: localized((missing) =>
    z
      .array(z.string().trim().min(1), { error: (issue) => (issue.input === undefined ? missing : 'must be a list') })
      .min(2, 'needs 2 to 12 terms')
      .max(12, 'needs 2 to 12 terms'),
  ),
  keywords: localized((missing) =>
    z
      .array(z.string().trim().min(1, 'is empty').max(limits.keyword, `is too long: at most ${limits.keyword} characters`), {
        error: (issue) => (issue.input === undefined ? missing : 'must be a list'),
      })
      .min(1, `needs 1 to ${limits.keywords} keywords`)
      .max(limits.keywords, `needs 1 to ${limits.keywords} keywords`),
  ).optional(),
  sources: z
    .array(z.strictObject({ title: z.string().trim().min(1), url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }) }))
    .min(1, 'needs 1 to 5 sources')
    .max(5, 'needs 1 to 5 sources'),
  questions: z.array(questionSchema).min(2, 'a lesson needs 2 to 4 questions').max(4, 'a lesson needs 2 to 4 questions'),
  exercises: z.array(exerciseSchema).min(1, 'needs 1 to 3 exercises').max(3, 'needs 1 to 3 exercises').optional(),
});
export type LessonFile = z.infer<typeof lessonFileSchema>;
