/**
 * "Ask": find the lessons that answer a member's question typed in their own words, pt-BR or en.
 *
 * The ranking is MiniSearch's (BM25 per field, field boosts, prefix and fuzzy expansion, and a score multiplied by how
 * many query terms a lesson matched). This file decides what goes into the index and how text becomes terms (the part
 * that has to know Portuguese accents and plurals and Docker's spelling of commands), widens the question with a small
 * bilingual thesaurus, adds signals of its own (how much of a lesson's title the question covers, the key phrases of a
 * lesson the question contains, whether it asks what a thing is or how two differ) and picks the language to answer
 * from. Tuned against test/content/ask-eval.json (top-1 from 65 % to 98 % on its first 100 questions, 95.8 % with the
 * second edition's lessons; see docs/content-format.md, `keywords`).
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
    'entre coisa mesma mesmo fica ficam vai vao dentro devo deve preciso nao sim todo toda todos todas vez sem estao',
    // en
    'the an is are was be been what how why which who where when to of in on at for with from by',
    'and or it its this that these those i my you your we our can could should would does did about into if there',
    'between same thing things do put get getting inside need want not yes every all was were',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Words of the shared list that are not stop words in one language: in a Portuguese sentence, "from" can only be the
 * Dockerfile instruction (`FROM`).
 */
const keptWords: Readonly<Record<Locale, ReadonlySet<string>>> = { 'pt-BR': new Set(['from']), en: new Set() };

const isStopWord = (word: string, locale: Locale): boolean => stopWords.has(word) && !keptWords[locale].has(word);

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
    const parts = whole.split(partSeparator).filter((part) => part.length > 1 && !isStopWord(part, locale));
    if (whole.length > 1 && whole !== parts[0] && /[\p{L}\p{N}]/u.test(whole) && !isStopWord(whole, locale)) {
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
  /**
   * Each locale's index, built on its first search: a process that is never asked (most of the time, in most modes)
   * does not pay its start-up time or memory (docs/production.md, "Memory").
   */
  readonly #indexes = new Map<Locale, LocaleIndex>();
  /** Place of each lesson in the curriculum, `${trackId}/${lessonId}` → order, to break score ties the same way. */
  readonly #order = new Map<string, number>();

  constructor(curriculum: Curriculum) {
    this.#curriculum = curriculum;
    for (const [order, lesson] of this.#lessons().entries()) this.#order.set(documentId(lesson), order);
  }

  #lessons(): Lesson[] {
    return this.#curriculum.tracks.flatMap((track) => track.lessons);
  }

  #index(locale: Locale): LocaleIndex {
    let index = this.#indexes.get(locale);
    if (!index) {
      index = buildIndex(this.#lessons(), locale);
      this.#indexes.set(locale, index);
    }
    return index;
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
    // Deduplicated here rather than by MiniSearch: a repeated word would otherwise count as two matched terms.
    const terms = [...new Set(tokenize(text, locale))];
    if (terms.length === 0) return { hits: [], matchedShare: 0 };
    const localeIndex = this.#index(locale);
    const query = expandQuery(text, terms, locale, localeIndex.vocabulary);
    const results = localeIndex.index.search(query.terms.join(' '), {
      // The query is already tokenized and normalised: split it back, do not process it twice.
      tokenize: (joined) => joined.split(' '),
      processTerm: (term) => term,
      combineWith: 'OR',
      prefix: prefixFor,
      fuzzy: fuzzyFor(localeIndex.vocabulary),
      boost,
      boostTerm: (term) => query.weight.get(term) ?? 1,
      ...(trackId === undefined ? {} : { filter: (result: SearchResult) => result.trackId === trackId }),
    });
    // A member's word counts as matched when it, or a word the thesaurus gave it, matched.
    const matched = new Set(
      results.flatMap((result) => result.queryTerms.map((term) => query.origin.get(term) ?? term)),
    );
    const intent = intentOf(text);
    const titleWeight = intent === 'compare' ? 2 : 1;
    const hits = results
      .map((result) => {
        const coverage = titleCoverage(result, localeIndex.titleTerms);
        const defines = intent === 'define' && coverage > 0 && localeIndex.definitions.has(String(result.id));
        const phraseWords = keyPhraseWords(localeIndex.keyPhrases.get(String(result.id)), query.terms);
        return {
          result,
          score:
            result.score *
            (1 + titleWeight * coverage) *
            (defines ? definitionBoost : 1) *
            (1 + keyPhraseBoost * Math.min(phraseWords, maxKeyPhraseWords)),
        };
      })
      // Equal scores come out in curriculum order, the same way every time.
      .sort((a, b) => b.score - a.score || this.#orderOf(a.result) - this.#orderOf(b.result));
    return { hits, matchedShare: terms.filter((term) => matched.has(term)).length / terms.length };
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

/**
 * A small bilingual thesaurus: a word (or a phrase, its words as `tokenize` leaves them, joined by one space) → words
 * the lessons use for the same thing. It bridges what members type and what the lessons say: the Portuguese
 * "container" (the lessons write "contêiner"), "apagar" for `rm`, "máquina virtual" for "VM". Both locales share one
 * table (a member mixes languages); an expansion only counts where the index of that locale has the word, and it
 * weighs less than the member's own words (`expansionWeight`).
 */
const thesaurus: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    container: ['conteiner'],
    conteiner: ['container'],
    'maquina virtual': ['vm'],
    'virtual machine': ['vm'],
    apagar: ['rm', 'remover', 'remove'],
    deletar: ['rm', 'remover', 'remove'],
    excluir: ['rm', 'remover', 'remove'],
    remover: ['rm', 'remove'],
    remove: ['rm'],
    delete: ['rm', 'remove'],
    guardada: ['registry', 'armazenada'],
    guardado: ['registry', 'armazenado'],
    armazenada: ['registry'],
    stored: ['registry'],
    store: ['registry'],
    isolated: ['isolation'],
    isolado: ['isolamento'],
    isolar: ['isolamento'],
    instalar: ['instalacao', 'install'],
    install: ['installation'],
    entrar: ['exec', 'shell'],
    shell: ['exec'],
    navegador: ['porta', 'publicar'],
    browser: ['port', 'publish'],
    senha: ['segredo', 'secret'],
    password: ['secret'],
    token: ['segredo', 'secret'],
    vulnerabilidade: ['scout', 'cve'],
    vulnerability: ['scout', 'cve'],
    morre: ['log', 'exited'],
    crash: ['log', 'exited'],
    cair: ['restart'],
    reiniciar: ['restart'],
    disco: ['prune', 'espaco'],
    disk: ['prune', 'space'],
    tamanho: ['pequena', 'small'],
    size: ['small'],
    dados: ['volume'],
    data: ['volume'],
    pasta: ['bind'],
    folder: ['bind'],
    variavel: ['env'],
    variable: ['env'],
    publicar: ['push'],
    publish: ['push'],
    historico: ['history'],
    mac: ['macos'],
    root: ['user'],
  }),
);

