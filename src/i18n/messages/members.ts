import { defineMessages } from '../define.ts';

/**
 * One member across platforms (link codes, linking and unlinking accounts), a late joiner's catch-up, a cohort's pace
 * (pause, resume, start date) and a member's own exports (JSON, Anki).
 */
export const members = defineMessages(
  {
    'members.platform': '{platform, select, slack {Slack} discord {Discord} other {Terminal}}',
    'members.link.headline': 'Ligar suas contas do Slack e do Discord',
    'members.link.code': 'Seu código: *{code}*, válido por 10 minutos (até {until}).',
    'members.link.how':
      'Na sua outra plataforma, digite `/trilha vincular {code}`. As duas contas viram uma pessoa só: progresso, sequência, revisões e turmas compartilhados, e cada pergunta conta uma vez. Não mostre o código a ninguém; pedir outro invalida este.',
    'members.link.accounts': 'Suas contas: {list}.',
    'members.link.account': '{platform} ({workspace})',
    'members.link.account_current': '{platform} ({workspace}, esta)',
    'members.link.unlink_hint': 'Para desligar esta conta das outras: `/trilha desvincular`.',
    'members.link.linked': 'Pronto, contas ligadas: {list}.',
    'members.link.shared':
      'Progresso, sequência, revisões e turmas agora são um só ({xp, number} XP, {answered, plural, =0 {nenhuma resposta} one {# resposta} other {# respostas}}); uma pergunta respondida nas duas plataformas conta uma vez.',
    'members.link.duplicates':
      '{count, plural, one {# resposta dada dos dois lados contou uma vez só.} other {# respostas dadas dos dois lados contaram uma vez só.}}',
    'members.link.invalid':
      'Código não reconhecido: pode estar errado ou já ter sido usado. Confira, ou peça outro com `/trilha vincular` na outra plataforma.',
    'members.link.expired':
      'Este código expirou (vale 10 minutos). Peça outro com `/trilha vincular` na sua outra plataforma.',
    'members.link.same_workspace':
      'Use este código na sua outra plataforma (Slack ou Discord): a conta que o pediu já está neste espaço de trabalho.',
    'members.link.already_linked': 'Esta conta já é a mesma pessoa desse código; nada mudou.',
    'members.link.unlinked':
      'Pronto: esta conta ({platform}) foi desligada e começa do zero. Tudo o que você já conquistou (XP, sequência, revisões, turmas) ficou com {list}; nada foi dividido.',
    'members.link.not_linked':
      'Esta conta não está ligada a nenhuma outra; nada mudou. Para ligar: `/trilha vincular`.',
    'members.link.counted_elsewhere':
      'Esta pergunta já contou no quiz de outro canal (talvez na sua outra plataforma): resposta registrada, sem XP desta vez.',
    'members.option.link_code': 'O código que a outra plataforma mostrou (vazio: gerar um)',
    'members.catchup.next':
      'Recuperando o atraso: {count, plural, one {falta só esta lição das que já saíram em {channel}.} other {faltam # lições das que já saíram em {channel}; esta é a primeira.}} O canal segue no ritmo dele; você segue no seu.',
    'members.catchup.progress':
      '*Para pôr em dia:* {count, plural, one {# lição já postada em {channel}} other {# lições já postadas em {channel}}}; recupere no seu ritmo com `/trilha proxima` (o canal não muda de ritmo).',
    'members.pace.admin_only': 'Só quem administra o espaço de trabalho pausa, retoma ou muda o início de uma turma.',
    'members.pace.no_channels': 'A turma `{slug}` não recebe lições em nenhum canal; nada mudou.',
    'members.pace.paused':
      'Turma `{slug}` pausada: {channels} sem lições novas até `/trilha turma retomar {slug}`. Quem quiser segue no próprio ritmo com `/trilha proxima`; dias sem lição nunca quebram sequências.',
    'members.pace.resumed': 'Turma `{slug}` retomada: as lições continuam de onde pararam.',
    'members.pace.started': 'Início da turma `{slug}`: {date} em {channels}.',
    'members.pace.channel_next': '{channel}: lição {number, number} de {count, number}, {when}',
    'members.pace.channel_now': '{channel}: lição {number, number} de {count, number}, agora (a de hoje, com atraso)',
    'members.pace.channel_done': '{channel}: trilha concluída',
    'members.pace.channel_paused': '{channel}: pausado',
    'members.pace.bad_date':
      'Use uma data no formato AAAA-MM-DD, por exemplo `/trilha turma inicio {slug} 2026-03-02`.',
    'members.option.cohort_date': 'Ao marcar o início: a data (AAAA-MM-DD)',
    'members.export.json':
      'Tudo o que o Trilha guarda sobre você, em JSON: perfil, contas, estatísticas, {attempts, plural, =0 {nenhuma resposta} one {# resposta} other {# respostas}}, revisões, lições, turmas, placares semanais e férias (formato versão {version}).',
    'members.export.json_title': 'Seus dados no Trilha (JSON)',
    'members.export.anki':
      '{count, plural, one {# pergunta que você errou, pronta} other {# perguntas que você errou, prontas}} para o Anki: Arquivo › Importar e escolha o arquivo. Frente: a pergunta e as opções; verso: a resposta certa e a explicação.',
    'members.export.anki_none': 'Você ainda não errou nenhuma pergunta: nada para levar ao Anki por enquanto.',
    'members.export.anki_title': 'Seus erros no Trilha, para o Anki (CSV)',
    'members.export.hint':
      'Leve seus dados: `/trilha meus-dados exportar` (tudo, em JSON) · `/trilha meus-dados anki` (seus erros, para o Anki).',
    'members.anki.columns': 'Frente,Verso',
    'members.anki.answer': 'Resposta: {option}',
    'members.choice.export': 'Exportar tudo (JSON)',
    'members.choice.anki': 'Erros para o Anki (CSV)',
  },
  {
    'members.platform': '{platform, select, slack {Slack} discord {Discord} other {Terminal}}',
    'members.link.headline': 'Link your Slack and Discord accounts',
    'members.link.code': 'Your code: *{code}*, valid for 10 minutes (until {until}).',
    'members.link.how':
      'On your other platform, type `/trilha link {code}`. The two accounts become one person: progress, streak, reviews and cohorts shared, and each question counts once. Keep the code to yourself; asking for another one voids this one.',
    'members.link.accounts': 'Your accounts: {list}.',
    'members.link.account': '{platform} ({workspace})',
    'members.link.account_current': '{platform} ({workspace}, this one)',
    'members.link.unlink_hint': 'To unlink this account from the others: `/trilha unlink`.',
    'members.link.linked': 'Done, accounts linked: {list}.',
    'members.link.shared':
      'Progress, streak, reviews and cohorts are now one ({xp, number} XP, {answered, plural, =0 {no answers} one {# answer} other {# answers}}); a question answered on both platforms counts once.',
    'members.link.duplicates':
      '{count, plural, one {# answer given on both sides counted only once.} other {# answers given on both sides counted only once.}}',
    'members.link.invalid':
      'Code not recognised: it may be mistyped or already used. Check it, or ask for another with `/trilha link` on the other platform.',
    'members.link.expired':
      'This code has expired (codes last 10 minutes). Ask for another with `/trilha link` on your other platform.',
    'members.link.same_workspace':
      'Use this code on your other platform (Slack or Discord): the account that asked for it is already in this workspace.',
    'members.link.already_linked': 'This account is already the same person as that code; nothing changed.',
    'members.link.unlinked':
      'Done: this account ({platform}) is unlinked and starts from scratch. Everything you earned (XP, streak, reviews, cohorts) stays with {list}; nothing was split.',
    'members.link.not_linked': 'This account is not linked to any other; nothing changed. To link one: `/trilha link`.',
    'members.link.counted_elsewhere':
      'This question already counted in another channel quiz (perhaps on your other platform): answer recorded, no XP this time.',
    'members.option.link_code': 'The code your other platform showed (empty: get one)',
    'members.catchup.next':
      'Catching up: {count, plural, one {this is the last lesson already posted in {channel} that you had not seen.} other {# lessons already posted in {channel} to go; this is the first.}} The channel keeps its pace; you keep yours.',
    'members.catchup.progress':
      '*To catch up:* {count, plural, one {# lesson already posted in {channel}} other {# lessons already posted in {channel}}}; take them at your pace with `/trilha next` (the channel keeps its pace).',
    'members.pace.admin_only': 'Only workspace admins pause, resume or set the start of a cohort.',
    'members.pace.no_channels': 'Cohort `{slug}` gets lessons in no channel; nothing changed.',
    'members.pace.paused':
      'Cohort `{slug}` paused: no new lessons in {channels} until `/trilha cohort resume {slug}`. Anyone can go on at their own pace with `/trilha next`; days without a lesson never break streaks.',
    'members.pace.resumed': 'Cohort `{slug}` resumed: lessons continue where they stopped.',
    'members.pace.started': 'Cohort `{slug}` starts on {date} in {channels}.',
    'members.pace.channel_next': '{channel}: lesson {number, number} of {count, number}, {when}',
    'members.pace.channel_now': "{channel}: lesson {number, number} of {count, number}, now (today's, late)",
    'members.pace.channel_done': '{channel}: track completed',
    'members.pace.channel_paused': '{channel}: paused',
    'members.pace.bad_date': 'Use a date written YYYY-MM-DD, for example `/trilha cohort start {slug} 2026-03-02`.',
    'members.option.cohort_date': 'When setting the start: the date (YYYY-MM-DD)',
    'members.export.json':
      'Everything Trilha stores about you, as JSON: profile, accounts, stats, {attempts, plural, =0 {no answers} one {# answer} other {# answers}}, reviews, lessons, cohorts, weekly scores and holds (format version {version}).',
    'members.export.json_title': 'Your Trilha data (JSON)',
    'members.export.anki':
      '{count, plural, one {# question you missed} other {# questions you missed}}, ready for Anki: File › Import and pick the file. Front: the question and its options; back: the right answer and its explanation.',
    'members.export.anki_none': 'You have not missed a question yet: nothing to take to Anki for now.',
    'members.export.anki_title': 'Your Trilha misses, for Anki (CSV)',
    'members.export.hint':
      'Take your data along: `/trilha my-data export` (everything, as JSON) · `/trilha my-data anki` (your misses, for Anki).',
    'members.anki.columns': 'Front,Back',
    'members.anki.answer': 'Answer: {option}',
    'members.choice.export': 'Export everything (JSON)',
    'members.choice.anki': 'Misses for Anki (CSV)',
  },
);
