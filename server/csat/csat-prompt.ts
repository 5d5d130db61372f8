import { CSAT_SCORES, csatButtonId } from './csat-payload.js';

const PROMPTS = {
  ru: 'Мы закрыли ваше обращение. Оцените, пожалуйста, как мы помогли: от 1 (плохо) до 5 (отлично).',
  en: 'We have closed your request. Please rate how we helped: from 1 (poor) to 5 (excellent).',
};

/** The rating request in the client's language: the text and one button per score. */
export function csatPrompt(
  conversationId: string,
  language: 'ru' | 'en' | undefined,
): { text: string; buttons: { id: string; text: string }[] } {
  return {
    text: PROMPTS[language ?? 'ru'],
    buttons: CSAT_SCORES.map((score) => ({ id: csatButtonId(conversationId, score), text: '★'.repeat(score) })),
  };
}

const THANKS = {
  ru: 'Спасибо за оценку! Если хотите, напишите одним сообщением, что понравилось или что нам улучшить.',
  en: 'Thank you for the rating! If you like, tell us in one message what went well or what we could do better.',
};

/** After the rating: thanks, and the invitation to comment (the next text message is taken as the comment). */
export function csatThanks(language: 'ru' | 'en' | undefined): { text: string } {
  return { text: THANKS[language ?? 'ru'] };
}
