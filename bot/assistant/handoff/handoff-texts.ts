/** What the bot tells the client when a person takes over, in the client's language. */
export const HANDOFF_TEXTS = {
  now: {
    ru: 'Передаю ваш вопрос менеджеру — он ответит здесь, в этом чате.',
    en: 'I am passing your request to a manager; they will answer here, in this chat.',
  },
  later: {
    ru: 'Передаю ваш вопрос менеджеру. Сейчас мы не работаем — менеджер ответит {when}. Мы перезвоним вам.',
    en: 'I am passing your request to a manager. We are closed now; a manager will answer {when}. We will call you back.',
  },
  callBackTask: {
    ru: 'Перезвонить клиенту: просил связать с человеком',
    en: 'Call the client back: asked for a person',
  },
  summaryTitle: {
    ru: 'Бот передал разговор. Что известно:',
    en: 'The bot handed the conversation over. What we know:',
  },
  nothingKnown: { ru: 'Клиент ещё ничего о себе не рассказал.', en: 'The client has not told anything yet.' },
} as const;
