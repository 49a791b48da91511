import { defineMessages } from '../define.ts';

/** Weekly seasons: the fair leaderboard's lines, past seasons, board visibility and the weekly recap. */
export const seasons = defineMessages(
  {
    'seasons.anonymous': 'Anônimo {animal}',
    'seasons.board.headline_past': 'Temporada {week} · {cohort}',
    'seasons.board.past_label': 'Semana {week}: {first} a {last} ({timeZone}) · temporada encerrada',
    'seasons.board.line': '{position} {name} · {points, number} pts · {xp, number} XP',
    'seasons.board.line_me': '{position} *{name} (você)* · {points, number} pts · {xp, number} XP',
    'seasons.board.average':
      '📊 _média da turma · {points, number} pts{hasAccuracy, select, yes { · {accuracy, number, percent} de acerto de primeira} other {}}_',
    'seasons.board.me_outside': 'Você: {rank, number}º de {total, number} · {points, number} pts · {xp, number} XP',
    'seasons.board.me_hidden':
      'Você está oculto(a) nos rankings e nas recapitulações; seu aprendizado segue igual. Para aparecer: `/trilha visibilidade mostrar`.',
    'seasons.board.me_none_past': 'Você não pontuou nessa semana nesta turma.',
    'seasons.board.empty_past': 'Ninguém pontuou nessa semana nesta turma.',
    'seasons.board.explain':
      'Pontos de 0 a 1000: acertos de primeira, revisões lembradas e participação, não só rapidez. Semanas passadas: `/trilha ranking passada` ou `/trilha ranking 2026-W47`.',
    'seasons.board.future_week':
      'A semana {week} ainda não começou: no fuso da turma ({timeZone}) ainda estamos na {current}. Veja `/trilha ranking` ou uma semana passada.',
    'seasons.board.bad_week':
      '“{week}” não é uma semana que exista. Use o formato `2026-W47` (ano, W e o número da semana).',
    'seasons.visibility.state':
      '{visibility, select, anonymous {anônimo(a), como {name}} hidden {oculto(a): fora dos rankings e das recapitulações} other {com seu nome}}',
    'seasons.visibility.current':
      '*Nos rankings:* {state}. Para mudar: `/trilha visibilidade mostrar|anonimo|ocultar`. Seu XP, sequência e revisões não mudam com isso.',
    'seasons.visibility.set_shown': 'Pronto: você aparece com seu nome nos rankings e nas recapitulações semanais.',
    'seasons.visibility.set_anonymous':
      'Pronto: nos rankings e nas recapitulações você aparece como {name}, sem seu nome. Seus pontos contam como antes.',
    'seasons.visibility.set_hidden':
      'Pronto: você não aparece mais nos rankings nem nas recapitulações (nem na média da turma). Seu XP, sequência e revisões seguem normalmente.',
    'seasons.progress.visibility': '*Nos rankings:* {state}',
    'seasons.mydata.visibility': '*Visibilidade nos rankings:* {state}',
    'seasons.recap.headline': '🏁 Fim da temporada {week} · {cohort}',
    'seasons.recap.dates': 'Semana de {first} a {last} ({timeZone})',
    'seasons.recap.top': '*Destaques da semana*',
    'seasons.recap.line': '{position} {name} · {points, number} pts',
    'seasons.recap.nobody_shown': 'Quem pontuou nesta semana preferiu não aparecer no ranking.',
    'seasons.recap.average':
      '📊 *Média da turma:* {hasAccuracy, select, yes {{accuracy, number, percent} de acerto de primeira · } other {}}{points, number} pts · {members, plural, one {# pessoa} other {# pessoas}} no ranking',
    'seasons.recap.improved': '📈 *Quem mais evoluiu:* {name} ({before, number} → {after, number} pts)',
    'seasons.recap.hardest':
      '🧩 *Pergunta mais difícil* ({lesson}): “{prompt}” {right, number} de {total, number} acertaram de primeira ({rate, number, percent}).',
    'seasons.recap.fresh': 'O ranking da nova semana começa do zero. Para rever esta: `/trilha ranking {week}`',
    'seasons.recap.chart_title': 'Acerto de primeira por lição · {cohort}',
    'seasons.recap.chart_x': 'Lição',
    'seasons.recap.chart_y': 'Acerto de primeira',
    'seasons.recap.chart_alt': 'Gráfico do acerto de primeira por lição nas últimas semanas da turma {cohort}',
    'seasons.option.season': 'Uma semana passada: 2026-W47, ou "passada"',
    'seasons.option.visibility': 'Como você aparece nos rankings',
    'seasons.choice.shown': 'Com meu nome',
    'seasons.choice.anonymous': 'Anônimo',
    'seasons.choice.hidden': 'Oculto',
  },
  {
    'seasons.anonymous': 'Anonymous {animal}',
    'seasons.board.headline_past': 'Season {week} · {cohort}',
    'seasons.board.past_label': 'Week {week}: {first} to {last} ({timeZone}) · season over',
    'seasons.board.line': '{position} {name} · {points, number} pts · {xp, number} XP',
    'seasons.board.line_me': '{position} *{name} (you)* · {points, number} pts · {xp, number} XP',
    'seasons.board.average':
      '📊 _cohort average · {points, number} pts{hasAccuracy, select, yes { · {accuracy, number, percent} right at the first try} other {}}_',
    'seasons.board.me_outside': 'You: #{rank, number} of {total, number} · {points, number} pts · {xp, number} XP',
    'seasons.board.me_hidden':
      'You are hidden from leaderboards and recaps; your learning is the same. To appear: `/trilha visibility show`.',
    'seasons.board.me_none_past': 'You did not score in this cohort that week.',
    'seasons.board.empty_past': 'Nobody scored in this cohort that week.',
    'seasons.board.explain':
      'Points from 0 to 1000: right first tries, reviews kept and taking part, not just speed. Past weeks: `/trilha leaderboard last` or `/trilha leaderboard 2026-W47`.',
    'seasons.board.future_week':
      'Week {week} has not begun: in the cohort’s time zone ({timeZone}) it is still {current}. See `/trilha leaderboard` or a past week.',
    'seasons.board.bad_week':
      '“{week}” is not a week that exists. Use the form `2026-W47` (year, W and the week number).',
    'seasons.visibility.state':
      '{visibility, select, anonymous {anonymous, as {name}} hidden {hidden: left out of leaderboards and recaps} other {with your name}}',
    'seasons.visibility.current':
      '*On leaderboards:* {state}. To change it: `/trilha visibility show|anonymous|hidden`. Your XP, streak and reviews do not change with it.',
    'seasons.visibility.set_shown': 'Done: you appear with your name on leaderboards and in the weekly recaps.',
    'seasons.visibility.set_anonymous':
      'Done: on leaderboards and in recaps you appear as {name}, without your name. Your points count as before.',
    'seasons.visibility.set_hidden':
      'Done: you no longer appear on leaderboards or in recaps (nor in the cohort average). Your XP, streak and reviews go on as usual.',
    'seasons.progress.visibility': '*On leaderboards:* {state}',
    'seasons.mydata.visibility': '*Leaderboard visibility:* {state}',
    'seasons.recap.headline': '🏁 Season {week} is over · {cohort}',
    'seasons.recap.dates': 'The week from {first} to {last} ({timeZone})',
    'seasons.recap.top': '*Top of the week*',
    'seasons.recap.line': '{position} {name} · {points, number} pts',
    'seasons.recap.nobody_shown': 'Everyone who scored this week chose not to appear on the leaderboard.',
    'seasons.recap.average':
      '📊 *Cohort average:* {hasAccuracy, select, yes {{accuracy, number, percent} right at the first try · } other {}}{points, number} pts · {members, plural, one {# person} other {# people}} ranked',
    'seasons.recap.improved': '📈 *Most improved:* {name} ({before, number} → {after, number} pts)',
    'seasons.recap.hardest':
      '🧩 *Hardest question* ({lesson}): “{prompt}” {right, number} of {total, number} got it right at the first try ({rate, number, percent}).',
    'seasons.recap.fresh':
      'The new week’s leaderboard starts from zero. To see this one again: `/trilha leaderboard {week}`',
    'seasons.recap.chart_title': 'First-try accuracy per lesson · {cohort}',
    'seasons.recap.chart_x': 'Lesson',
    'seasons.recap.chart_y': 'First-try accuracy',
    'seasons.recap.chart_alt': 'Chart of the first-try accuracy per lesson over the last weeks of the cohort {cohort}',
    'seasons.option.season': 'A past week: 2026-W47, or "last"',
    'seasons.option.visibility': 'How you appear on leaderboards',
    'seasons.choice.shown': 'With my name',
    'seasons.choice.anonymous': 'Anonymous',
    'seasons.choice.hidden': 'Hidden',
  },
);
