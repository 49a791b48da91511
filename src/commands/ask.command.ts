import { z } from 'zod';
import { context, privately, safeText, text, truncate } from '../core/message.ts';
import { defineCommand } from '../runtime/command.ts';

/** Longer questions are cut before searching (the search cuts at 300 too); the echo stays short. */
const maxQuestion = 300;

export default defineCommand({
  id: 'ask',
  names: { 'pt-BR': 'perguntar', en: 'ask' },
  aliases: ['pergunta', 'buscar', 'busca', 'search', 'procurar'],
  summary: {
    'pt-BR': 'Procura nas lições a resposta para uma pergunta com as suas palavras.',
    en: 'Searches the lessons for the answer to a question in your own words.',
  },
  usage: { 'pt-BR': '<pergunta>', en: '<question>' },
  examples: {
    'pt-BR': ['perguntar como apagar uma imagem', 'perguntar o que é um volume'],
    en: ['ask how do I remove an image', 'ask what is a volume'],
  },
  parse: (_words, rest) => ({ question: rest }),
  args: z.object({ question: z.string().trim().min(1) }),
  async handler(ctx, { question }) {
    const { search, curriculum } = ctx.services;
    const query = question.slice(0, maxQuestion);
    const result = search.search(query, ctx.locale, ctx.channel ? { trackId: ctx.channel.trackId } : {});
    const asked = safeText(truncate(query, 120));
    if (!result.best) {
      const topics = search.suggestTopics(ctx.locale, 5).map((topic) => `- ${topic}`);
      return [
        privately({
          headline: ctx.t('common.ask.nothing_headline'),
          blocks: [text(ctx.t('common.ask.nothing', { question: asked })), text(topics.join('\n'))],
        }),
      ];
    }
    const lesson = curriculum.lesson(result.best.trackId, result.best.lessonId);
    if (!lesson) throw new Error(`search returned an unknown lesson ${result.best.trackId}/${result.best.lessonId}`);
    const blocks = [context(ctx.t('common.ask.for', { question: asked })), text(lesson.drop[ctx.locale])];
    if (lesson.code) blocks.push({ kind: 'code', lang: lesson.code.lang, source: lesson.code.source });
    if (result.others.length > 0) {
      blocks.push(text(`${ctx.t('common.ask.also')}\n${result.others.map((hit) => `- ${hit.title}`).join('\n')}`));
    }
    return [privately({ headline: lesson.title[ctx.locale], blocks })];
  },
});
