import { defineMessages } from '../define.ts';

/** Answers of the application's protections (docs/security.md): rate limits, deleted members, a database refusing writes. */
export const security = defineMessages(
  {
    'security.rate.commands':
      'Calma: foram {max} comandos no último minuto, o limite por pessoa. Tente de novo em {seconds, plural, one {# segundo} other {# segundos}}; nada foi feito agora.',
    'security.link.locked':
      'Muitos códigos errados: {max} em 10 minutos. Para proteger as contas de quem está tentando vincular, espere até {until} (cerca de {minutes, plural, one {# minuto} other {# minutos}}) antes de tentar outro código; este não foi conferido.',
    'security.link.left':
      '{left, plural, =0 {Mais um código errado e você terá de esperar alguns minutos.} one {Resta # tentativa antes de uma pausa.} other {Restam # tentativas antes de uma pausa.}}',
    'security.link.code_used':
      'Seu código de vínculo foi usado agora por uma conta do {platform} ({workspace}): ela passa a compartilhar seu progresso. Se não foi você, digite `/trilha vincular` para ver suas contas e avise um administrador.',
    'security.deleted.click':
      'Seus dados foram apagados e este botão é de antes disso, então nada foi registrado. Para usar o Trilha de novo, como uma pessoa nova, digite um comando, por exemplo `/trilha hoje`.',
    'security.drop.unavailable':
      '⚠️ A lição de hoje não pôde ser registrada: o banco de dados do Trilha {reason, select, full {está sem espaço em disco} readonly {está só para leitura} other {não está respondendo}}. Nada foi postado. Administradores: vejam o log do Trilha; ele tenta de novo sozinho.',
  },
  {
    'security.rate.commands':
      'Easy: that was {max} commands in the last minute, the limit per person. Try again in {seconds, plural, one {# second} other {# seconds}}; nothing was done just now.',
    'security.link.locked':
      'Too many wrong codes: {max} in 10 minutes. To protect the accounts of people linking, wait until {until} (about {minutes, plural, one {# minute} other {# minutes}}) before trying another code; this one was not checked.',
    'security.link.left':
      '{left, plural, =0 {One more wrong code and you will have to wait a few minutes.} one {# try left before a pause.} other {# tries left before a pause.}}',
    'security.link.code_used':
      'Your link code was just used by a {platform} account ({workspace}): it now shares your progress. If that was not you, type `/trilha link` to see your accounts and tell an admin.',
    'security.deleted.click':
      'Your data was deleted and this button is from before that, so nothing was recorded. To use Trilha again, as a new person, type a command, for example `/trilha today`.',
    'security.drop.unavailable':
      '⚠️ Today’s lesson could not be recorded: Trilha’s database {reason, select, full {is out of disk space} readonly {is read-only} other {is not answering}}. Nothing was posted. Admins: see Trilha’s log; it tries again by itself.',
  },
);
