/**
 * "Ask": find the lessons that answer a member's question typed in their own words, pt-BR or en.
 *
 * The ranking is MiniSearch's (BM25 per field, field boosts, prefix and fuzzy expansion, and a score multiplied by how
 * many query terms a lesson matched). This file decides what goes into the index and how text becomes terms (the part
 * that has to know Portuguese accents and plurals and Docker's spelling of commands), adds one signal of its own (how
 * much of a lesson's title the question covers) and picks the language to answer from.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import type { Curriculum, Lesson } from './curriculum.ts';
import { type Locale, locales } from './locale.ts';

export interface LessonHit {
  readonly trackId: string;
  readonly lessonId: string;
  /** The lesson's title in the member's locale, even when the match came from the other locale. */
  readonly title: string;
  readonly score: number;
}

export interface LessonSearchResult {
  /** The best lesson, or null when the query is empty, only stop words, or matches nothing in either locale. */
  readonly best: LessonHit | null;
  /** Up to two more lessons (fewer with a smaller `limit`), best first. */
  readonly others: LessonHit[];
}

export interface LessonSearchOptions {
  /** Only lessons of this track. */
  readonly trackId?: string;
  /** Most hits in all, `best` included: 1 to 3, default 3. */
  readonly limit?: number;
}

/** One indexed lesson, already reduced to the text of one locale. */
interface LessonDocument {
  readonly id: string;
  readonly trackId: string;
  readonly lessonId: string;
  readonly title: string;
  readonly terms: string;
  readonly drop: string;
  readonly more: string;
  readonly questions: string;
}

type StoredFields = Pick<LessonDocument, 'trackId' | 'lessonId'>;

const defaultLimit = 3;

/**
 * A member's question is a sentence, not an essay; anything pasted beyond this is cut so that one huge message cannot
 * make a search slow (every term is a prefix and fuzzy walk of the index).
 */
const maxQueryLength = 300;

/**
 * Words too common to say which lesson a question is about, in both languages, written as `normalize` leaves them
 * (no accents, lower case: "é" is "e", "você" is "voce"). Both locales share one list: a member mixes languages, and
 * the words do not collide with Docker vocabulary.
 */
const stopWords: ReadonlySet<string> = new Set(
  [
    // pt-BR
    'o a os as um uma uns umas de do da dos das em no na nos nas ao aos pelo pela num numa',
    'que e ou como para pra por com',
    'se eu me meu minha meus minhas voce ele ela isso isto esse essa este esta qual quais quando onde porque',
    'quero posso pode sao ser foi ha tem faco fazer mais muito',
    // en
    'the an is are was be been what how why which who where when to of in on at for with from by',
    'and or it its this that these those i my you your we our can could should would does did about into if there',
  ]
    .join(' ')
    .split(' '),
);

/** Lower case without accents, on both sides of the index: "Contêiner" and "conteiner" are one term. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * Runs of letters and digits, kept together across the separators Docker's vocabulary uses inside one name:
 * `docker-compose`, `compose.yaml`, `/etc/os-release`, `8080:80`, `image@sha256`, `POSTGRES_PASSWORD`. Markdown marks
 * (`*`, backticks, brackets) and spaces end a run.
 */
const chunkPattern = /[\p{L}\p{N}_\-./:@]+/gu;
const edgeSeparators = /^[_./:@]+|[-_./:@]+$/gu;
const partSeparator = /[^\p{L}\p{N}]+/u;

/**
 * Text → index terms, for documents and queries alike so both sides agree. Written by hand because MiniSearch's
 * default tokenizer splits on every punctuation mark, so `--rm` would become `rm` and `compose.yaml` two unrelated
 * words. Each run yields:
 * - the whole run, when it has separators inside (`docker-compose`, `compose.yaml`, `etc/os-release`) or is a flag
 *   (`--rm`, `-p`: leading dashes are kept), so that typing the exact name ranks the lesson that uses it first;
 * - and its letter-and-digit parts (`docker`, `compose`, `yaml`, `etc`, `release`, `rm`), so that `docker compose`
 *   still finds `docker-compose`; each part folded to its singular (see `singular`).
 * Stop words and one-character parts are dropped (a lone `a` or `3` says nothing about a lesson; a flag such as `-p`
 * is kept as the whole run).
 */
export function tokenize(text: string, locale: Locale): string[] {
  const terms: string[] = [];
  for (const [chunk] of normalize(text).matchAll(chunkPattern)) {
    const whole = chunk.replace(edgeSeparators, '');
    const parts = whole.split(partSeparator).filter((part) => part.length > 1 && !stopWords.has(part));
    if (whole.length > 1 && whole !== parts[0] && /[\p{L}\p{N}]/u.test(whole) && !stopWords.has(whole)) {
      terms.push(whole);
    }
    for (const part of parts) terms.push(singular(part, locale));
  }
  return terms;
}

