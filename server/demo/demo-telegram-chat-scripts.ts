import { ASK_PRODUCT, GREET, HANDOVER, PRODUCTS } from './demo-chat-scripts.js';
import type { DemoChatScript } from './demo-chat-script.js';

/**
 * The demo's Telegram chats with its sandbox bot (`{name}`, `{operator}` as in the site chats):
 * six clients of the fifty who have no site chat, among them the two who came from Telegram, two
 * from Яндекс.Директ (so a segment of that source reaches everyone over the site chat and Telegram
 * together) and two with an open deal. A Telegram chat starts with /start, as the app sends it.
 */
export const DEMO_TELEGRAM_CHAT_SCRIPTS: readonly DemoChatScript[] = [
  {
    contact: 33,
    deal: 'none',
    status: 'open',
    handler: 'bot',
    endedHoursAgo: 0.3,
    lines: [
      { after: 0, from: 'client', text: '/start' },
      { after: 0, from: 'bot', text: GREET },
      { after: 0, from: 'bot', text: ASK_PRODUCT, buttons: PRODUCTS },
      { after: 2, from: 'client', text: 'Балкон', tapped: 'balcony' },
      { after: 0, from: 'bot', text: 'Какой у вас балкон: открытый или уже остеклён холодным алюминием?' },
    ],
  },
  {
    contact: 39,
    deal: 'none',
    status: 'open',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 1,
    lines: [
      { after: 0, from: 'client', text: '/start' },
      { after: 0, from: 'bot', text: GREET },
      { after: 1, from: 'client', text: 'оператор' },
      { after: 0, from: 'bot', text: HANDOVER },
      { after: 7, from: 'operator', text: 'Здравствуйте, {name}! Я {operator}. Чем могу помочь?' },
      { after: 4, from: 'client', text: 'Увидел ваш канал. Делаете ли вы окна со встроенными жалюзи?' },
      { after: 2, from: 'client', text: 'Нужно на кухню и в детскую.' },
    ],
  },
  {
    contact: 37,
    deal: 'none',
    status: 'resolved',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 30,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте! Не присылайте мне СМС, пожалуйста, удобнее здесь.' },
      {
        after: 9,
        from: 'operator',
        text: 'Здравствуйте, {name}! Отключили СМС, дальше пишем только в Telegram.',
      },
      { after: 2, from: 'client', text: 'Спасибо!' },
    ],
  },
  {
    contact: 44,
    deal: 'none',
    status: 'pending',
    handler: 'human',
    assignee: 'manager',
    endedHoursAgo: 6,
    lines: [
      { after: 0, from: 'client', text: 'Добрый день. Пришлите, пожалуйста, каталог профилей и цены за м².' },
      {
        after: 15,
        from: 'manager',
        text: 'Здравствуйте, {name}! Каталог подготовлю к вечеру. Подскажите, дом или квартира?',
      },
      { after: 20, from: 'client', text: 'Дом, два этажа, всего 11 окон.' },
      { after: 3, from: 'manager', text: 'Спасибо, пришлю расчёт на 11 окон вместе с каталогом.' },
    ],
  },
  {
    contact: 0,
    deal: 'installments/awaiting-payment',
    status: 'open',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 3,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте! Можно внести платёж по рассрочке через СБП?' },
      { after: 6, from: 'operator', text: 'Здравствуйте, {name}! Да, пришлю QR-код для оплаты сюда.' },
      { after: 45, from: 'client', text: 'Жду QR-код, спасибо.' },
    ],
  },
  {
    contact: 24,
    deal: 'sales/data-collection',
    status: 'open',
    handler: 'human',
    endedHoursAgo: 0.5,
    priority: 'high',
    lines: [
      {
        after: 0,
        from: 'client',
        text: 'Здравствуйте! Это по остеклению коттеджей: какие нужны документы для договора с ИП?',
      },
      { after: 0, from: 'bot', text: HANDOVER },
      { after: 5, from: 'client', text: 'И можно ли разбить оплату на два этапа?' },
    ],
  },
];
