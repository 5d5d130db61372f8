/** What the bot says besides the flows' texts, in the client's language. */
export const FRONT_DOOR_TEXTS = {
  unsure: {
    ru: 'Точного ответа на этот вопрос у меня нет — уточню у менеджера. Чтобы поговорить с человеком сейчас, напишите «оператор».',
    en: 'I do not have an exact answer to that; I will check with a manager. To talk to a person now, write "operator".',
  },
} as const;
