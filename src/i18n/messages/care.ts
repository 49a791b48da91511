import { defineMessages } from '../define.ts';

/** Humane streaks and nudges: vacation holds, streak freezes, daily nudges and their settings. */
export const care = defineMessages(
  {
    'care.hold.set':
      'Férias marcadas de {from} a {to} ({days, plural, one {# dia} other {# dias}}): sua sequência fica protegida e não mando lembretes. {moved, plural, =0 {Nenhuma revisão vencia nesses dias.} one {# revisão que vencia nesses dias foi adiada em {days, plural, one {# dia} other {# dias}}.} other {# revisões que venciam nesses dias foram adiadas em {days, plural, one {# dia} other {# dias}}.}}',
    'care.hold.exists':
      'Você já tem férias marcadas de {from} a {to}. Para marcar outras, cancele estas antes: `/trilha ferias cancelar`.',
    'care.hold.current': 'Você está de férias desde {from}, até {to}. Para voltar antes: `/trilha ferias cancelar`.',
    'care.hold.upcoming': 'Férias marcadas de {from} a {to}. Para cancelar: `/trilha ferias cancelar`.',
    'care.hold.none':
      'Nenhuma pausa marcada. Para marcar: `/trilha ferias AAAA-MM-DD AAAA-MM-DD` (primeiro e último dia, até {max, number} dias). Nas férias a sequência não se perde, não há lembretes e as revisões esperam por você.',
    'care.hold.cancelled': 'Pronto: as férias de {from} a {to} foram canceladas.',
    'care.hold.ended':
      'Bem-vindo de volta! Suas férias terminaram ontem, {end}; a partir de hoje a sequência conta de novo. As revisões adiadas ficam onde estão.',
    'care.hold.nothing_to_cancel': 'Você não tem férias marcadas; nada mudou.',
    'care.hold.problem':
      '{problem, select, bad_date {Use datas no formato AAAA-MM-DD, por exemplo `/trilha ferias 2026-12-20 2027-01-05`.} end_before_start {O último dia ({to}) vem antes do primeiro ({from}).} in_past {As férias não podem começar no passado: hoje é {today}.} too_long {As férias podem ter no máximo {max, number} dias.} other {Só dá para marcar férias que começam em até um ano.}}',
    'care.nudge.on':
      'Pronto: mando um lembrete por mensagem direta a partir das {hour}h (fuso {zone}), no máximo um por dia e só quando houver revisões pendentes ou quiz do dia sem resposta.',
    'care.nudge.off': 'Lembretes desligados. Para religar: `/trilha lembrete 18` (a hora que preferir).',
    'care.nudge.quiet_set': 'Horário de silêncio: {quiet} (fuso {zone}). Nenhum lembrete nesse intervalo.',
    'care.nudge.quiet_cleared': 'Horário de silêncio removido.',
    'care.nudge.never':
      'Atenção: das {hour}h à meia-noite é tudo horário de silêncio ({quiet}), então nenhum lembrete chegaria. Escolha outra hora ou outro silêncio.',
    'care.nudge.status_on': 'Lembrete diário: a partir das {hour}h (fuso {zone}).',
    'care.nudge.status_off': 'Lembrete diário: desligado.',
    'care.nudge.status_quiet': 'Horário de silêncio: {quiet}.',
    'care.nudge.status_no_quiet': 'Horário de silêncio: nenhum.',
    'care.nudge.help':
      'Ligar: `/trilha lembrete 18` · silêncio: `/trilha lembrete silencio 22:00-07:00` · desligar: `/trilha lembrete desligar`',
    'care.nudge.stopped':
      'Lembretes desligados: não mando mais mensagens diretas. Para religar: `/trilha lembrete 18`.',
    'care.nudge.not_yours': 'Este botão é de outra pessoa; os seus lembretes não mudaram.',
    'care.nudge.headline': 'Hora de praticar',
    'care.nudge.reviews': '{count, plural, one {Você tem # revisão pendente.} other {Você tem # revisões pendentes.}}',
    'care.nudge.quiz':
      'O quiz de hoje em #{channel} espera por você ({count, plural, one {# pergunta} other {# perguntas}}).',
    'care.nudge.footer': 'Lembrete diário a partir das {hour}h · mude com `/trilha lembrete`',
    'care.nudge.button.review': 'Revisar agora',
    'care.nudge.button.today': 'Quiz de #{channel}',
    'care.nudge.button.stop': 'Parar lembretes',
    'care.today.gone': 'Esse canal não recebe mais lições da Trilha.',
    'care.progress.freezes':
      '*Congelamentos:* {freezes, number} de {max, number}{covering, plural, =0 {} one { · # cobre um dia sem resposta} other { · # cobrem dias sem resposta}} (ganhe 1 a cada {every, number} dias de sequência)',
    'care.progress.hold_now': '*Férias:* até {to}',
    'care.progress.hold_next': '*Férias:* de {from} a {to}',
    'care.progress.nudge_on': '*Lembrete:* a partir das {hour}h',
    'care.progress.nudge_on_quiet': '*Lembrete:* a partir das {hour}h, silêncio {quiet}',
    'care.progress.nudge_off': '*Lembrete:* desligado (`/trilha lembrete 18`)',
    'care.option.hold_from': 'Primeiro dia (AAAA-MM-DD), ou cancelar',
    'care.option.hold_to': 'Último dia (AAAA-MM-DD)',
    'care.option.nudge_hour': 'Hora do lembrete (0 a 23), ou desligar',
    'care.option.nudge_quiet': 'Horário de silêncio, ex.: 22:00-07:00, ou nenhum',
  },
  {
    'care.hold.set':
      'Vacation set from {from} to {to} ({days, plural, one {# day} other {# days}}): your streak is safe and I send no nudges. {moved, plural, =0 {No review was due on those days.} one {# review due on those days moved {days, plural, one {# day} other {# days}} later.} other {# reviews due on those days moved {days, plural, one {# day} other {# days}} later.}}',
    'care.hold.exists':
      'You already have a vacation from {from} to {to}. To set another, cancel it first: `/trilha vacation cancel`.',
    'care.hold.current':
      'You are on vacation since {from}, until {to}. To come back earlier: `/trilha vacation cancel`.',
    'care.hold.upcoming': 'Vacation set from {from} to {to}. To cancel it: `/trilha vacation cancel`.',
    'care.hold.none':
      'No vacation set. To set one: `/trilha vacation YYYY-MM-DD YYYY-MM-DD` (first and last day, up to {max, number} days). During a vacation your streak is safe, there are no nudges and your reviews wait for you.',
    'care.hold.cancelled': 'Done: the vacation from {from} to {to} is cancelled.',
    'care.hold.ended':
      'Welcome back! Your vacation ended yesterday, {end}; from today your streak counts again. Reviews that moved stay where they are.',
    'care.hold.nothing_to_cancel': 'You have no vacation set; nothing changed.',
    'care.hold.problem':
      '{problem, select, bad_date {Use dates written YYYY-MM-DD, for example `/trilha vacation 2026-12-20 2027-01-05`.} end_before_start {The last day ({to}) comes before the first ({from}).} in_past {A vacation cannot start in the past: today is {today}.} too_long {A vacation can last {max, number} days at most.} other {A vacation can start at most a year from now.}}',
    'care.nudge.on':
      'Done: I will send you a direct message from {hour}:00 (time zone {zone}), at most once a day and only when reviews are due or today’s quiz is unanswered.',
    'care.nudge.off': 'Nudges are off. To turn them on again: `/trilha nudge 18` (any hour you like).',
    'care.nudge.quiet_set': 'Quiet hours: {quiet} (time zone {zone}). No nudge in that time.',
    'care.nudge.quiet_cleared': 'Quiet hours removed.',
    'care.nudge.never':
      'Careful: from {hour}:00 to midnight it is all quiet hours ({quiet}), so no nudge could ever come. Pick another hour or other quiet hours.',
    'care.nudge.status_on': 'Daily nudge: from {hour}:00 (time zone {zone}).',
    'care.nudge.status_off': 'Daily nudge: off.',
    'care.nudge.status_quiet': 'Quiet hours: {quiet}.',
    'care.nudge.status_no_quiet': 'Quiet hours: none.',
    'care.nudge.help':
      'Turn on: `/trilha nudge 18` · quiet hours: `/trilha nudge quiet 22:00-07:00` · turn off: `/trilha nudge off`',
    'care.nudge.stopped': 'Nudges are off: no more direct messages from me. To turn them on again: `/trilha nudge 18`.',
    'care.nudge.not_yours': 'This button belongs to someone else; your nudges did not change.',
    'care.nudge.headline': 'Time to practice',
    'care.nudge.reviews': '{count, plural, one {You have # review due.} other {You have # reviews due.}}',
    'care.nudge.quiz':
      'Today’s quiz in #{channel} is waiting for you ({count, plural, one {# question} other {# questions}}).',
    'care.nudge.footer': 'Daily nudge from {hour}:00 · change it with `/trilha nudge`',
    'care.nudge.button.review': 'Review now',
    'care.nudge.button.today': 'Quiz in #{channel}',
    'care.nudge.button.stop': 'Stop nudges',
    'care.today.gone': 'That channel no longer gets Trilha lessons.',
    'care.progress.freezes':
      '*Streak freezes:* {freezes, number} of {max, number}{covering, plural, =0 {} one { · # covers a day without an answer} other { · # cover days without an answer}} (earn 1 every {every, number} days of streak)',
    'care.progress.hold_now': '*Vacation:* until {to}',
    'care.progress.hold_next': '*Vacation:* from {from} to {to}',
    'care.progress.nudge_on': '*Nudge:* from {hour}:00',
    'care.progress.nudge_on_quiet': '*Nudge:* from {hour}:00, quiet hours {quiet}',
    'care.progress.nudge_off': '*Nudge:* off (`/trilha nudge 18`)',
    'care.option.hold_from': 'First day (YYYY-MM-DD), or cancel',
    'care.option.hold_to': 'Last day (YYYY-MM-DD)',
    'care.option.nudge_hour': 'Nudge hour (0 to 23), or off',
    'care.option.nudge_quiet': 'Quiet hours, e.g. 22:00-07:00, or none',
  },
);
