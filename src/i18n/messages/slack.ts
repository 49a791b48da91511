import { defineMessages } from '../define.ts';

/**
 * What only the Slack adapter says: how to invite the bot, what App Home shows around the member's progress, and
 * where the files of a private reply went (an ephemeral message cannot carry files; they go by direct message).
 */
export const slack = defineMessages(
  {
    'slack.not_in_channel':
      'O Trilha ainda não está neste canal. Convide-o com `/invite @trilha` e repita o comando de configuração.',
    'slack.post_failed': 'O Slack recusou a mensagem ({error}). Nada foi perdido: tente de novo em instantes.',
    'slack.home.headline': 'Seu Trilha',
    'slack.home.hint': 'Use `/trilha` em qualquer canal: `/trilha hoje`, `/trilha revisar`, `/trilha ranking`.',
    'slack.home.review': 'Começar revisão',
    'slack.home.next': 'Próxima lição',
    'slack.files.in_direct_messages':
      '{count, plural, one {📎 O arquivo {names} foi para a sua conversa direta com o Trilha (Mensagens do app).} other {📎 Os arquivos {names} foram para a sua conversa direta com o Trilha (Mensagens do app).}}',
    'slack.files.failed': '📎 Não consegui enviar {names} ({error}). Tente de novo em instantes.',
  },
  {
    'slack.not_in_channel':
      'Trilha is not in this channel yet. Invite it with `/invite @trilha` and run the setup command again.',
    'slack.post_failed': 'Slack refused the message ({error}). Nothing was lost: try again in a moment.',
    'slack.home.headline': 'Your Trilha',
    'slack.home.hint': 'Use `/trilha` in any channel: `/trilha today`, `/trilha review`, `/trilha leaderboard`.',
    'slack.home.review': 'Start a review',
    'slack.home.next': 'Next lesson',
    'slack.files.in_direct_messages':
      '{count, plural, one {📎 The file {names} went to your direct messages with Trilha (the app’s Messages tab).} other {📎 The files {names} went to your direct messages with Trilha (the app’s Messages tab).}}',
    'slack.files.failed': '📎 Could not send {names} ({error}). Try again in a moment.',
  },
);
