import { defineMessages } from '../define.ts';

/** The terminal chat's own controls (`/tick`, `/as`, …) and how it labels where a message appears. */
export const terminal = defineMessages(
  {
    'terminal.welcome':
      'Trilha no terminal: você está em #{channel} como {name}. Digite `ajuda` para os comandos do Trilha e `/help` para os controles do terminal.',
    'terminal.help.headline': 'Controles do terminal',
    'terminal.help.body': [
      '- `ajuda`: os comandos do Trilha (com ou sem `/trilha` na frente: `hoje`, `/trilha ranking`)',
      '- um número `N` ou `/click N`: clica no botão [N] (qualquer botão já mostrado)',
      '- `/tick 1d`: avança o relógio e roda o agendador no caminho (unidades m, h, d, w: `/tick 90m`, `/tick 1w`)',
      '- `/now`: mostra a hora do relógio',
      '- `/as NOME`: age como outro membro (criado no primeiro uso); `/as NOME admin` dá permissão de admin',
      '- `/who`: mostra quem você é e os membros desta sessão',
      '- `/quit` ou `/sair`: encerra',
    ].join('\n'),
    'terminal.help.clock': 'O relógio só anda com `/tick`; antes de cada comando o agendador roda na hora do relógio.',
    'terminal.now': 'Agora: {time}',
    'terminal.tick.done': 'O relógio avançou {amount}. Agora: {time}',
    'terminal.tick.bad':
      'Não entendi “{typed}”. Use um número seguido de m (minutos), h (horas), d (dias) ou w (semanas), como `/tick 90m`, `/tick 1d` ou `/tick 1w`.',
    'terminal.tick.too_far': 'Dá para avançar no máximo {max} semanas de uma vez.',
    'terminal.unit.m': '{count, plural, one {# minuto} other {# minutos}}',
    'terminal.unit.h': '{count, plural, one {# hora} other {# horas}}',
    'terminal.unit.d': '{count, plural, one {# dia} other {# dias}}',
    'terminal.unit.w': '{count, plural, one {# semana} other {# semanas}}',
    'terminal.as.missing': 'Diga quem: `/as NOME` ou `/as NOME admin`.',
    'terminal.as.bad_name': 'Use um nome de 1 a 40 caracteres.',
    'terminal.as.now': 'Agora você é {name}{admin, select, yes { (admin)} other {}}.',
    'terminal.who': 'Você é {name}{admin, select, yes { (admin)} other {}}, em #{channel}. Nesta sessão: {members}.',
    'terminal.click.missing': 'Diga qual botão: `/click N`.',
    'terminal.click.none': 'Não há botão [{number}]: nenhum botão foi mostrado ainda.',
    'terminal.click.unknown': 'Não há botão [{number}]: os botões mostrados vão de [1] a [{last}].',
    'terminal.unknown_control':
      'Não conheço o controle “{name}”. Digite `/help` para ver os controles do terminal ou `ajuda` para os comandos do Trilha.',
    'terminal.post.channel': '#{channel} · {time}',
    'terminal.post.thread': '#{channel} · na conversa de “{title}” · {time}',
    'terminal.post.direct': '✉ Mensagem direta para {name} · {time}',
    'terminal.file': '📎 {name} ({size}) salvo em {path}',
    'terminal.reply.channel': '#{channel}',
    'terminal.reply.thread': '#{channel} · na conversa de “{title}”',
    'terminal.scheduler_failed': 'O agendador falhou agora (veja o log); os comandos continuam funcionando.',
    'terminal.failed': 'Algo deu errado ao processar esta linha (veja o log); nada mais foi afetado.',
    'terminal.bye': 'Até a próxima!',
    'terminal.args.bad_now':
      '--now espera um instante ISO 8601 com fuso, como 2026-12-01T09:00:00-03:00 ou 2026-12-01T12:00:00Z.',
    'terminal.args.missing_value': '{option} precisa de um valor.',
    'terminal.args.unknown': 'Opção desconhecida: {option}. Use --script ARQUIVO, --now INSTANTE e --workspace NOME.',
    'terminal.args.no_script': 'Não consegui ler o roteiro {file}.',
    'terminal.args.bad_workspace':
      '--workspace espera um nome curto, de 1 a 32 letras sem acento, números e hífens no meio, como equipe-b (recebi “{name}”).',
    'terminal.workspace':
      'Espaço de trabalho: {name}. Outra sessão no mesmo banco com outro `--workspace` é outra equipe; para juntar suas contas das duas, use `vincular` numa e `vincular CÓDIGO` na outra.',
  },
  {
    'terminal.welcome':
      'Trilha in the terminal: you are in #{channel} as {name}. Type `help` for the Trilha commands and `/help` for the terminal controls.',
    'terminal.help.headline': 'Terminal controls',
    'terminal.help.body': [
      '- `help`: the Trilha commands (with or without `/trilha` in front: `today`, `/trilha leaderboard`)',
      '- a number `N` or `/click N`: clicks button [N] (any button shown so far)',
      '- `/tick 1d`: moves the clock and runs the scheduler on the way (units m, h, d, w: `/tick 90m`, `/tick 1w`)',
      '- `/now`: shows the clock',
      '- `/as NAME`: acts as another member (created on first use); `/as NAME admin` makes them an admin',
      '- `/who`: shows who you are and the members of this session',
      '- `/quit` or `/sair`: ends the session',
    ].join('\n'),
    'terminal.help.clock':
      'The clock only moves with `/tick`; before each command the scheduler runs at the clock time.',
    'terminal.now': 'Now: {time}',
    'terminal.tick.done': 'The clock moved {amount}. Now: {time}',
    'terminal.tick.bad':
      'I did not understand “{typed}”. Use a number followed by m (minutes), h (hours), d (days) or w (weeks), like `/tick 90m`, `/tick 1d` or `/tick 1w`.',
    'terminal.tick.too_far': 'The clock moves at most {max} weeks at a time.',
    'terminal.unit.m': '{count, plural, one {# minute} other {# minutes}}',
    'terminal.unit.h': '{count, plural, one {# hour} other {# hours}}',
    'terminal.unit.d': '{count, plural, one {# day} other {# days}}',
    'terminal.unit.w': '{count, plural, one {# week} other {# weeks}}',
    'terminal.as.missing': 'Say who: `/as NAME` or `/as NAME admin`.',
    'terminal.as.bad_name': 'Use a name of 1 to 40 characters.',
    'terminal.as.now': 'You are now {name}{admin, select, yes { (admin)} other {}}.',
    'terminal.who':
      'You are {name}{admin, select, yes { (admin)} other {}}, in #{channel}. In this session: {members}.',
    'terminal.click.missing': 'Say which button: `/click N`.',
    'terminal.click.none': 'There is no button [{number}]: no button was shown yet.',
    'terminal.click.unknown': 'There is no button [{number}]: the buttons shown go from [1] to [{last}].',
    'terminal.unknown_control':
      'I do not know the control “{name}”. Type `/help` for the terminal controls or `help` for the Trilha commands.',
    'terminal.post.channel': '#{channel} · {time}',
    'terminal.post.thread': '#{channel} · in the thread of “{title}” · {time}',
    'terminal.post.direct': '✉ Direct message to {name} · {time}',
    'terminal.file': '📎 {name} ({size}) saved to {path}',
    'terminal.reply.channel': '#{channel}',
    'terminal.reply.thread': '#{channel} · in the thread of “{title}”',
    'terminal.scheduler_failed': 'The scheduler failed just now (see the log); commands keep working.',
    'terminal.failed': 'Something went wrong with this line (see the log); nothing else was affected.',
    'terminal.bye': 'See you!',
    'terminal.args.bad_now':
      '--now expects an ISO 8601 instant with an offset, like 2026-12-01T09:00:00-03:00 or 2026-12-01T12:00:00Z.',
    'terminal.args.missing_value': '{option} needs a value.',
    'terminal.args.unknown': 'Unknown option: {option}. Use --script FILE, --now INSTANT and --workspace NAME.',
    'terminal.args.no_script': 'Cannot read the script {file}.',
    'terminal.args.bad_workspace':
      '--workspace expects a short name, 1 to 32 unaccented letters, digits and inner hyphens, like team-b (got “{name}”).',
    'terminal.workspace':
      'Workspace: {name}. Another session on the same database with another `--workspace` is another team; to join your accounts of both, type `link` in one and `link CODE` in the other.',
  },
);
