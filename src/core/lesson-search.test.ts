// The search is tested against the real content, read from disk by the content loader; the code under test stays pure.
// biome-ignore lint/style/noRestrictedImports: a test may read files; src/core/lesson-search.ts does not.
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
// biome-ignore lint/style/noRestrictedImports: a test may load the real tracks; src/core/lesson-search.ts does not.
import { loadTracks } from '../content/load-tracks.ts';
import { Curriculum, type Track } from './curriculum.ts';
import { type LessonHit, LessonSearch, type LessonSearchResult, singular, tokenize } from './lesson-search.ts';

const root = join(import.meta.dirname, '..', '..');

function load(dir: string): Track[] {
  const { tracks, problems } = loadTracks(dir, root);
  expect(problems).toEqual([]);
  return tracks;
}

const ids = (result: LessonSearchResult): string[] =>
  [result.best, ...result.others].filter((hit): hit is LessonHit => hit !== null).map((hit) => hit.lessonId);

describe('LessonSearch on the real Docker track', () => {
  let docker: Track;
  let search: LessonSearch;
  beforeAll(() => {
    docker = load(join(root, 'content')).find((track) => track.id === 'docker') as Track;
    search = new LessonSearch(new Curriculum([docker]));
  });

  describe('what a member asks', () => {
    it('GIVEN "o que é uma imagem" THEN the lesson "O que é uma imagem" is the answer, with its pt-BR title', () => {
      const result = search.search('o que é uma imagem', 'pt-BR');
      expect(result.best).toMatchObject({
        trackId: 'docker',
        lessonId: 'what-is-an-image',
        title: 'O que é uma imagem',
      });
      expect(result.others).toHaveLength(2);
    });

    it('GIVEN "what is an image" in English THEN the same lesson, with its English title', () => {
      expect(search.search('what is an image', 'en').best).toMatchObject({
        lessonId: 'what-is-an-image',
        title: 'What an image is',
      });
    });

    it('GIVEN "conteiner compartilha kernel" typed without the accent THEN the shared-kernel lesson', () => {
      expect(search.search('conteiner compartilha kernel', 'pt-BR').best?.lessonId).toBe('shared-kernel');
    });

    it('GIVEN the same question in capitals and with accents THEN exactly the same answer', () => {
      expect(search.search('CONTÊINER compartilha Kernel', 'pt-BR')).toEqual(
        search.search('conteiner compartilha kernel', 'pt-BR'),
      );
      expect(search.search('IMAGEM', 'pt-BR')).toEqual(search.search('imagem', 'pt-BR'));
    });

    it('GIVEN "how do I keep data when the container is removed" THEN volumes is the answer and the writable layer is among the top 3', () => {
      const result = search.search('how do I keep data when the container is removed', 'en');
      expect(result.best?.lessonId).toBe('volumes');
      expect(ids(result)).toContain('writable-layer');
    });

    it('GIVEN the same question in Portuguese THEN volumes too', () => {
      expect(search.search('como guardar dados quando o contêiner é removido', 'pt-BR').best?.lessonId).toBe('volumes');
    });

    it.each([
      ['docker-compose', 'pt-BR', 'compose-intro'],
      ['docker compose', 'pt-BR', 'compose-intro'],
      ['compose.yaml', 'en', 'compose-services'],
      ['docker compose up', 'en', 'compose-workflow'],
    ] as const)('GIVEN "%s" (%s) THEN a Compose lesson, %s first', (query, locale, lessonId) => {
      const result = search.search(query, locale);
      expect(result.best?.lessonId).toBe(lessonId);
      // Lessons of the Compose unit, and nothing else, fill the three places.
      const compose = docker.units.find((unit) => unit.id === 'compose')?.lessonIds ?? [];
      expect(ids(result)).toHaveLength(3);
      for (const id of ids(result)) expect(compose).toContain(id);
    });

    it('GIVEN "AUFS" THEN storage-drivers, the one lesson that names it', () => {
      const result = search.search('AUFS', 'en');
      expect(result.best?.lessonId).toBe('storage-drivers');
      expect(result.others).toEqual([]);
    });

    it('GIVEN the typo "volumns" THEN volumes', () => {
      expect(search.search('volumns', 'en').best?.lessonId).toBe('volumes');
    });

    it('GIVEN "porta" or "publish port" THEN published-ports', () => {
      expect(search.search('porta', 'pt-BR').best?.lessonId).toBe('published-ports');
      expect(search.search('publish port', 'en').best?.lessonId).toBe('published-ports');
    });

    it('GIVEN a flag or a path as written in a shell ("-p", "--rm", "/etc/os-release") THEN the lesson that uses it', () => {
      expect(search.search('-p', 'pt-BR').best?.lessonId).toBe('published-ports');
      expect(search.search('/etc/os-release', 'en').best?.lessonId).toBe('shared-kernel');
      expect(search.search('os-release', 'pt-BR').best?.lessonId).toBe('shared-kernel');
      expect(search.search('--rm', 'en').best?.lessonId).toBe('run-and-ps');
    });

    it('GIVEN a plural ("imagens", "volumes") THEN the same lessons as the singular', () => {
      expect(search.search('imagens', 'pt-BR')).toEqual(search.search('imagem', 'pt-BR'));
      expect(search.search('volumes', 'pt-BR').best?.lessonId).toBe('volumes');
    });
  });

  describe('ranking', () => {
    it('GIVEN two words THEN the lesson matching both outranks the lessons that match one', () => {
      // "camada" alone is about as much the writable layer as the image layers; "escrita" points at one of them.
      const layer = search.search('camada', 'pt-BR');
      expect(ids(layer).slice(0, 2).sort()).toEqual(['image-layers', 'writable-layer']);
      const both = search.search('camada escrita', 'pt-BR');
      expect(both.best?.lessonId).toBe('writable-layer');
      const oneWordBest = Math.max(layer.best?.score ?? 0, search.search('escrita', 'pt-BR').best?.score ?? 0);
      expect(both.best?.score).toBeGreaterThan(2 * oneWordBest);
    });

    it('GIVEN any search THEN hits come best first', () => {
      for (const query of ['docker', 'imagem camada', 'container network port']) {
        const scores = [search.search(query, 'en').best, ...search.search(query, 'en').others].map((hit) => hit?.score);
        expect(scores).toEqual([...scores].sort((a, b) => (b ?? 0) - (a ?? 0)));
      }
    });

    it('GIVEN the same query twice, or on a second index of the same content THEN identical results', () => {
      const queries = ['o que é uma imagem', 'docker', 'volumns', 'how do I keep data when the container is removed'];
      const again = new LessonSearch(new Curriculum([docker]));
      for (const query of queries) {
        const first = search.search(query, 'pt-BR');
        expect(search.search(query, 'pt-BR')).toEqual(first);
        expect(again.search(query, 'pt-BR')).toEqual(first);
      }
    });

    it('GIVEN a limit THEN at most that many hits, best included; never more than 3', () => {
      expect(search.search('docker', 'en', { limit: 1 }).others).toEqual([]);
      expect(search.search('docker', 'en', { limit: 2 }).others).toHaveLength(1);
      expect(search.search('docker', 'en', { limit: 10 }).others).toHaveLength(2);
      expect(search.search('docker', 'en', { limit: 0 }).best).not.toBeNull();
    });
  });

  describe('nothing to find', () => {
    it.each(['', '   ', 'o que é', 'what is the', '?!', 'xyzzy'])(
      'GIVEN %j THEN no best lesson and no others',
      (query) => {
        expect(search.search(query, 'pt-BR')).toEqual({ best: null, others: [] });
        expect(search.search(query, 'en')).toEqual({ best: null, others: [] });
      },
    );

    it('GIVEN nothing matches THEN topics to suggest are unit titles in the member language, spread over the track', () => {
      expect(search.suggestTopics('pt-BR')).toEqual([
        'Fundamentos',
        'Imagens',
        'Ciclo de vida',
        'Dados e rede',
        'Operação',
      ]);
      expect(search.suggestTopics('en', 3)).toEqual(['Fundamentals', 'Lifecycle', 'Operations']);
      expect(search.suggestTopics('en', 100)).toHaveLength(docker.units.length);
      expect(search.suggestTopics('en', 0)).toEqual([]);
    });
  });

  describe('the other language', () => {
    it('GIVEN a pt-BR member typing the English name "writable layer" THEN the lesson, with its pt-BR title', () => {
      expect(search.search('writable layer', 'pt-BR').best).toMatchObject({
        lessonId: 'writable-layer',
        title: 'A camada de escrita do contêiner',
      });
    });

    it('GIVEN an English member typing Portuguese THEN the lesson, with its English title', () => {
      expect(search.search('camada de escrita', 'en').best).toMatchObject({
        lessonId: 'writable-layer',
        title: "The container's writable layer",
      });
    });
  });

  it('GIVEN any text a member may type THEN search answers without throwing, best first, at most 3 hits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom('pt-BR' as const, 'en' as const), (query, locale) => {
        const result = search.search(query, locale);
        if (result.best === null) expect(result.others).toEqual([]);
        expect(result.others.length).toBeLessThanOrEqual(2);
        for (const other of result.others) expect(other.score).toBeLessThanOrEqual(result.best?.score ?? 0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('LessonSearch over several tracks', () => {
  let search: LessonSearch;
  beforeAll(() => {
    const tracks = [...load(join(root, 'content')), ...load(join(root, 'test', 'fixtures', 'content'))];
    search = new LessonSearch(new Curriculum(tracks));
  });

  it('GIVEN a track filter THEN only that track answers ("commit" is both a Git lesson and a Docker command)', () => {
    expect(search.search('commit', 'en', { trackId: 'git-basics' }).best).toMatchObject({
      trackId: 'git-basics',
      lessonId: 'what-is-a-commit',
    });
    const docker = search.search('commit', 'en', { trackId: 'docker' });
    expect(docker.best).not.toBeNull();
    expect([docker.best, ...docker.others].every((hit) => hit?.trackId === 'docker')).toBe(true);
  });

  it('GIVEN a track that does not exist THEN nothing matches', () => {
    expect(search.search('commit', 'en', { trackId: 'kubernetes' })).toEqual({ best: null, others: [] });
  });

  it('GIVEN several tracks THEN suggested topics come from all of them', () => {
    const topics = search.suggestTopics('pt-BR', 20);
    expect(topics).toContain('Fundamentos');
    expect(topics).toContain('Primeiros passos');
  });
});

describe('tokenize', () => {
  it('GIVEN Docker names with separators THEN the whole name and its parts', () => {
    expect(tokenize('docker-compose', 'en')).toEqual(['docker-compose', 'docker', 'compose']);
    expect(tokenize('compose.yaml', 'en')).toEqual(['compose.yaml', 'compose', 'yaml']);
    // "os" on its own is a stop word (the Portuguese article); the whole name keeps it.
    expect(tokenize('/etc/os-release', 'en')).toEqual(['etc/os-release', 'etc', 'release']);
    expect(tokenize('-p 8080:80', 'en')).toEqual(['-p', '8080:80', '8080', '80']);
  });

  it('GIVEN a flag THEN the dashes are kept on the whole flag and dropped from the part', () => {
    expect(tokenize('docker run --rm -it', 'en')).toEqual(['docker', 'run', '--rm', 'rm', '-it']);
  });

  it('GIVEN Markdown, accents, capitals and stop words THEN plain lower-case words only', () => {
    expect(tokenize('O que é uma **Imagem**? `docker build`.', 'pt-BR')).toEqual(['imagem', 'docker', 'build']);
    expect(tokenize('What is the Container?', 'en')).toEqual(['container']);
  });

  it('GIVEN plurals THEN the singular, by the rules of each language', () => {
    // Words arrive normalised (no accents): "contêineres" as "conteineres", "conexões" as "conexoes".
    expect(['imagens', 'portas', 'conteineres', 'conexoes'].map((word) => singular(word, 'pt-BR'))).toEqual([
      'imagem',
      'porta',
      'conteiner',
      'conexao',
    ]);
    expect(['volumes', 'registries', 'processes', 'ports'].map((word) => singular(word, 'en'))).toEqual([
      'volume',
      'registry',
      'process',
      'port',
    ]);
    expect(['class', 'status', 'aufs2', 'os'].map((word) => singular(word, 'en'))).toEqual([
      'class',
      'status',
      'aufs2',
      'os',
    ]);
  });
});