/**
 * Folds a plural to its singular, so that "imagens" meets "imagem", "volumes" meets "volume" and "portas" meets
 * "porta" (prefix matching only helps in one direction: "porta" finds "portas", not the reverse). Written by hand
 * because no stemmer is among our dependencies, and because a full stemmer (Snowball) also cuts verb and noun
 * endings, which merges technical words that must stay apart (`build`/`builder`, `run`/`runtime`). Only plural
 * endings are touched, only on words of letters of 4+ characters, by the rules of the index's language; a rare wrong
 * fold ("tokens" → "tokem" in Portuguese) is harmless because queries and lessons are folded the same way.
 */
export function singular(word: string, locale: Locale): string {
  if (word.length < 4 || !/^\p{L}+$/u.test(word) || /(ss|us|is)$/.test(word)) return word;
  if (locale === 'pt-BR') {
    if (/(oe|ae|ao)s$/.test(word)) return `${word.slice(0, -3)}ao`; // conexões → conexão, opções → opção
    if (word.endsWith('ns')) return `${word.slice(0, -2)}m`; // imagens → imagem
    if (/[rz]es$/.test(word)) return word.slice(0, -2); // contêineres → contêiner, vezes → vez
  } else {
    if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`; // registries → registry
    if (/(sses|xes)$/.test(word)) return word.slice(0, -2); // processes → process, prefixes → prefix
  }
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

/** Prefix expansion from three characters: `por` finds `porta`, while `rm` does not also mean `rmi`. */
const prefixFor = (term: string): boolean => term.length >= 3;

/**
 * A typo budget of about one edit per five characters (MiniSearch rounds: one edit from 4 to 7 characters, two from 8),
 * none for short terms, where one edit is another word, and none for words the lessons of that language use: fuzzy
 * matching is there to repair typos, and a correctly spelled word must not also match its neighbours ("imagem" would
 * otherwise match every `docker image` command in the Portuguese lessons).
 */
function fuzzyFor(vocabulary: ReadonlySet<string>): (term: string) => number | false {
  return (term) => (term.length >= 4 && !vocabulary.has(term) ? 0.2 : false);
}

/** Weights: the title and the author's key terms say what a lesson is about; the extra text and questions only hint. */
const boost = { title: 3, terms: 3, drop: 1, more: 0.5, questions: 0.5 };

/**
 * Searches the lessons of a curriculum. The indexes (one per locale) are built once, in the constructor; a search only
 * reads them, so one instance can serve every command for the life of the process.
 */
export class LessonSearch {
  readonly #curriculum: Curriculum;
  readonly #indexes: ReadonlyMap<Locale, LocaleIndex>;
  /** Place of each lesson in the curriculum, `${trackId}/${lessonId}` → order, to break score ties the same way. */
  readonly #order = new Map<string, number>();

  constructor(curriculum: Curriculum) {
    this.#curriculum = curriculum;
    const lessons = curriculum.tracks.flatMap((track) => track.lessons);
    for (const [order, lesson] of lessons.entries()) this.#order.set(documentId(lesson), order);
    this.#indexes = new Map(locales.map((locale) => [locale, buildIndex(lessons, locale)]));
  }

  /**
   * The lessons that best answer `query`, searched in the member's locale first. The other locale is tried when that
   * search leaves some of the member's words unmatched (nothing matched at all being the plain case): a Portuguese
   * speaker may type the English name of a thing ("writable layer"). It wins only when its lessons know a larger share
   * of the words. Titles are always in `locale`.
   */
  search(query: string, locale: Locale, options: LessonSearchOptions = {}): LessonSearchResult {
    const text = query.slice(0, maxQueryLength);
    let ranking = this.#rank(text, locale, options.trackId);
    if (ranking.matchedShare < 1) {
      for (const other of locales) {
        if (other === locale) continue;
        const alternative = this.#rank(text, other, options.trackId);
        if (alternative.matchedShare > ranking.matchedShare) ranking = alternative;
      }
    }
    const [best, ...others] = ranking.hits.slice(0, clampLimit(options.limit)).map((hit) => this.#toHit(hit, locale));
    return { best: best ?? null, others };
  }

  /**
   * Topics to offer when a search finds nothing: unit titles in `locale`, spread evenly over the curriculum (first and
   * last unit included) rather than only its beginning, so the suggestions show how much ground the tracks cover.
   */
  suggestTopics(locale: Locale, count = 5): string[] {
    const titles = [
      ...new Set(this.#curriculum.tracks.flatMap((track) => track.units.map((unit) => unit.title[locale]))),
    ];
    const wanted = Math.min(Math.max(0, Math.floor(count)), titles.length);
    if (wanted === 0) return [];
    if (wanted === 1) return [titles[0] as string];
    return Array.from(
      { length: wanted },
      (_, i) => titles[Math.round((i * (titles.length - 1)) / (wanted - 1))] as string,
    );
  }

  #rank(text: string, locale: Locale, trackId: string | undefined): Ranking {
    const localeIndex = this.#indexes.get(locale);
    // Deduplicated here rather than by MiniSearch: a repeated word would otherwise count as two matched terms.
    const terms = [...new Set(tokenize(text, locale))];
    if (!localeIndex || terms.length === 0) return { hits: [], matchedShare: 0 };
    const results = localeIndex.index.search(terms.join(' '), {
      // The query is already tokenized and normalised: split it back, do not process it twice.
      tokenize: (query) => query.split(' '),
      processTerm: (term) => term,
      combineWith: 'OR',
      prefix: prefixFor,
      fuzzy: fuzzyFor(localeIndex.vocabulary),
      boost,
      ...(trackId === undefined ? {} : { filter: (result: SearchResult) => result.trackId === trackId }),
    });
    const matched = new Set(results.flatMap((result) => result.queryTerms));
    const hits = results
      .map((result) => ({ result, score: result.score * (1 + titleCoverage(result, localeIndex.titleTerms)) }))
      // Equal scores come out in curriculum order, the same way every time.
      .sort((a, b) => b.score - a.score || this.#orderOf(a.result) - this.#orderOf(b.result));
    return { hits, matchedShare: matched.size / terms.length };
  }

  #orderOf(result: SearchResult): number {
    return this.#order.get(String(result.id)) ?? Number.MAX_SAFE_INTEGER;
  }

  #toHit({ result, score }: RankedResult, locale: Locale): LessonHit {
    const { trackId, lessonId } = result as SearchResult & StoredFields;
    const lesson = this.#curriculum.lesson(trackId, lessonId);
    return { trackId, lessonId, title: lesson ? lesson.title[locale] : lessonId, score };
  }
}

interface RankedResult {
  readonly result: SearchResult;
  readonly score: number;
}

interface Ranking {
  /** Best first. */
  readonly hits: RankedResult[];
  /** How many of the query's terms matched some lesson, from 0 to 1. */
  readonly matchedShare: number;
}

/**
 * The share of a lesson's title (its distinct terms) that the query matched, from 0 to 1; the score is multiplied by
 * one plus this share. BM25 rewards a title for containing the query's words, and a long title mentioning "imagem"
 * twice ("Imagens feitas sobre outras imagens") beats the lesson whose whole title is the question ("O que é uma
 * imagem"); a member who types a lesson's title, or most of it, wants that lesson.
 */
function titleCoverage(result: SearchResult, titleTerms: ReadonlyMap<string, ReadonlySet<string>>): number {
  const terms = titleTerms.get(String(result.id));
  if (!terms || terms.size === 0) return 0;
  let covered = 0;
  for (const term of terms) if (result.match[term]?.includes('title')) covered += 1;
  return covered / terms.size;
}

interface LocaleIndex {
  readonly index: MiniSearch<LessonDocument>;
  /** Every term of the index, to tell a typo from a word the lessons use (see `fuzzyFor`). */
  readonly vocabulary: ReadonlySet<string>;
  /** Document id → the distinct terms of its title (see `titleCoverage`). */
  readonly titleTerms: ReadonlyMap<string, ReadonlySet<string>>;
}

function buildIndex(lessons: readonly Lesson[], locale: Locale): LocaleIndex {
  const vocabulary = new Set<string>();
  const index = new MiniSearch<LessonDocument>({
    fields: ['title', 'terms', 'drop', 'more', 'questions'],
    storeFields: ['trackId', 'lessonId'],
    tokenize: (text) => {
      const terms = tokenize(text, locale);
      for (const term of terms) vocabulary.add(term);
      return terms;
    },
    // `tokenize` already normalised, filtered and folded every term.
    processTerm: (term) => term,
  });
  index.addAll(
    lessons.map((lesson) => ({
      id: documentId(lesson),
      trackId: lesson.trackId,
      lessonId: lesson.id,
      title: lesson.title[locale],
      // Joined with a line break so that the last word of one term and the first of the next never form one run.
      terms: lesson.terms[locale].join('\n'),
      drop: lesson.drop[locale],
      more: lesson.more?.[locale] ?? '',
      questions: lesson.questions.map((question) => question.prompt[locale]).join('\n'),
    })),
  );
  const titleTerms = new Map(
    lessons.map((lesson) => [documentId(lesson), new Set(tokenize(lesson.title[locale], locale))] as const),
  );
  return { index, vocabulary, titleTerms };
}

function documentId(lesson: Lesson): string {
  return `${lesson.trackId}/${lesson.id}`;
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return defaultLimit;
  return Math.min(defaultLimit, Math.max(1, Math.floor(limit)));
}
