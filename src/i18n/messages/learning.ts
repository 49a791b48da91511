import { defineMessages } from '../define.ts';

/** Lessons, questions, answers, self-study and review. */
export const learning = defineMessages(
  {
    'learning.view.changed': '*O que mudou:* {text}',
    'learning.view.position': 'Lição {position} de {count}',
    'learning.view.question': 'Pergunta {position} de {total}',

    'learning.button.next': 'Próxima lição',
    'learning.button.quiz': 'Mais perguntas',
    'learning.button.review': 'Revisar mais',
    'learning.button.next_review': 'Próxima revisão ({count} para hoje)',
    'learning.button.lesson': 'Abrir a lição',

    'learning.today.no_channel':
      'Aqui não chegam lições diárias. Você pode seguir a trilha no seu ritmo com a próxima lição.',
    'learning.today.no_drop': 'Este canal ainda não recebeu nenhuma lição. Enquanto isso, siga no seu ritmo.',
    'learning.today.no_drop_until':
      'Este canal ainda não recebeu nenhuma lição: a primeira chega em {when}. Enquanto isso, siga no seu ritmo.',
    'learning.today.lesson_gone':
      'A lição de hoje deste canal não existe mais no conteúdo da trilha. Siga no seu ritmo com a próxima lição.',
    'learning.today.quiz_open': 'Responda aqui: quiz aberto até {when}.',
    'learning.today.quiz_open_no_end': 'Responda aqui: quiz aberto.',
    'learning.today.quiz_closed': 'O quiz desta lição já fechou: responder mostra a explicação, sem pontos.',

    'learning.next.unknown_track': 'Não conheço a trilha “{track}”. Trilhas: {tracks}',
    'learning.next.no_tracks': 'Ainda não há nenhuma trilha carregada.',
    'learning.next.track_done':
      'Você já viu todas as {count, plural, one {# lição} other {# lições}} de “{track}”. 🎉 Agora revise para não esquecer.',
    'learning.next.all_answered': 'Você já respondeu todas as perguntas desta lição.',

    'learning.quiz.headline': 'Quiz para você',
    'learning.quiz.nothing':
      'Você já respondeu todas as perguntas das lições da trilha. Revise as antigas para fixar o que aprendeu.',

    'learning.review.headline': 'Revisão',
    'learning.review.position': 'Revisão {position} de {total} de hoje',
    'learning.review.nothing_now': 'Nada para revisar agora.',
    'learning.review.day_done':
      'Você já fez as {count, plural, one {# revisão} other {# revisões}} de hoje. As outras esperam até amanhã: poucas por dia fixam mais do que muitas de uma vez.',
    'learning.review.all_done': 'Revisões de hoje feitas. 🎯',
    'learning.review.lesson_gone': 'Esta lição não existe mais no conteúdo da trilha.',
    'learning.review.lesson_unseen': 'Você ainda não chegou a esta lição.',
    'learning.review.nothing_due': 'Nada para revisar agora. A próxima revisão fica disponível em {when}.',
    'learning.review.nothing_yet':
      'Nada para revisar ainda: veja uma lição e responda às perguntas dela, que elas voltam aqui no tempo certo.',

    'learning.answer.right': '✅ Certo!',
    'learning.answer.wrong': '❌ Não foi dessa vez',
    'learning.answer.you_chose': 'Você escolheu *{choice}*. {explain}',
    'learning.answer.right_option': 'A resposta certa é *{choice}*.\n*Explicação:* {explain}',
    'learning.answer.practice':
      '🔁 Prática: esta pergunta já contou para você numa resposta anterior, então esta não dá XP de resposta (a sequência do dia ainda conta).',
    'learning.answer.already_chose': 'Você já respondeu esta pergunta e escolheu *{choice}*. Nada mudou.',
    'learning.answer.review_moved_on':
      'Esta revisão já foi respondida (o cartão já avançou). Nada mudou; peça uma nova revisão.',
    'learning.answer.closed': 'Quiz encerrado: só a explicação, sem pontos.',
    'learning.answer.unknown_posted':
      'Não encontrei esta pergunta: o quiz pode ter sido removido. Nada foi registrado.',
    'learning.answer.question_gone':
      'Esta pergunta não existe mais no conteúdo da trilha, então não pode ser respondida. Nada foi registrado.',
    'learning.answer.bad_choice': 'Esta pergunta não tem essa opção. Nada foi registrado.',
    'learning.answer.not_a_card':
      'Esta pergunta não está nas suas revisões: só voltam para revisão as perguntas que você já respondeu. Nada foi registrado.',
    'learning.answer.streak': '🔥 Sequência de {days, plural, one {# dia} other {# dias}}!',
    'learning.answer.freeze_spent':
      '🧊 {count, plural, one {Um congelamento cobriu o dia perdido} other {# congelamentos cobriram os dias perdidos}}: a sequência continua. {left, plural, =0 {Nenhum congelamento guardado agora.} one {Resta # guardado.} other {Restam # guardados.}}',
    'learning.answer.freeze_earned':
      '🧊 Você ganhou um congelamento de sequência: ele cobre um dia sem resposta sozinho ({held, plural, one {# guardado} other {# guardados}}, no máximo {max}).',
    'learning.answer.lesson_completed': '🏁 Lição concluída: você respondeu ao menos metade das perguntas dela.',

    'learning.xp.right_answer': 'resposta certa +{xp} XP',
    'learning.xp.difficulty_bonus': '{difficulty, select, hard {pergunta difícil} other {pergunta média}} +{xp} XP',
    'learning.xp.wrong_answer': 'participação +{xp} XP',
    'learning.xp.review_right': 'revisão certa +{xp} XP',
    'learning.xp.review_wrong': 'revisão +{xp} XP',
    'learning.xp.streak_bonus': 'sequência de {days, plural, one {# dia} other {# dias}} +{xp} XP',
    'learning.xp.already_answered': 'já respondida, 0 XP',
    'learning.xp.quiz_closed': 'quiz encerrado, 0 XP',
    'learning.xp.practice': 'prática (já respondida antes), 0 XP',
    'learning.quiz.nothing_seen':
      'Você já respondeu todas as perguntas das lições que viu. Abra a próxima lição para ler antes de responder, ou revise as antigas.',
    'learning.xp.total': '{lines} = *{xp} XP*',
  },
  {
    'learning.view.changed': '*What changed:* {text}',
    'learning.view.position': 'Lesson {position} of {count}',
    'learning.view.question': 'Question {position} of {total}',

    'learning.button.next': 'Next lesson',
    'learning.button.quiz': 'More questions',
    'learning.button.review': 'Review more',
    'learning.button.next_review': 'Next review ({count} left today)',
    'learning.button.lesson': 'Open the lesson',

    'learning.today.no_channel': 'No daily lessons arrive here. You can follow the track at your own pace.',
    'learning.today.no_drop': 'This channel has not received a lesson yet. Meanwhile, go at your own pace.',
    'learning.today.no_drop_until':
      'This channel has not received a lesson yet: the first one arrives on {when}. Meanwhile, go at your own pace.',
    'learning.today.lesson_gone':
      "This channel's lesson of the day is no longer in the track's content. Go on at your own pace with the next lesson.",
    'learning.today.quiz_open': 'Answer here: the quiz is open until {when}.',
    'learning.today.quiz_open_no_end': 'Answer here: the quiz is open.',
    'learning.today.quiz_closed': "This lesson's quiz has closed: answering shows the explanation, without points.",

    'learning.next.unknown_track': 'I do not know the track “{track}”. Tracks: {tracks}',
    'learning.next.no_tracks': 'No track is loaded yet.',
    'learning.next.track_done':
      'You have seen all {count, plural, one {# lesson} other {# lessons}} of “{track}”. 🎉 Now review so you do not forget.',
    'learning.next.all_answered': 'You have already answered every question of this lesson.',

    'learning.quiz.headline': 'A quiz for you',
    'learning.quiz.nothing':
      "You have answered every question of the track's lessons. Review the older ones to make them stick.",

    'learning.review.headline': 'Review',
    'learning.review.position': 'Review {position} of {total} for today',
    'learning.review.nothing_now': 'Nothing to review now.',
    'learning.review.day_done':
      "You have done today's {count, plural, one {# review} other {# reviews}}. The rest wait until tomorrow: a few a day stick better than many at once.",
    'learning.review.all_done': "Today's reviews are done. 🎯",
    'learning.review.lesson_gone': "This lesson is no longer in the track's content.",
    'learning.review.lesson_unseen': 'You have not reached this lesson yet.',
    'learning.review.nothing_due': 'Nothing to review now. The next review is available on {when}.',
    'learning.review.nothing_yet':
      'Nothing to review yet: read a lesson and answer its questions, and they will come back here at the right time.',

    'learning.answer.right': '✅ Right!',
    'learning.answer.wrong': '❌ Not this time',
    'learning.answer.you_chose': 'You chose *{choice}*. {explain}',
    'learning.answer.right_option': 'The right answer is *{choice}*.\n*Explanation:* {explain}',
    'learning.answer.practice':
      '🔁 Practice: this question already counted for you in an earlier answer, so this one earns no answer XP (the day still counts for your streak).',
    'learning.answer.already_chose': 'You already answered this question and chose *{choice}*. Nothing changed.',
    'learning.answer.review_moved_on':
      'This review was already answered (the card has moved on). Nothing changed; ask for a new review.',
    'learning.answer.closed': 'Quiz closed: feedback only, no points.',
    'learning.answer.unknown_posted':
      'I could not find this question: the quiz may have been removed. Nothing was recorded.',
    'learning.answer.question_gone':
      "This question is no longer in the track's content, so it cannot be answered. Nothing was recorded.",
    'learning.answer.bad_choice': 'This question has no such option. Nothing was recorded.',
    'learning.answer.not_a_card':
      'This question is not among your reviews: only questions you have answered come back for review. Nothing was recorded.',
    'learning.answer.streak': '🔥 {days}-day streak!',
    'learning.answer.freeze_spent':
      '🧊 {count, plural, one {A freeze covered the missed day} other {# freezes covered the missed days}}: your streak lives on. {left, plural, =0 {No freezes held now.} one {# left.} other {# left.}}',
    'learning.answer.freeze_earned':
      '🧊 You earned a streak freeze: it covers a day without an answer on its own ({held} held, at most {max}).',
    'learning.answer.lesson_completed': '🏁 Lesson done: you answered at least half of its questions.',

    'learning.xp.right_answer': 'right answer +{xp} XP',
    'learning.xp.difficulty_bonus': '{difficulty, select, hard {hard question} other {medium question}} +{xp} XP',
    'learning.xp.wrong_answer': 'taking part +{xp} XP',
    'learning.xp.review_right': 'review right +{xp} XP',
    'learning.xp.review_wrong': 'review +{xp} XP',
    'learning.xp.streak_bonus': '{days}-day streak +{xp} XP',
    'learning.xp.already_answered': 'already answered, 0 XP',
    'learning.xp.quiz_closed': 'quiz closed, 0 XP',
    'learning.xp.practice': 'practice (answered before), 0 XP',
    'learning.quiz.nothing_seen':
      'You have answered every question of the lessons you have seen. Open the next lesson to read it before answering, or review the older ones.',
    'learning.xp.total': '{lines} = *{xp} XP*',
  },
);
