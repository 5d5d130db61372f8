import type { DemoChatScript } from './demo-chat-script.js';

// What the bot says, word for word from the window maker's template (flows/templates/windows.yaml)
// and the handover (bot/assistant/handoff/handoff-texts.ts), so the demo reads like the live bot.
export const GREET =
  'Здравствуйте! Я бот компании «Окна». Задам несколько вопросов, чтобы рассчитать стоимость и записать вас на консультацию. Чтобы позвать человека, напишите «оператор».';
export const ASK_PRODUCT = 'Что вас интересует?';
export const PRODUCTS = [
  { id: 'windows', text: 'Окна' },
  { id: 'balcony', text: 'Балкон' },
  { id: 'doors', text: 'Двери' },
] as const;
const ASK_COUNT = 'Сколько окон или проёмов нужно?';
const ASK_ADDRESS = 'Напишите адрес или район, где нужен замер.';
const ASK_WINDOWS = 'Чтобы подготовить предложение, подскажите, сколько окон нужно заменить?';
export const HANDOVER = 'Передаю ваш вопрос менеджеру — он ответит здесь, в этом чате.';

/**
 * The demo's site-chat conversations (`{name}`: the client's first name, `{windows}`: how many
 * windows their deal is for, `{operator}`: the demo operator's first name): nineteen clients of the fifty, each talking about where
 * their deal stands, in every state the inbox has (the operator's own open chats with unread
 * messages, the unassigned queue, pending, snoozed, resolved, one still with the bot).
 */
