/**
 * The Docker CLI as the command exercises need it: each command's canonical path (`container ls`), the other names
 * Docker accepts for it (`ps`, `container list`), what it does (for feedback: "this removes images, not
 * containers"), and its flags with their short form and whether they take a value.
 *
 * Small and hand-written on purpose: it covers the commands the exercises use (and their neighbours, so a wrong answer
 * is named rather than called unknown), read from `docker <command> --help` and docs.docker.com/reference/cli/docker/.
 * It is not the full CLI table of issue 20 §4 (generated from the CLI's help for `content:check`); an exercise whose
 * accepted command uses something missing here fails `content:check`, so the table grows with the exercises.
 *
 * Flag notation: `'a|all'` is `-a`/`--all` (a switch); a trailing `=` takes a value (`'f|filter='`); no short form
 * is just the long name (`'rm'`, `'name='`).
 */
import type { Localized } from './locale.ts';

export type DockerObject =
  | 'container'
  | 'image'
  | 'volume'
  | 'network'
  | 'build-cache'
  | 'system'
  | 'registry'
  | 'service'
  | 'project';

export interface FlagSpec {
  /** Long name without dashes: `all`. */
  readonly long: string;
  readonly short?: string;
  readonly takesValue: boolean;
}

export interface CommandSpec {
  /** Canonical words after `docker`: `container ls`, `compose up`. */
  readonly path: string;
  /** Other word sequences Docker accepts for the same command: `ps`, `container list`. */
  readonly aliases: readonly string[];
  readonly object: DockerObject;
  readonly does: Localized;
  readonly flags: readonly FlagSpec[];
  /**
   * After this many positional words, everything is the argument of what runs (`docker run IMAGE [COMMAND] [ARG…]`,
   * `docker exec CONTAINER COMMAND…`): flags there belong to the command inside, not to Docker.
   */
  readonly flagsEndAfter?: number;
}

export const objectNames: Record<DockerObject, Localized> = {
  container: { 'pt-BR': 'contêineres', en: 'containers' },
  image: { 'pt-BR': 'imagens', en: 'images' },
  volume: { 'pt-BR': 'volumes', en: 'volumes' },
  network: { 'pt-BR': 'redes', en: 'networks' },
  'build-cache': { 'pt-BR': 'o cache de build', en: 'the build cache' },
  system: { 'pt-BR': 'o Docker como um todo', en: 'Docker as a whole' },
  registry: { 'pt-BR': 'o registry', en: 'the registry' },
  service: { 'pt-BR': 'serviços do Compose', en: 'Compose services' },
  project: { 'pt-BR': 'o projeto', en: 'the project' },
};

/** Flags of `docker` itself, before the command (`docker --context prod ps`). */
export const dockerGlobalFlags = flags('c|context=', 'H|host=', 'D|debug', 'l|log-level=', 'config=');
/** Flags of `docker compose` before its subcommand (`docker compose -f compose.prod.yaml --profile debug up`). */
export const composeGlobalFlags = flags(
  'f|file=',
  'p|project-name=',
  'profile=',
  'env-file=',
  'project-directory=',
  'progress=',
  'parallel=',
  'all-resources',
  'dry-run',
);

const runFlags = flags(
  'd|detach',
  'i|interactive',
  't|tty',
  'rm',
  'name=',
  'p|publish=',
  'P|publish-all',
  'v|volume=',
  'mount=',
  'e|env=',
  'env-file=',
  'u|user=',
  'w|workdir=',
  'network=',
  'm|memory=',
  'memory-swap=',
  'cpus=',
  'pids-limit=',
  'read-only',
  'tmpfs=',
  'init',
  'entrypoint=',
  'restart=',
  'platform=',
  'pull=',
  'cap-add=',
  'cap-drop=',
  'security-opt=',
  'privileged',
  'log-driver=',
  'log-opt=',
  'l|label=',
  'h|hostname=',
  'stop-timeout=',
  'health-cmd=',
  'add-host=',
  'q|quiet',
);

const pathOnly = (pt: string, en: string): Localized => ({ 'pt-BR': pt, en });

