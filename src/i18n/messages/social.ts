import { defineMessages } from '../define.ts';

/** Progress, leaderboards, cohorts, language and time-zone choice, and a member's data. */
export const social = defineMessages(
  {
    'social.progress.headline': 'Progresso de {name}',
    'social.progress.xp': '*XP:* {xp, number}',
    'social.progress.streak':
      '*Sequência:* {current, plural, =0 {0 dias} one {# dia} other {# dias}} (melhor: {best, plural, =0 {0 dias} one {# dia} other {# dias}})',
    'social.progress.answers':
      '*Perguntas respondidas:* {questions, number} · {accuracy, number, percent} certas de primeira · *Respostas que contaram:* {answered, number} (com práticas e revisões)',
    'social.progress.lessons': '*Lições vistas ({track}):* {seen, number} de {total, number}',
    'social.progress.reviews': '*Revisões pendentes:* {count, number}',
    'social.progress.week': '*Esta semana em `{cohort}`:* {xp, number} XP',
    'social.progress.no_cohort': '*Esta semana:* sem turma (veja `/trilha turma listar`).',
    'social.progress.nothing_yet': 'Nenhuma resposta ainda. Comece com `/trilha hoje`.',
    'social.progress.unknown_member':
      'Não encontrei ninguém chamado “{name}” neste espaço de trabalho. Use o nome exibido ou a menção (@nome).',
    'social.progress.ambiguous_member': 'Há mais de uma pessoa chamada “{name}” aqui; use a menção dela.',
    'social.leaderboard.headline_week': 'Ranking da semana · {cohort}',
    'social.leaderboard.headline_all': 'Ranking de todos os tempos · {cohort}',
    'social.leaderboard.week_label': 'Semana {week}: {first} a {last} ({timeZone})',
    'social.leaderboard.all_label': 'Todos os pontos desde o início',
    'social.leaderboard.line':
      '{position} {name} · {xp, number} XP · {correct, plural, =0 {0 acertos} one {# acerto} other {# acertos}}',
    'social.leaderboard.line_me':
      '{position} *{name} (você)* · {xp, number} XP · {correct, plural, =0 {0 acertos} one {# acerto} other {# acertos}}',
    'social.leaderboard.me_outside': 'Você: {rank, number}º de {total, number} · {xp, number} XP',
    'social.leaderboard.me_none':
      '{period, select, week {Você ainda não pontuou nesta semana nesta turma.} other {Você ainda não pontuou nesta turma.}}',
    'social.leaderboard.empty':
      '{period, select, week {Ninguém pontuou nesta semana ainda. Responda ao quiz do dia para abrir o placar!} other {Ninguém pontuou nesta turma ainda.}}',
    'social.leaderboard.total':
      '{total, plural, =0 {ninguém no ranking} one {# pessoa no ranking} other {# pessoas no ranking}}',
    'social.leaderboard.choose': 'De qual turma? Use `/trilha ranking [semana|total] <turma>`. Turmas:',
    'social.leaderboard.no_cohorts':
      'Ainda não há turmas neste espaço de trabalho. Crie uma com `/trilha turma criar <nome-curto>`.',
    'social.cohort.list_headline': 'Turmas',
    'social.cohort.list_line': '- `{slug}` {name} · {count, plural, =0 {0 membros} one {# membro} other {# membros}}',
    'social.cohort.list_line_mine':
      '- `{slug}` {name} · {count, plural, =0 {0 membros} one {# membro} other {# membros}} · *você está nela*',
    'social.cohort.list_empty': 'Ainda não há turmas. Crie uma com `/trilha turma criar <nome-curto> [nome]`.',
    'social.cohort.list_hint': 'Entrar: `/trilha turma entrar <nome-curto>` · sair: `/trilha turma sair <nome-curto>`',
    'social.cohort.created':
      'Turma `{slug}` ({name}) criada, e você já está nela. As semanas do ranking seguem o fuso {timeZone}. Para convidar: `/trilha turma entrar {slug}`',
    'social.cohort.exists': 'A turma `{slug}` já existe. Para entrar: `/trilha turma entrar {slug}`',
    'social.cohort.bad_slug':
      '“{slug}” não serve como nome curto: use de 2 a 32 letras minúsculas, números e hífens, sem hífen no começo ou no fim (ex.: `ops-2026`).',
    'social.cohort.suggest': 'Que tal `{suggestion}`?',
    'social.cohort.joined': 'Você entrou na turma `{slug}` ({name}).',
    'social.cohort.already_member': 'Você já está na turma `{slug}`; nada mudou.',
    'social.cohort.left': 'Você saiu da turma `{slug}`.',
    'social.cohort.not_member': 'Você não está na turma `{slug}`; nada mudou.',
    'social.cohort.unknown': 'Não existe a turma “{slug}”. Turmas deste espaço de trabalho: {list}',
    'social.cohort.unknown_none':
      'Não existe a turma “{slug}”, e ainda não há nenhuma. Crie uma com `/trilha turma criar <nome-curto>`.',
    'social.language.name': '{locale, select, en {inglês} other {português (Brasil)}}',
    'social.language.set': 'Pronto: a partir de agora falo com você em português (Brasil).',
    'social.language.default': 'Pronto: você segue o idioma padrão do espaço de trabalho, {language}.',
    'social.language.current':
      'Seu idioma: {language} ({source, select, member {sua escolha} other {padrão do espaço de trabalho}}). Para mudar: `/trilha idioma pt-BR|en|padrao`.',
    'social.timezone.set':
      'Pronto: seu fuso agora é {zone} (aí são {time}). Suas sequências contam os dias nesse fuso.',
    'social.timezone.default': 'Pronto: você segue o fuso do espaço de trabalho, {zone} (aí são {time}).',
    'social.timezone.invalid':
      '“{zone}” não é um fuso horário IANA que eu conheça. Exemplos: `America/Sao_Paulo`, `America/Manaus`, `Europe/Lisbon`, `UTC`.',
    'social.timezone.current':
      'Seu fuso: {zone} ({source, select, member {sua escolha} other {padrão do espaço de trabalho}}). Para mudar: `/trilha fuso <fuso IANA>|padrao`.',
    'social.mydata.headline': 'Seus dados no Trilha',
    'social.mydata.intro':
      'Isto é tudo o que o Trilha guarda sobre você. A LGPD (Brasil) e o GDPR (União Europeia) garantem seu direito de ver e de apagar esses dados.',
    'social.mydata.profile': '*Perfil:* {name} · id `{id}` · idioma: {locale} · fuso: {timeZone} · desde {since}',
    'social.mydata.default': 'padrão do espaço de trabalho',
    'social.mydata.identities': '*Contas:* {list}',
    'social.mydata.identity': '{platform} `{externalId}` em {workspace}',
    'social.mydata.cohorts': '*Turmas:* {list}',
    'social.mydata.none': 'nenhuma',
    'social.mydata.stats':
      '*Totais:* {xp, number} XP · {answered, number} respostas · {correct, number} certas · sequência {current, number} (melhor {best, number}) · último dia ativo: {last} · {lessons, number} lições vistas',
    'social.mydata.stats_none': '*Totais:* nada ainda.',
    'social.mydata.weekly':
      '*Placar semanal:* {count, plural, =0 {nenhum registro} one {# registro} other {# registros}}',
    'social.mydata.weekly_line':
      '- {week} em `{cohort}`: {xp, number} XP, {answered, number} respostas, {correct, number} certas',
    'social.mydata.attempts': '*Respostas guardadas:* {count, number}',
    'social.mydata.recent': 'Mais recentes:',
    'social.mydata.attempt_line':
      '- {when}: `{question}` ({context, select, channel_quiz {quiz do canal} review {revisão} other {estudo}}) · {correct, select, yes {certa} other {errada}} · {xp, number} XP',
    'social.mydata.reviews': '*Cartões de revisão:* {count, number}',
    'social.mydata.lessons': '*Lições:* {seen, number} vistas, {completed, number} concluídas',
    'social.mydata.delete_hint': 'Para apagar tudo: `/trilha meus-dados apagar`.',
    'social.mydata.confirm_headline': 'Apagar todos os seus dados?',
    'social.mydata.confirm':
      'Isto apaga para sempre seu perfil, contas ligadas, respostas, pontos, sequências, turmas, placares semanais, revisões e lições vistas. Não dá para desfazer. É um direito seu pela LGPD (Brasil) e pelo GDPR (União Europeia).',
    'social.mydata.confirm_button': 'Apagar meus dados',
    'social.mydata.deleted':
      'Pronto: apagamos tudo o que o Trilha guardava sobre você, como garantem a LGPD e o GDPR. Se usar o Trilha de novo, você começa do zero.',
    'social.mydata.not_yours':
      'Este botão pertence a outra pessoa: só quem pediu pode apagar os próprios dados. Nada foi apagado.',
    'social.mydata.already_gone': 'Esses dados já foram apagados; não há mais nada a apagar.',
  },
  {
    'social.progress.headline': "{name}'s progress",
    'social.progress.xp': '*XP:* {xp, number}',
    'social.progress.streak':
      '*Streak:* {current, plural, one {# day} other {# days}} (best: {best, plural, one {# day} other {# days}})',
    'social.progress.answers':
      '*Questions answered:* {questions, number} · {accuracy, number, percent} right at the first try · *Answers counted:* {answered, number} (with practice and reviews)',
    'social.progress.lessons': '*Lessons seen ({track}):* {seen, number} of {total, number}',
    'social.progress.reviews': '*Reviews due:* {count, number}',
    'social.progress.week': '*This week in `{cohort}`:* {xp, number} XP',
    'social.progress.no_cohort': '*This week:* no cohort (see `/trilha cohort list`).',
    'social.progress.nothing_yet': 'No answers yet. Start with `/trilha today`.',
    'social.progress.unknown_member':
      'I found nobody called “{name}” in this workspace. Use their display name or their mention (@name).',
    'social.progress.ambiguous_member': 'More than one person here is called “{name}”; use their mention.',
    'social.leaderboard.headline_week': 'Weekly leaderboard · {cohort}',
    'social.leaderboard.headline_all': 'All-time leaderboard · {cohort}',
    'social.leaderboard.week_label': 'Week {week}: {first} to {last} ({timeZone})',
    'social.leaderboard.all_label': 'Every point since the start',
    'social.leaderboard.line': '{position} {name} · {xp, number} XP · {correct, plural, one {# right} other {# right}}',
    'social.leaderboard.line_me':
      '{position} *{name} (you)* · {xp, number} XP · {correct, plural, one {# right} other {# right}}',
    'social.leaderboard.me_outside': 'You: #{rank, number} of {total, number} · {xp, number} XP',
    'social.leaderboard.me_none':
      '{period, select, week {You have not scored in this cohort this week yet.} other {You have not scored in this cohort yet.}}',
    'social.leaderboard.empty':
      '{period, select, week {Nobody has scored this week yet. Answer today’s quiz to open the board!} other {Nobody has scored in this cohort yet.}}',
    'social.leaderboard.total': '{total, plural, one {# person ranked} other {# people ranked}}',
    'social.leaderboard.choose': 'Which cohort? Use `/trilha leaderboard [week|all] <cohort>`. Cohorts:',
    'social.leaderboard.no_cohorts':
      'This workspace has no cohorts yet. Create one with `/trilha cohort create <short-name>`.',
    'social.cohort.list_headline': 'Cohorts',
    'social.cohort.list_line': '- `{slug}` {name} · {count, plural, one {# member} other {# members}}',
    'social.cohort.list_line_mine':
      '- `{slug}` {name} · {count, plural, one {# member} other {# members}} · *you are in it*',
    'social.cohort.list_empty': 'No cohorts yet. Create one with `/trilha cohort create <short-name> [name]`.',
    'social.cohort.list_hint': 'Join: `/trilha cohort join <short-name>` · leave: `/trilha cohort leave <short-name>`',
    'social.cohort.created':
      'Cohort `{slug}` ({name}) created, and you are in it. Leaderboard weeks follow the {timeZone} time zone. To invite: `/trilha cohort join {slug}`',
    'social.cohort.exists': 'The cohort `{slug}` already exists. To join: `/trilha cohort join {slug}`',
    'social.cohort.bad_slug':
      '“{slug}” cannot be a short name: use 2 to 32 lower-case letters, digits and hyphens, no hyphen at either end (e.g. `ops-2026`).',
    'social.cohort.suggest': 'How about `{suggestion}`?',
    'social.cohort.joined': 'You joined the cohort `{slug}` ({name}).',
    'social.cohort.already_member': 'You are already a member of `{slug}`; nothing changed.',
    'social.cohort.left': 'You left the cohort `{slug}`.',
    'social.cohort.not_member': 'You are not a member of `{slug}`; nothing changed.',
    'social.cohort.unknown': 'There is no cohort “{slug}”. Cohorts in this workspace: {list}',
    'social.cohort.unknown_none':
      'There is no cohort “{slug}”, and there are none yet. Create one with `/trilha cohort create <short-name>`.',
    'social.language.name': '{locale, select, en {English} other {Portuguese (Brazil)}}',
    'social.language.set': 'Done: from now on I will talk to you in English.',
    'social.language.default': 'Done: you follow the workspace’s default language, {language}.',
    'social.language.current':
      'Your language: {language} ({source, select, member {your choice} other {the workspace default}}). To change it: `/trilha language pt-BR|en|default`.',
    'social.timezone.set': 'Done: your time zone is now {zone} (it is {time} there). Your streaks count days in it.',
    'social.timezone.default': 'Done: you follow the workspace’s time zone, {zone} (it is {time} there).',
    'social.timezone.invalid':
      '“{zone}” is not an IANA time zone I know. Examples: `America/Sao_Paulo`, `America/New_York`, `Europe/Lisbon`, `UTC`.',
    'social.timezone.current':
      'Your time zone: {zone} ({source, select, member {your choice} other {the workspace default}}). To change it: `/trilha timezone <IANA zone>|default`.',
    'social.mydata.headline': 'Your data in Trilha',
    'social.mydata.intro':
      'This is everything Trilha stores about you. The LGPD (Brazil) and the GDPR (European Union) give you the right to see and to delete this data.',
    'social.mydata.profile':
      '*Profile:* {name} · id `{id}` · language: {locale} · time zone: {timeZone} · since {since}',
    'social.mydata.default': 'workspace default',
    'social.mydata.identities': '*Accounts:* {list}',
    'social.mydata.identity': '{platform} `{externalId}` in {workspace}',
    'social.mydata.cohorts': '*Cohorts:* {list}',
    'social.mydata.none': 'none',
    'social.mydata.stats':
      '*Totals:* {xp, number} XP · {answered, number} answers · {correct, number} right · streak {current, number} (best {best, number}) · last active day: {last} · {lessons, number} lessons seen',
    'social.mydata.stats_none': '*Totals:* nothing yet.',
    'social.mydata.weekly': '*Weekly scores:* {count, plural, =0 {no rows} one {# row} other {# rows}}',
    'social.mydata.weekly_line':
      '- {week} in `{cohort}`: {xp, number} XP, {answered, number} answers, {correct, number} right',
    'social.mydata.attempts': '*Stored answers:* {count, number}',
    'social.mydata.recent': 'Most recent:',
    'social.mydata.attempt_line':
      '- {when}: `{question}` ({context, select, channel_quiz {channel quiz} review {review} other {self-study}}) · {correct, select, yes {right} other {wrong}} · {xp, number} XP',
    'social.mydata.reviews': '*Review cards:* {count, number}',
    'social.mydata.lessons': '*Lessons:* {seen, number} seen, {completed, number} completed',
    'social.mydata.delete_hint': 'To delete everything: `/trilha my-data delete`.',
    'social.mydata.confirm_headline': 'Delete all your data?',
    'social.mydata.confirm':
      'This deletes for good your profile, linked accounts, answers, points, streaks, cohorts, weekly scores, reviews and lessons seen. It cannot be undone. It is your right under the LGPD (Brazil) and the GDPR (European Union).',
    'social.mydata.confirm_button': 'Delete my data',
    'social.mydata.deleted':
      'Done: we deleted everything Trilha stored about you, as the LGPD and the GDPR guarantee. If you use Trilha again, you start from scratch.',
    'social.mydata.not_yours':
      'This button belongs to someone else: only the person who asked can delete their own data. Nothing was deleted.',
    'social.mydata.already_gone': 'That data was already deleted; there is nothing left to delete.',
  },
);
