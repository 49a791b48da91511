import { defineMessages } from '../define.ts';

/** Texts of the runtime itself: help, errors, button problems. */
export const common = defineMessages(
  {
    'common.help.headline': 'Trilha: aprender um pouco todo dia',
    'common.help.intro': 'Use `{root} <comando>`. Comandos:',
    'common.help.more': 'Detalhes de um comando: `{root} ajuda <comando>`',
    'common.help.usage': 'Uso: {usage}',
    'common.help.examples': 'Exemplos:',
    'common.help.aliases': 'Também: {names}',
    'common.help.admin_only': 'Só administradores do espaço de trabalho podem usar.',
    'common.unknown_command': 'Não conheço o comando “{name}”.',
    'common.bad_arguments': 'Não entendi “{typed}”.',
    'common.missing_arguments': 'Faltou dizer o quê.',
    'common.admin_only': 'Só administradores podem usar `{command}`.',
    'common.database_unavailable':
      'O banco de dados não respondeu agora e nada foi registrado. Tente de novo em alguns segundos.',
    'common.unexpected_error': 'Algo deu errado do nosso lado e nada foi registrado. O erro foi anotado no log.',
    'common.action.unknown_version':
      'Este botão é de uma versão antiga do Trilha e não vale mais. Peça de novo o conteúdo.',
    'common.action.tampered': 'Este botão chegou alterado e foi ignorado; nada mudou.',
    'common.action.malformed': 'Não reconheço este botão; nada mudou.',
    'common.only_you': 'Só você vê isto',
    'common.ask.for': 'Sobre “{question}”:',
    'common.ask.also': 'Veja também:',
    'common.ask.nothing_headline': 'Nada encontrado',
    'common.ask.nothing': 'Não achei nenhuma lição sobre “{question}”. Alguns temas da trilha:',
  },
  {
    'common.help.headline': 'Trilha: learn a little every day',
    'common.help.intro': 'Use `{root} <command>`. Commands:',
    'common.help.more': 'Details of one command: `{root} help <command>`',
    'common.help.usage': 'Usage: {usage}',
    'common.help.examples': 'Examples:',
    'common.help.aliases': 'Also: {names}',
    'common.help.admin_only': 'Only workspace admins can use it.',
    'common.unknown_command': 'I do not know the command “{name}”.',
    'common.bad_arguments': 'I did not understand “{typed}”.',
    'common.missing_arguments': 'Something is missing.',
    'common.admin_only': 'Only admins can use `{command}`.',
    'common.database_unavailable':
      'The database did not answer just now and nothing was recorded. Try again in a few seconds.',
    'common.unexpected_error': 'Something went wrong on our side and nothing was recorded. The error was logged.',
    'common.action.unknown_version':
      'This button is from an older version of Trilha and no longer works. Ask for the content again.',
    'common.action.tampered': 'This button arrived altered and was ignored; nothing changed.',
    'common.action.malformed': 'I do not recognise this button; nothing changed.',
    'common.only_you': 'Only you can see this',
    'common.ask.for': 'About “{question}”:',
    'common.ask.also': 'See also:',
    'common.ask.nothing_headline': 'Nothing found',
    'common.ask.nothing': 'I found no lesson about “{question}”. Some topics of the track:',
  },
);
