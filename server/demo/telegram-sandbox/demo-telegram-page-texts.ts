import type { Locale } from '../../../bot/webchat/visitor-payloads.js';

/** Everything /demo/telegram says, in both languages (the page and its script read the same). */
export const DEMO_TELEGRAM_PAGE_TEXTS: Record<Locale, Record<string, string>> = {
  ru: {
    title: 'Telegram — демо-песочница',
    badge: 'Демо-песочница',
    intro:
      'Это не настоящий Telegram, а его песочница внутри демо: вы — клиент, который пишет боту ЭкоДома. Сообщение придёт в инбокс как сообщение из Telegram, а ответы бота и операторов появятся здесь. Войдите в инбокс в другой вкладке, чтобы ответить себе.',
    chats: 'Чаты',
    you: 'Вы — новый клиент',
    yourName: 'Ваше имя в Telegram',
    defaultName: 'Гость',
    writeAs: 'Или пишите как клиент из демо:',
    bot: 'бот',
    message: 'Сообщение',
    send: 'Отправить',
    empty: 'Напишите боту, например: «Сколько стоят окна в частный дом?»',
    file: 'Файл',
    failed: 'Не отправилось',
    back: '← Сайт ЭкоДом с чатом',
    inbox: 'Открыть инбокс',
    switchLanguage: 'English',
  },
  en: {
    title: 'Telegram demo sandbox',
    badge: 'Demo sandbox',
    intro:
      'This is not the real Telegram but its sandbox inside the demo: you are a client writing to the EcoDom bot. Your message reaches the inbox as a Telegram message, and the replies of the bot and the operators show up here. Sign in to the inbox in another tab to answer yourself.',
    chats: 'Chats',
    you: 'You — a new client',
    yourName: 'Your Telegram name',
    defaultName: 'Guest',
    writeAs: 'Or write as a demo client:',
    bot: 'bot',
    message: 'Message',
    send: 'Send',
    empty: 'Write to the bot, for example: "How much are windows for a house?"',
    file: 'File',
    failed: 'Not sent',
    back: '← EcoDom site with the chat',
    inbox: 'Open the inbox',
    switchLanguage: 'Русский',
  },
};
