import { defineMessages } from '../define.ts';

/**
 * "Type the command" exercises (docs/content-format.md, "Command exercises"): the button, the text input of each
 * platform (Slack's modal title is at most 24 characters, Discord's modal title and input label at most 45), and the
 * grader's findings. `{flag}`, `{typed}`, `{expected}`, `{word}` and `{command}` arrive already as code.
 */
export const exercises = defineMessages(
  {
    'exercises.button': '⌨️ Digitar o comando',
    'exercises.input.title': 'Digite o comando',
    'exercises.input.label': 'Comando Docker',
    'exercises.input.placeholder': 'docker …',
    'exercises.input.submit': 'Responder',
    'exercises.hint': 'Responda digitando o comando. Apelidos, ordem das flags e `-a` ou `--all` valem igual.',
    'exercises.type_it': 'Para responder a este exercício, digite o comando: o botão abre um campo de texto.',
    'exercises.you_typed': 'Você digitou: {typed}',
    'exercises.answer': 'Resposta: {command}',
    'exercises.answers': 'Respostas aceitas: {commands}',
    'exercises.already':
      'Você já respondeu este exercício e {correct, select, yes {acertou} other {errou}}. Nada mudou.',
    'exercises.terminal.hint':
      'No terminal: digite a linha que começa com `docker`, ou clique no botão e digite o comando na próxima linha.',
    'exercises.terminal.type_now': 'Digite o comando na próxima linha (ou `/cancelar`).',
    'exercises.terminal.cancelled': 'Exercício deixado para depois: nada foi registrado.',
    'exercises.finding.empty': 'Não veio nenhum comando.',
    'exercises.finding.unclosed_quote': 'Há uma aspa aberta que não fecha.',
    'exercises.finding.not_docker': '{word} não é o Docker: o comando começa com `docker`.',
    'exercises.finding.unknown_command': '{typed} não é um comando do Docker que eu conheça.',
    'exercises.finding.unknown_flag': '{flag} não é uma opção de {command}.',
    'exercises.finding.missing_value': '{flag} precisa de um valor.',
    'exercises.finding.extra_flag': '{flag} não é necessário aqui.',
    'exercises.finding.missing_flag': 'Falta {flag}.',
    'exercises.finding.wrong_value': '{flag} deveria ser {expected}, não {typed}.',
    'exercises.finding.other_object': '{typed} trabalha com {typedObject}, não com {expectedObject}.',
    'exercises.finding.other_command': '{typed} é outro comando: não faz o que o exercício pede.',
    'exercises.finding.other_arguments': 'Os argumentos diferem: você pôs {typed}, o exercício pede {expected}.',
  },
  {
    'exercises.button': '⌨️ Type the command',
    'exercises.input.title': 'Type the command',
    'exercises.input.label': 'Docker command',
    'exercises.input.placeholder': 'docker …',
    'exercises.input.submit': 'Answer',
    'exercises.hint': 'Answer by typing the command. Aliases, flag order and `-a` or `--all` all count the same.',
    'exercises.type_it': 'To answer this exercise, type the command: the button opens a text field.',
    'exercises.you_typed': 'You typed: {typed}',
    'exercises.answer': 'Answer: {command}',
    'exercises.answers': 'Accepted answers: {commands}',
    'exercises.already':
      'You already answered this exercise and {correct, select, yes {got it right} other {got it wrong}}. Nothing changed.',
    'exercises.terminal.hint':
      'In the terminal: type the line starting with `docker`, or click the button and type the command on the next line.',
    'exercises.terminal.type_now': 'Type the command on the next line (or `/cancel`).',
    'exercises.terminal.cancelled': 'Exercise left for later: nothing was recorded.',
    'exercises.finding.empty': 'No command came through.',
    'exercises.finding.unclosed_quote': 'A quote is opened and never closed.',
    'exercises.finding.not_docker': '{word} is not Docker: the command starts with `docker`.',
    'exercises.finding.unknown_command': '{typed} is not a Docker command I know.',
    'exercises.finding.unknown_flag': '{flag} is not an option of {command}.',
    'exercises.finding.missing_value': '{flag} needs a value.',
    'exercises.finding.extra_flag': '{flag} is not needed here.',
    'exercises.finding.missing_flag': 'Missing {flag}.',
    'exercises.finding.wrong_value': '{flag} should be {expected}, not {typed}.',
    'exercises.finding.other_object': '{typed} works on {typedObject}, not {expectedObject}.',
    'exercises.finding.other_command': '{typed} is another command: it does not do what the exercise asks.',
    'exercises.finding.other_arguments': 'The arguments differ: you typed {typed}, the exercise asks for {expected}.',
  },
);