/** How much a word from the thesaurus or a joined compound weighs against the member's own words (1). */
const expansionWeight = 0.6;

interface ExpandedQuery {
  /** The member's terms, then the added ones. */
  readonly terms: string[];
  /** Added term → its weight; the member's own terms weigh 1. */
  readonly weight: ReadonlyMap<string, number>;
  /** Added term → the member's term it came from, to count matched words (see `#rank`). */
  readonly origin: ReadonlyMap<string, string>;
}

/**
 * The member's terms plus (a) the thesaurus's words for each term or two-word phrase, and (b) compounds the lessons
 * write with hyphens whose middle the stop list would drop, rebuilt from separate words ("copy on write" →
 * `copy-on-write`), each only when the index knows it.
 */
function expandQuery(
  text: string,
  terms: readonly string[],
  locale: Locale,
  vocabulary: ReadonlySet<string>,
): ExpandedQuery {
  const all = [...terms];
  const weight = new Map<string, number>();
  const origin = new Map<string, string>();
  const add = (term: string, from: string, factor: number) => {
    if (all.includes(term) || !vocabulary.has(term)) return;
    all.push(term);
    weight.set(term, factor);
    origin.set(term, from);
  };
  const phrases = [...terms, ...terms.slice(1).map((term, i) => `${terms[i]} ${term}`)];
  for (const phrase of phrases) {
    for (const word of thesaurus.get(phrase) ?? []) add(word, phrase.split(' ')[0] as string, expansionWeight);
  }
  const words = normalize(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  for (let size = 3; size >= 2; size -= 1) {
    for (let i = 0; i + size <= words.length; i += 1) {
      const window = words.slice(i, i + size);
      // Only where the stop list dropped a word of it: `docker-compose` is already found through its two words.
      if (!window.some((word) => word.length < 2 || isStopWord(word, locale))) continue;
      const compound = window.join('-');
      const from = singular(words[i] as string, locale);
      add(compound, terms.includes(from) ? from : (terms[0] as string), 1);
    }
  }
  return { terms: all, weight, origin };
}

/**
 * What kind of question it is, from its first words: asking what a thing is ("o que é um volume", "what is a digest")
 * or how two things differ ("diferença entre imagem e contêiner", "bind mount vs volume", "são a mesma coisa?").
 */
function intentOf(text: string): 'define' | 'compare' | null {
  const plain = normalize(text);
  if (
    /\b(diferenca|diferencas|difference|differences|differ|vs|versus|compar\w*|mesma coisa|same thing)\b/.test(plain)
  ) {
    return 'compare';
  }
  if (/^\s*(o que (e|sao)|oque e|que e|what (is|are)|whats|what's)\b/.test(plain)) return 'define';
  return null;
}

/**
 * A question that asks what a thing is prefers the lesson whose title asks it too ("O que é o Docker", "What an image
 * is") when that title names one of the question's words.
 */
const definitionBoost = 2;
const definitionTitle = /\b(o que e|o que sao|what (is|are)|what an?)\b/;

/**
 * A lesson's key terms and keywords of two words or more ("camada de escrita", "vários processos no contêiner") are
 * phrases its author chose to say what it is about; a question that contains every word of one (each word typed in
 * full or as a beginning of three letters or more: "cria" for "criados") is about that lesson, whatever else its words
 * match, and the longer the phrase, the surer: each phrase typed adds `keyPhraseBoost` to the score's multiplier for
 * every word beyond its first (`maxKeyPhraseWords` such words in all), so "docker compose up" outranks "docker
 * compose" for a member who typed the first. A phrase that three lessons or more list says nothing about any one of
 * them and is left out (see `buildIndex`).
 */
const keyPhraseBoost = 0.3;
const maxKeyPhraseWords = 3;
const maxLessonsPerKeyPhrase = 2;
/** A term that is a joined name (`docker-compose`, `compose.yaml`) rather than one word or a flag. */
const joinedName = /[\p{L}\p{N}][-_./:@][\p{L}\p{N}]/u;

function keyPhraseWords(phrases: readonly (readonly string[])[] | undefined, queryTerms: readonly string[]): number {
  if (!phrases) return 0;
  const typed = (word: string) =>
    queryTerms.some((term) => term === word || (term.length >= 3 && word.startsWith(term)));
  return phrases.filter((phrase) => phrase.every(typed)).reduce((sum, phrase) => sum + phrase.length - 1, 0);
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
  /** Ids of the lessons whose title asks what something is (see `definitionBoost`). */
  readonly definitions: ReadonlySet<string>;
  /** Document id → its key terms of two words or more, as terms (see `hasKeyPhrase`). */
  readonly keyPhrases: ReadonlyMap<string, readonly (readonly string[])[]>;
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
  const definitions = new Set(
    lessons.filter((lesson) => definitionTitle.test(normalize(lesson.title[locale]))).map(documentId),
  );
  const phrasesOf = new Map(
    lessons.map((lesson) => {
      // Words only: a joined name (`docker-compose`) is the same phrase as its parts ("docker compose").
      const words = (term: string) => tokenize(term, locale).filter((token) => !joinedName.test(token));
      const phrases = lesson.terms[locale].map((term) => [...new Set(words(term))].sort());
      const distinct = new Map(
        phrases.filter((phrase) => phrase.length >= 2).map((phrase) => [phrase.join(' '), phrase]),
      );
      return [documentId(lesson), distinct] as const;
    }),
  );
  const lessonsPerPhrase = new Map<string, number>();
  for (const phrases of phrasesOf.values()) {
    for (const key of phrases.keys()) lessonsPerPhrase.set(key, (lessonsPerPhrase.get(key) ?? 0) + 1);
  }
  const keyPhrases = new Map(
    [...phrasesOf].map(([id, phrases]) => [
      id,
      [...phrases]
        .filter(([key]) => (lessonsPerPhrase.get(key) ?? 0) <= maxLessonsPerKeyPhrase)
        .map(([, phrase]) => phrase),
    ]),
  );
  return { index, vocabulary, titleTerms, definitions, keyPhrases };
}

function documentId(lesson: Lesson): string {
  return `${lesson.trackId}/${lesson.id}`;
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return defaultLimit;
  return Math.min(defaultLimit, Math.max(1, Math.floor(limit)));
}