export const commandTable: readonly CommandSpec[] = [
  // Containers
  {
    path: 'container ls',
    aliases: ['ps', 'container ps', 'container list'],
    object: 'container',
    does: pathOnly('lista contêineres', 'lists containers'),
    flags: flags('a|all', 'q|quiet', 'f|filter=', 's|size', 'l|latest', 'n|last=', 'no-trunc', 'format='),
  },
  {
    path: 'container rm',
    aliases: ['rm', 'container remove'],
    object: 'container',
    does: pathOnly('remove contêineres que você nomeia', 'removes the containers you name'),
    flags: flags('f|force', 'v|volumes', 'l|link'),
  },
  {
    path: 'container prune',
    aliases: [],
    object: 'container',
    does: pathOnly('remove todos os contêineres parados', 'removes every stopped container'),
    flags: flags('f|force', 'filter='),
  },
  {
    path: 'container run',
    aliases: ['run'],
    object: 'container',
    does: pathOnly('cria e inicia um contêiner', 'creates and starts a container'),
    flags: runFlags,
    flagsEndAfter: 1,
  },
  {
    path: 'container create',
    aliases: ['create'],
    object: 'container',
    does: pathOnly('cria um contêiner sem iniciá-lo', 'creates a container without starting it'),
    flags: runFlags.filter((flag) => flag.long !== 'detach' && flag.long !== 'rm'),
    flagsEndAfter: 1,
  },
  {
    path: 'container exec',
    aliases: ['exec'],
    object: 'container',
    does: pathOnly('roda um comando num contêiner em execução', 'runs a command in a running container'),
    flags: flags('d|detach', 'i|interactive', 't|tty', 'u|user=', 'w|workdir=', 'e|env=', 'env-file=', 'privileged'),
    flagsEndAfter: 1,
  },
  {
    path: 'container start',
    aliases: ['start'],
    object: 'container',
    does: pathOnly('inicia contêineres parados', 'starts stopped containers'),
    flags: flags('a|attach', 'i|interactive'),
  },
  {
    path: 'container stop',
    aliases: ['stop'],
    object: 'container',
    does: pathOnly('para contêineres (SIGTERM, depois SIGKILL)', 'stops containers (SIGTERM, then SIGKILL)'),
    flags: flags('t|timeout=', 's|signal='),
  },
  {
    path: 'container restart',
    aliases: ['restart'],
    object: 'container',
    does: pathOnly('reinicia contêineres', 'restarts containers'),
    flags: flags('t|timeout=', 's|signal='),
  },
  {
    path: 'container kill',
    aliases: ['kill'],
    object: 'container',
    does: pathOnly('manda um sinal (SIGKILL) a contêineres', 'sends a signal (SIGKILL) to containers'),
    flags: flags('s|signal='),
  },
  {
    path: 'container logs',
    aliases: ['logs'],
    object: 'container',
    does: pathOnly('mostra os logs de um contêiner', "shows a container's logs"),
    flags: flags('f|follow', 'n|tail=', 't|timestamps', 'since=', 'until=', 'details'),
  },
  {
    path: 'container inspect',
    aliases: [],
    object: 'container',
    does: pathOnly('mostra os detalhes de contêineres', 'shows details of containers'),
    flags: flags('f|format=', 's|size'),
  },
  {
    path: 'container stats',
    aliases: ['stats'],
    object: 'container',
    does: pathOnly('mostra uso de CPU e memória', 'shows CPU and memory use'),
    flags: flags('a|all', 'no-stream', 'no-trunc', 'format='),
  },
  {
    path: 'container top',
    aliases: ['top'],
    object: 'container',
    does: pathOnly('lista os processos de um contêiner', "lists a container's processes"),
    flags: [],
  },
  {
    path: 'container diff',
    aliases: ['diff'],
    object: 'container',
    does: pathOnly('mostra o que mudou na camada gravável', 'shows what changed in the writable layer'),
    flags: [],
  },
  {
    path: 'container cp',
    aliases: ['cp'],
    object: 'container',
    does: pathOnly('copia arquivos entre contêiner e host', 'copies files between a container and the host'),
    flags: flags('a|archive', 'L|follow-link', 'q|quiet'),
  },
  {
    path: 'container port',
    aliases: ['port'],
    object: 'container',
    does: pathOnly('lista as portas publicadas', 'lists the published ports'),
    flags: [],
  },
  {
    path: 'inspect',
    aliases: [],
    object: 'system',
    does: pathOnly('mostra os detalhes de qualquer objeto', 'shows details of any object'),
    flags: flags('f|format=', 's|size', 'type='),
  },
  // Images
  {
    path: 'image ls',
    aliases: ['images', 'image list'],
    object: 'image',
    does: pathOnly('lista imagens', 'lists images'),
    flags: flags('a|all', 'q|quiet', 'f|filter=', 'digests', 'no-trunc', 'format=', 'tree'),
  },
  {
    path: 'image rm',
    aliases: ['rmi', 'image remove'],
    object: 'image',
    does: pathOnly('remove as imagens que você nomeia', 'removes the images you name'),
    flags: flags('f|force', 'no-prune', 'platform='),
  },
  {
    path: 'image prune',
    aliases: [],
    object: 'image',
    does: pathOnly('remove imagens sem uso', 'removes unused images'),
    flags: flags('a|all', 'f|force', 'filter='),
  },
  {
    path: 'image pull',
    aliases: ['pull'],
    object: 'image',
    does: pathOnly('baixa uma imagem de um registry', 'downloads an image from a registry'),
    flags: flags('a|all-tags', 'platform=', 'q|quiet'),
  },
  {
    path: 'image push',
    aliases: ['push'],
    object: 'image',
    does: pathOnly('envia uma imagem a um registry', 'uploads an image to a registry'),
    flags: flags('a|all-tags', 'platform=', 'q|quiet'),
  },
  {
    path: 'image tag',
    aliases: ['tag'],
    object: 'image',
    does: pathOnly('dá outro nome (tag) a uma imagem', 'gives an image another name (tag)'),
    flags: [],
  },
  {
    path: 'image history',
    aliases: ['history'],
    object: 'image',
    does: pathOnly('lista as camadas de uma imagem', "lists an image's layers"),
    flags: flags('H|human', 'no-trunc', 'q|quiet', 'format='),
  },
  {
    path: 'image inspect',
    aliases: [],
    object: 'image',
    does: pathOnly('mostra os detalhes de imagens', 'shows details of images'),
    flags: flags('f|format='),
  },
  {
    path: 'image save',
    aliases: ['save'],
    object: 'image',
    does: pathOnly('grava imagens num arquivo tar', 'writes images to a tar archive'),
    flags: flags('o|output=', 'platform='),
  },
  {
    path: 'image load',
    aliases: ['load'],
    object: 'image',
    does: pathOnly('carrega imagens de um arquivo tar', 'loads images from a tar archive'),
    flags: flags('i|input=', 'q|quiet', 'platform='),
  },
  {
    path: 'buildx build',
    aliases: ['build', 'image build', 'builder build'],
    object: 'image',
    does: pathOnly('constrói uma imagem a partir de um Dockerfile', 'builds an image from a Dockerfile'),
    flags: flags(
      't|tag=',
      'f|file=',
      'build-arg=',
      'no-cache',
      'pull',
      'target=',
      'platform=',
      'progress=',
      'q|quiet',
      'push',
      'load',
      'secret=',
      'ssh=',
      'label=',
      'network=',
      'o|output=',
      'cache-from=',
      'cache-to=',
      'sbom=',
      'provenance=',
      'check',
    ),
  },
  {
    path: 'builder prune',
    aliases: [],
    object: 'build-cache',
    does: pathOnly('remove o cache de build', 'removes build cache'),
    flags: flags('a|all', 'f|force', 'filter=', 'keep-storage=', 'max-used-space=', 'reserved-space='),
  },
  // Volumes
  {
    path: 'volume create',
    aliases: [],
    object: 'volume',
    does: pathOnly('cria um volume', 'creates a volume'),
    flags: flags('d|driver=', 'label=', 'o|opt='),
  },
  {
    path: 'volume ls',
    aliases: ['volume list'],
    object: 'volume',
    does: pathOnly('lista volumes', 'lists volumes'),
    flags: flags('q|quiet', 'f|filter=', 'format='),
  },
  {
    path: 'volume rm',
    aliases: ['volume remove'],
    object: 'volume',
    does: pathOnly('remove os volumes que você nomeia', 'removes the volumes you name'),
    flags: flags('f|force'),
  },
  {
    path: 'volume prune',
    aliases: [],
    object: 'volume',
    does: pathOnly('remove volumes sem uso', 'removes unused volumes'),
    flags: flags('a|all', 'f|force', 'filter='),
  },
  {
    path: 'volume inspect',
    aliases: [],
    object: 'volume',
    does: pathOnly('mostra os detalhes de volumes', 'shows details of volumes'),
    flags: flags('f|format='),
  },
  // Networks
  {
    path: 'network create',
    aliases: [],
    object: 'network',
    does: pathOnly('cria uma rede', 'creates a network'),
    flags: flags('d|driver=', 'subnet=', 'gateway=', 'internal', 'attachable', 'label='),
  },
  {
    path: 'network ls',
    aliases: ['network list'],
    object: 'network',
    does: pathOnly('lista redes', 'lists networks'),
    flags: flags('q|quiet', 'f|filter=', 'format=', 'no-trunc'),
  },
  {
    path: 'network rm',
    aliases: ['network remove'],
    object: 'network',
    does: pathOnly('remove as redes que você nomeia', 'removes the networks you name'),
    flags: flags('f|force'),
  },
  {
    path: 'network connect',
    aliases: [],
    object: 'network',
    does: pathOnly('liga um contêiner a uma rede', 'connects a container to a network'),
    flags: flags('alias=', 'ip='),
  },
  {
    path: 'network prune',
    aliases: [],
    object: 'network',
    does: pathOnly('remove redes sem uso', 'removes unused networks'),
    flags: flags('f|force', 'filter='),
  },
  {
    path: 'network inspect',
    aliases: [],
    object: 'network',
    does: pathOnly('mostra os detalhes de redes', 'shows details of networks'),
    flags: flags('f|format=', 'v|verbose'),
  },
  // System
  {
    path: 'system df',
    aliases: [],
    object: 'system',
    does: pathOnly('mostra o espaço em disco usado pelo Docker', "shows Docker's disk use"),
    flags: flags('v|verbose', 'format='),
  },
  {
    path: 'system prune',
    aliases: [],
    object: 'system',
    does: pathOnly(
      'remove contêineres parados, redes, imagens e cache sem uso',
      'removes stopped containers, unused networks, images and build cache',
    ),
    flags: flags('a|all', 'volumes', 'f|force', 'filter='),
  },
  {
    path: 'system info',
    aliases: ['info'],
    object: 'system',
    does: pathOnly('mostra informações do daemon', 'shows information about the daemon'),
    flags: flags('f|format='),
  },
  {
    path: 'version',
    aliases: [],
    object: 'system',
    does: pathOnly('mostra as versões do cliente e do servidor', 'shows the client and server versions'),
    flags: flags('f|format='),
  },
  {
    path: 'init',
    aliases: [],
    object: 'project',
    does: pathOnly(
      'gera Dockerfile, compose.yaml e .dockerignore',
      'generates a Dockerfile, compose.yaml and .dockerignore',
    ),
    flags: [],
  },
  {
    path: 'login',
    aliases: [],
    object: 'registry',
    does: pathOnly('entra num registry', 'logs in to a registry'),
    flags: flags('u|username=', 'p|password=', 'password-stdin'),
  },
  {
    path: 'logout',
    aliases: [],
    object: 'registry',
    does: pathOnly('sai de um registry', 'logs out of a registry'),
    flags: [],
  },
  // Compose
  {
    path: 'compose up',
    aliases: [],
    object: 'service',
    does: pathOnly('cria e inicia os serviços', 'creates and starts the services'),
    flags: flags(
      'd|detach',
      'build',
      'no-build',
      'force-recreate',
      'no-deps',
      'remove-orphans',
      'wait',
      'w|watch',
      'scale=',
      'pull=',
      'abort-on-container-exit',
    ),
  },
  {
    path: 'compose down',
    aliases: [],
    object: 'service',
    does: pathOnly(
      'para e remove os contêineres e redes do projeto',
      "stops and removes the project's containers and networks",
    ),
    flags: flags('v|volumes', 'remove-orphans', 'rmi=', 't|timeout='),
  },
  {
    path: 'compose logs',
    aliases: [],
    object: 'service',
    does: pathOnly('mostra os logs dos serviços', "shows the services' logs"),
    flags: flags('f|follow', 'n|tail=', 't|timestamps', 'no-color', 'since=', 'until='),
  },
  {
    path: 'compose ps',
    aliases: [],
    object: 'service',
    does: pathOnly('lista os contêineres do projeto', "lists the project's containers"),
    flags: flags('a|all', 'q|quiet', 'services', 'format=', 'status='),
  },
  {
    path: 'compose exec',
    aliases: [],
    object: 'service',
    does: pathOnly('roda um comando num serviço em execução', 'runs a command in a running service'),
    flags: flags('d|detach', 'u|user=', 'w|workdir=', 'e|env=', 'T|no-TTY', 'index=', 'privileged'),
    flagsEndAfter: 1,
  },
  {
    path: 'compose run',
    aliases: [],
    object: 'service',
    does: pathOnly(
      'roda um comando avulso num novo contêiner do serviço',
      'runs a one-off command in a new service container',
    ),
    flags: flags(
      'd|detach',
      'rm',
      'name=',
      'e|env=',
      'u|user=',
      'w|workdir=',
      'p|publish=',
      'v|volume=',
      'service-ports',
      'no-deps',
      'entrypoint=',
      'build',
      'T|no-TTY',
    ),
    flagsEndAfter: 1,
  },
  {
    path: 'compose build',
    aliases: [],
    object: 'service',
    does: pathOnly('constrói as imagens dos serviços', "builds the services' images"),
    flags: flags('no-cache', 'pull', 'push', 'q|quiet', 'build-arg='),
  },
  {
    path: 'compose stop',
    aliases: [],
    object: 'service',
    does: pathOnly('para os serviços sem removê-los', 'stops the services without removing them'),
    flags: flags('t|timeout='),
  },
  {
    path: 'compose restart',
    aliases: [],
    object: 'service',
    does: pathOnly('reinicia os serviços', 'restarts the services'),
    flags: flags('t|timeout=', 'no-deps'),
  },
  {
    path: 'compose pull',
    aliases: [],
    object: 'service',
    does: pathOnly('baixa as imagens dos serviços', "pulls the services' images"),
    flags: flags('q|quiet', 'ignore-pull-failures', 'include-deps'),
  },
  {
    path: 'compose watch',
    aliases: [],
    object: 'service',
    does: pathOnly(
      'reconstrói ou sincroniza os serviços quando os arquivos mudam',
      'rebuilds or syncs services when files change',
    ),
    flags: flags('no-up', 'prune', 'quiet'),
  },
  {
    path: 'compose config',
    aliases: [],
    object: 'project',
    does: pathOnly(
      'mostra o modelo final do projeto (arquivos mesclados)',
      "shows the project's final model (files merged)",
    ),
    flags: flags('q|quiet', 'services', 'volumes', 'profiles', 'format=', 'o|output='),
  },
];

/** `flags('a|all', 'f|filter=')`: the specs in the notation above. */
function flags(...specs: string[]): FlagSpec[] {
  const seen = new Map<string, FlagSpec>();
  for (const spec of specs) {
    const takesValue = spec.endsWith('=');
    const body = takesValue ? spec.slice(0, -1) : spec;
    const [first, second] = body.split('|');
    const flag: FlagSpec =
      second === undefined ? { long: first as string, takesValue } : { short: first, long: second, takesValue };
    seen.set(flag.long, flag);
  }
  return [...seen.values()];
}

/** Every word sequence that names a command (canonical or alias) → its spec; built once. */
export const commandsByWords: ReadonlyMap<string, CommandSpec> = new Map(
  commandTable.flatMap((spec) => [spec.path, ...spec.aliases].map((words) => [words, spec] as const)),
);

/** Whether `words` starts a longer command name (`container` of `container ls`): a group, not a command. */
export const commandGroups: ReadonlySet<string> = new Set(
  [...commandsByWords.keys()].flatMap((words) => {
    const parts = words.split(' ');
    return parts.slice(1).map((_, index) => parts.slice(0, index + 1).join(' '));
  }),
);