export const DEMO_CHAT_SCRIPTS: readonly DemoChatScript[] = [
  {
    contact: 1,
    deal: 'installments/overdue',
    status: 'snoozed',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 20,
    snoozeDays: 2,
    lines: [
      {
        after: 0,
        from: 'client',
        text: 'Здравствуйте! Пришло напоминание о платеже по рассрочке. Можно внести чуть позже?',
      },
      {
        after: 6,
        from: 'operator',
        text: 'Здравствуйте, {name}! Платёж просрочен на несколько дней. Когда вам удобно оплатить?',
      },
      { after: 15, from: 'client', text: 'Зарплата послезавтра, оплачу сразу — картой, как в прошлый раз.' },
      { after: 4, from: 'operator', text: 'Хорошо, отметил. Напомню послезавтра утром, реквизиты прежние.' },
      {
        after: 2,
        from: 'note',
        text: 'Обещал оплатить просроченный платёж послезавтра картой. Не оплатит — звонок и передать Елене.',
      },
    ],
  },
  {
    contact: 5,
    deal: 'sales/won',
    status: 'resolved',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 50,
    lines: [
      {
        after: 0,
        from: 'client',
        text: 'Здравствуйте! Окна поставили месяц назад, всё отлично. Как перевести фурнитуру в зимний режим?',
      },
      {
        after: 12,
        from: 'operator',
        text: 'Здравствуйте, {name}! Спасибо за отзыв. На торце створки есть эксцентрики: поверните их шестигранником так, чтобы метка смотрела к уплотнителю.',
      },
      { after: 30, from: 'client', text: 'Получилось, дуть перестало. Спасибо!' },
      { after: 3, from: 'operator', text: 'Рады помочь! Если что-то понадобится — пишите сюда.' },
    ],
  },
  {
    contact: 8,
    deal: 'sales/contract-signed',
    status: 'open',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 1,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте! Договор подписали, когда ждать производство?' },
      {
        after: 9,
        from: 'operator',
        text: 'Здравствуйте, {name}! Заказ передан в производство, изготовление — 10 рабочих дней. Монтажники позвонят за день до установки.',
      },
      { after: 2880, from: 'client', text: 'Здравствуйте! А можно установку на субботу?' },
      { after: 3, from: 'client', text: 'И ещё: подоконники привезут вместе с окнами?' },
    ],
  },
  {
    contact: 10,
    deal: 'sales/measurement-done',
    status: 'pending',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 26,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте, замерщик был вчера. Когда будет расчёт?' },
      {
        after: 14,
        from: 'operator',
        text: 'Здравствуйте, {name}! Расчёт по замеру готов: отправил смету и проект договора вам на почту.',
      },
      { after: 40, from: 'client', text: 'Спасибо, посмотрю вечером вместе с мужем.' },
      { after: 2, from: 'operator', text: 'Хорошо, ждём. Если будут вопросы по смете — пишите сюда.' },
    ],
  },
  {
    contact: 11,
    deal: 'sales/measurement-done',
    status: 'open',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 3,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте, замер сделали. Сколько выйдет, если добавить москитные сетки?' },
      {
        after: 10,
        from: 'operator',
        text: 'Здравствуйте, {name}! Сетка — 1 900 ₽ за окно с установкой. Добавить их в договор?',
      },
      { after: 95, from: 'client', text: 'Да, добавьте на все окна, кроме кухонного.' },
    ],
  },
  {
    contact: 13,
    deal: 'sales/measurer-assigned',
    status: 'resolved',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 30,
    lines: [
      {
        after: 0,
        from: 'client',
        text: 'Здравствуйте! Замерщик приедет в назначенное время? На даче нет точного адреса, только участок.',
      },
      {
        after: 7,
        from: 'operator',
        text: 'Здравствуйте, {name}! Да, замерщик позвонит за час до приезда. Пришлите, пожалуйста, номер участка и ориентир.',
      },
      { after: 20, from: 'client', text: 'СНТ «Берёзка», участок 47, зелёные ворота у водонапорной башни.' },
      { after: 3, from: 'operator', text: 'Спасибо, передал замерщику.' },
      { after: 1, from: 'note', text: 'Дача в СНТ «Берёзка», уч. 47: ориентир передан замерщику.' },
    ],
  },
  {
    contact: 14,
    deal: 'sales/measurement-scheduled',
    status: 'open',
    handler: 'human',
    endedHoursAgo: 0.5,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте! Подтверждаю замер, буду дома.' },
      { after: 11, from: 'manager', text: '{name}, спасибо! Замерщик позвонит накануне.' },
      { after: 4300, from: 'client', text: 'Здравствуйте! Можно перенести замер на выходные? Не успеваю с работы.' },
    ],
  },
  {
    contact: 16,
    deal: 'sales/measurement-scheduled',
    status: 'open',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 5,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте! На замере можно будет посмотреть образцы профиля?' },
      {
        after: 8,
        from: 'operator',
        text: 'Здравствуйте, {name}! Да, замерщик привезёт образцы профиля и стеклопакетов — выберете на месте.',
      },
      { after: 25, from: 'client', text: 'Отлично. А ламинацию под дерево тоже покажет?' },
      { after: 6, from: 'operator', text: 'Да, возьмёт каталог плёнок: золотой дуб, орех, мореный дуб.' },
    ],
  },
  {
    contact: 17,
    deal: 'sales/proposal-sent',
    status: 'open',
    handler: 'human',
    endedHoursAgo: 0.3,
    priority: 'high',
    labels: ['рассрочка'],
    lines: [
      {
        after: 0,
        from: 'bot',
        text: '{name}, удалось ознакомиться с коммерческим предложением? Будем рады ответить на вопросы и записать вас на бесплатный замер.',
        buttons: [
          { id: 'book-measurement', text: 'Записаться на замер' },
          { id: 'call-me', text: 'Перезвоните мне' },
        ],
      },
      { after: 50, from: 'client', text: 'Да, посмотрела. А рассрочка 0 % на этот заказ действует?' },
      { after: 1, from: 'bot', text: HANDOVER },
      { after: 2, from: 'client', text: 'И какой тогда первый взнос?' },
    ],
  },
  {
    contact: 19,
    deal: 'sales/proposal-sent',
    status: 'pending',
    handler: 'human',
    assignee: 'manager',
    endedHoursAgo: 22,
    lines: [
      {
        after: 0,
        from: 'client',
        text: 'Здравствуйте! Получил КП, спасибо. Если взять профиль попроще, насколько дешевле выйдет?',
      },
      {
        after: 16,
        from: 'manager',
        text: 'Здравствуйте, {name}! С трёхкамерным профилем — примерно на 12 % дешевле, но пятикамерный заметно теплее. Отправила оба расчёта на почту.',
      },
      { after: 35, from: 'client', text: 'Спасибо, обсудим с женой и вернусь.' },
      { after: 3, from: 'manager', text: 'Хорошо! Если удобно, приезжайте в шоурум — сравните профили вживую.' },
    ],
  },
  {
    contact: 20,
    deal: 'sales/proposal-sent',
    status: 'open',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 2,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте, хочу уточнить по коммерческому предложению.' },
      { after: 5, from: 'operator', text: 'Здравствуйте, {name}! Слушаю вас.' },
      { after: 3, from: 'client', text: 'В предложении белые окна. Можно снаружи ламинацию под серый антрацит?' },
      { after: 12, from: 'operator', text: 'Можно: наружная ламинация добавит около 15 % к стоимости. Пересчитать?' },
      { after: 1300, from: 'client', text: 'Да, пересчитайте, пожалуйста, для всех окон.' },
    ],
  },
  {
    contact: 22,
    deal: 'sales/data-collection',
    status: 'open',
    handler: 'human',
    endedHoursAgo: 4,
    lines: [
      { after: 0, from: 'bot', text: ASK_WINDOWS },
      { after: 25, from: 'client', text: 'Окон — {windows}, плюс балконный блок.' },
      { after: 1, from: 'client', text: 'А старые окна вы сами демонтируете и вывезете?' },
      { after: 1, from: 'bot', text: HANDOVER },
    ],
  },
  {
    contact: 23,
    deal: 'sales/data-collection',
    status: 'open',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 0.2,
    labels: ['эко-дом'],
    lines: [
      { after: 0, from: 'bot', text: ASK_WINDOWS },
      { after: 40, from: 'client', text: 'Дом новый, окна ставим впервые. Проёмов {windows}, плюс балконная дверь.' },
      {
        after: 20,
        from: 'operator',
        text: 'Здравствуйте, {name}! Я {operator}, веду ваш заказ. Из чего дом и какие примерно размеры проёмов?',
      },
      {
        after: 2,
        from: 'note',
        text: 'Новый дом, проёмов: {windows} + балконная дверь. Предложить энергосберегающие стеклопакеты: клиент строит эко-дом.',
      },
      { after: 1300, from: 'client', text: 'Дом из клеёного бруса.' },
      { after: 2, from: 'client', text: 'Размеры почти у всех 1200×1400, в санузлах 600×600, дверь 700×2100.' },
      { after: 1, from: 'client', text: 'Фото проёмов пришлю вечером.' },
    ],
  },
  {
    contact: 26,
    deal: 'sales/lost',
    status: 'resolved',
    handler: 'human',
    assignee: 'operator',
    endedHoursAgo: 60,
    lines: [
      {
        after: 0,
        from: 'operator',
        text: '{name}, здравствуйте! Подготовили договор по результатам замера. Когда вам удобно его подписать?',
      },
      {
        after: 180,
        from: 'client',
        text: 'Здравствуйте. Спасибо, но мы заказали у другой компании — у них вышло дешевле.',
      },
      { after: 10, from: 'operator', text: 'Жаль! Спасибо, что предупредили. Если будут вопросы по окнам — пишите.' },
      { after: 1, from: 'note', text: 'Отказ: выбрал конкурента, разница в цене около 10 %.' },
    ],
  },
  {
    contact: 29,
    deal: 'deferred/next-contact-planned',
    status: 'resolved',
    handler: 'human',
    assignee: 'manager',
    endedHoursAgo: 70,
    lines: [
      {
        after: 0,
        from: 'client',
        text: 'Здравствуйте! Решили отложить замену окон до весны — сейчас ремонт в другой части дома.',
      },
      {
        after: 15,
        from: 'manager',
        text: '{name}, поняла вас! Напишу, когда подойдёт время, — условия предложения сохраним.',
      },
      { after: 10, from: 'client', text: 'Договорились, спасибо.' },
    ],
  },
  {
    contact: 32,
    deal: 'deferred/contacted',
    status: 'snoozed',
    handler: 'human',
    assignee: 'manager',
    endedHoursAgo: 28,
    snoozeDays: 1,
    lines: [
      {
        after: 0,
        from: 'manager',
        text: '{name}, здравствуйте! Вы интересовались окнами в квартиру — это ещё актуально? Можем предложить обновлённое КП со скидкой.',
      },
      { after: 45, from: 'client', text: 'Здравствуйте! Да, актуально, давайте обсудим.' },
      {
        after: 5,
        from: 'manager',
        text: 'Отлично! Записала вас на онлайн-консультацию, ссылку пришлю в день встречи.',
      },
      { after: 3, from: 'client', text: 'Спасибо!' },
    ],
  },
  {
    contact: 35,
    deal: 'none',
    status: 'open',
    handler: 'bot',
    endedHoursAgo: 0.1,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте! Сколько стоят окна в частный дом?' },
      { after: 0, from: 'bot', text: GREET },
      { after: 0, from: 'bot', text: ASK_PRODUCT, buttons: PRODUCTS },
      { after: 1, from: 'client', text: 'Окна', tapped: 'windows' },
      { after: 0, from: 'bot', text: ASK_COUNT },
      { after: 2, from: 'client', text: 'Примерно 7' },
      { after: 0, from: 'bot', text: ASK_ADDRESS },
    ],
  },
  {
    contact: 40,
    deal: 'none',
    status: 'open',
    handler: 'human',
    endedHoursAgo: 1.5,
    lines: [
      {
        after: 0,
        from: 'client',
        text: 'Здравствуйте! Нужны окна в дом из газобетона, 9 штук. Какие сроки изготовления?',
      },
      { after: 0, from: 'bot', text: GREET },
      { after: 0, from: 'bot', text: ASK_PRODUCT, buttons: PRODUCTS },
      { after: 1, from: 'client', text: 'оператор' },
      { after: 0, from: 'bot', text: HANDOVER },
      { after: 2, from: 'client', text: 'Жду, спасибо.' },
    ],
  },
  {
    contact: 41,
    deal: 'none',
    status: 'resolved',
    handler: 'bot',
    endedHoursAgo: 96,
    lines: [
      { after: 0, from: 'client', text: 'Здравствуйте, вы работаете в выходные?' },
      {
        after: 0,
        from: 'bot',
        text: 'Мы работаем с понедельника по пятницу с 9:00 до 19:00, в субботу — с 10:00 до 16:00. Замерщик приезжает и по субботам.',
      },
      { after: 3, from: 'client', text: 'Спасибо, напишу позже.' },
    ],
  },
];
