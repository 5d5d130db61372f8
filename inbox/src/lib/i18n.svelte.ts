/**
 * Every string a person sees in the inbox, in Russian (the source of truth) and English, plus the
 * current locale. The file carries `.svelte.ts` because Svelte compiles runes only in such modules.
 */

const ru = {
  'app.name': 'Funnel Inbox',
  'app.tagline': 'Все разговоры с клиентами и вся воронка продаж — в одном окне',
  'app.channels': 'Telegram · WhatsApp · ВКонтакте · чат на сайте · почта · SMS · звонки',
  'document.title': '{page} · Funnel Inbox',

  'locale.label': 'Язык интерфейса',

  'login.title': 'Вход',
  'login.heading': 'Вход в аккаунт',
  'login.intro': 'Войдите, чтобы отвечать клиентам и вести сделки.',
  'login.email': 'Электронная почта',
  'login.emailPlaceholder': 'anna@company.ru',
  'login.password': 'Пароль',
  'login.showPassword': 'Показать пароль',
  'login.submit': 'Войти',
  'login.submitting': 'Входим…',
  'login.error.emailRequired': 'Введите электронную почту',
  'login.error.emailInvalid': 'Проверьте адрес: он должен выглядеть как anna@company.ru',
  'login.error.passwordRequired': 'Введите пароль',
  'login.error.unavailable': 'Вход пока недоступен: сервис учётных записей появится в следующем обновлении',
  'login.error.wrongCredentials': 'Неверная электронная почта или пароль',
  'login.error.rateLimited': 'Слишком много попыток, попробуйте позже',
  'login.error.failed': 'Не удалось войти из-за ошибки на сервере. Попробуйте ещё раз',

  'nav.label': 'Разделы',
  'nav.inbox': 'Входящие',
  'nav.contacts': 'Контакты',
  'nav.deals': 'Сделки',
  'nav.tasks': 'Задачи',
  'nav.settings': 'Настройки',

  'section.inbox.about':
    'Здесь будут разговоры из Telegram, WhatsApp, ВКонтакте, чата на сайте, почты и SMS — в реальном времени.',
  'section.contacts.about': 'Здесь будут клиенты и вся история общения с каждым из них по всем каналам.',
  'section.deals.about': 'Здесь будет воронка продаж: сделки по этапам, суммы и сроки.',
  'section.tasks.about': 'Здесь будут задачи и напоминания для вас и ваших коллег.',
  'section.settings.about': 'Здесь будут каналы, сотрудники, роли и сценарии бота.',
  'section.soon': 'Скоро',
  'section.empty': 'Этот раздел появится в одном из следующих обновлений',

  'role.admin': 'Администратор',
  'role.manager': 'Руководитель',
  'role.operator': 'Оператор',
  'role.marketer': 'Маркетолог',

  'account.signOut': 'Выйти',

  'email.noSubject': '(без темы)',
  'email.from': 'От: {sender}',
  'email.autoReply': 'Автоответ',
  'email.showFull': 'Показать письмо целиком',
  'email.showShort': 'Свернуть письмо',
  'email.loading': 'Загружаем письмо…',
  'email.loadFailed': 'Не удалось загрузить письмо целиком. Попробуйте ещё раз',
  'email.htmlTitle': 'Письмо «{subject}»',
  'email.attachments': 'Вложения',
  'email.file': 'файл',
  'email.attachmentPending': 'загружается…',
  'email.attachmentRefused': 'не принят',

  'reply.placeholder': 'Напишите ответ…',
  'reply.send': 'Отправить',
  'reply.sending': 'Отправляем…',
  'reply.failed': 'Не удалось отправить: {reason}',
  'reply.tryAgain': 'попробуйте ещё раз',
  'reply.optedOut': 'Клиент отписался от SMS (ответил STOP): сообщения не отправляются, пока он не напишет START',
  'reply.readOnly': 'Звонки — это записи: ответить можно в другом канале клиента',

  'sms.segments': 'SMS: {count} · {encoding}',
  'sms.remaining': 'осталось {remaining} из {perSegment} знаков',
  'sms.unicode': 'Из-за символов {characters} в одном SMS до 70 знаков',

  'call.in': 'Входящий звонок',
  'call.out': 'Исходящий звонок',
  'call.outcome.answered': 'разговор состоялся',
  'call.outcome.missed': 'пропущен',
  'call.outcome.busy': 'занято',
  'call.outcome.failed': 'не прошёл',
  'call.numbers': '{from} → {to}',
  'call.duration': '{minutes} мин {seconds} с',
  'call.operator': 'Оператор: {name}',
  'call.recording': 'Запись разговора',
  'call.recordingPending': 'Запись разговора загружается…',
  'call.recordingFailed': 'Запись разговора недоступна',

  'inbox.list': 'Разговоры',
  'inbox.filter.all': 'Все',
  'inbox.filter.open': 'Открытые',
  'inbox.filter.pending': 'Ожидают',
  'inbox.filter.resolved': 'Решённые',
  'inbox.filter.status': 'Статус разговоров',
  'inbox.filter.channel': 'Канал',
  'inbox.filter.allChannels': 'Все каналы',
  'inbox.loadMore': 'Показать ещё',
  'inbox.loading': 'Загружаем…',
  'inbox.loadFailed': 'Не удалось загрузить. Попробуйте ещё раз',
  'inbox.retry': 'Повторить',
  'inbox.empty': 'Разговоров нет',
  'inbox.emptyFilter': 'Здесь пока пусто: новые разговоры появятся сами',
  'inbox.pick': 'Выберите разговор слева',
  'inbox.pickHint': 'Alt+↑ и Alt+↓ — предыдущий и следующий разговор',
  'inbox.unread': '{count} непрочитанных',
  'inbox.you': 'Вы: ',
  'inbox.noMessages': 'Сообщений пока нет',
  'inbox.unknownContact': 'Без имени',
  'inbox.back': 'К списку разговоров',
  'inbox.botHandling': 'Отвечает бот',
  'inbox.resolve': 'Решить',
  'inbox.reopen': 'Открыть снова',
  'inbox.changeFailed': 'Не удалось изменить разговор',
  'inbox.botHandlingHint': 'Бот квалифицирует клиента; ответ оператора прерывает сценарий',
  'inbox.unreachable': 'Клиент недоступен в этом канале',
  'inbox.loadEarlier': 'Показать раньше',
  'inbox.timeline': 'История общения',
  'inbox.contact': 'Контакт',

  'status.open': 'Открыт',
  'status.pending': 'Ожидает',
  'status.resolved': 'Решён',
  'status.snoozed': 'Отложен',

  'channel.telegram': 'Telegram',
  'channel.whatsapp': 'WhatsApp',
  'channel.webchat': 'Чат на сайте',
  'channel.vk': 'ВКонтакте',
  'channel.email': 'Почта',
  'channel.sms': 'SMS',
  'channel.voice': 'Звонки',

  'delivery.queued': 'В очереди на отправку',
  'delivery.sending': 'Отправляется',
  'delivery.sent': 'Отправлено',
  'delivery.delivered': 'Доставлено',
  'delivery.read': 'Прочитано',
  'delivery.failed': 'Не доставлено: {reason}',

  'message.bot': 'Бот',
  'message.location': 'Геопозиция',
  'message.openMap': 'Открыть на карте',
  'message.contactCard': 'Контакт',
  'message.buttonReply': 'Нажата кнопка',
  'message.file': 'Файл',
  'message.mediaPending': 'Файл загружается…',
  'message.mediaFailed': 'Файл недоступен',
  'message.image': 'Изображение',

  'timeline.note': 'Заметка · {author}',
  'timeline.systemNote': 'Событие',
  'timeline.task': 'Задача',
  'timeline.taskDone': 'Задача выполнена',
  'timeline.taskDue': 'срок {date}',
  'timeline.lead': 'Заявка · {source}',

  'contact.phones': 'Телефоны',
  'contact.emails': 'Эл. почта',
  'contact.identities': 'Каналы',
  'contact.source': 'Источник',
  'contact.tags': 'Теги',
  'contact.none': '—',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof ru;

/** Exactly the keys of `ru`: a missing or an extra key is a type error. */
const en: Record<MessageKey, string> = {
  'app.name': 'Funnel Inbox',
  'app.tagline': 'Every client conversation and your whole sales funnel in one place',
  'app.channels': 'Telegram · WhatsApp · VK · site chat · e-mail · SMS · calls',
  'document.title': '{page} · Funnel Inbox',

  'locale.label': 'Interface language',

  'login.title': 'Sign in',
  'login.heading': 'Sign in to your account',
  'login.intro': 'Sign in to answer clients and manage deals.',
  'login.email': 'E-mail',
  'login.emailPlaceholder': 'anna@company.com',
  'login.password': 'Password',
  'login.showPassword': 'Show password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.error.emailRequired': 'Enter your e-mail',
  'login.error.emailInvalid': 'Check the address: it should look like anna@company.com',
  'login.error.passwordRequired': 'Enter your password',
  'login.error.unavailable': 'Sign-in is not available yet: the accounts service arrives with the next update',
  'login.error.wrongCredentials': 'Wrong e-mail or password',
  'login.error.rateLimited': 'Too many attempts, try again later',
  'login.error.failed': 'Could not sign in because of a server error. Try again',

  'nav.label': 'Sections',
  'nav.inbox': 'Inbox',
  'nav.contacts': 'Contacts',
  'nav.deals': 'Deals',
  'nav.tasks': 'Tasks',
  'nav.settings': 'Settings',

  'section.inbox.about': 'Conversations from Telegram, WhatsApp, VK, the site chat, e-mail and SMS, in real time.',
  'section.contacts.about': 'Your clients and the whole history of talking to each of them, on every channel.',
  'section.deals.about': 'Your sales funnel: deals by stage, amounts and due dates.',
  'section.tasks.about': 'Tasks and reminders for you and your colleagues.',
  'section.settings.about': 'Channels, team members, roles and the bot’s scenarios.',
  'section.soon': 'Soon',
  'section.empty': 'This section arrives in a later update',

  'role.admin': 'Administrator',
  'role.manager': 'Manager',
  'role.operator': 'Operator',
  'role.marketer': 'Marketer',

  'account.signOut': 'Sign out',

  'email.noSubject': '(no subject)',
  'email.from': 'From: {sender}',
  'email.autoReply': 'Auto-reply',
  'email.showFull': 'Show full message',
  'email.showShort': 'Collapse message',
  'email.loading': 'Loading the message…',
  'email.loadFailed': 'Could not load the full message. Try again',
  'email.htmlTitle': 'Message “{subject}”',
  'email.attachments': 'Attachments',
  'email.file': 'file',
  'email.attachmentPending': 'loading…',
  'email.attachmentRefused': 'not accepted',

  'reply.placeholder': 'Write a reply…',
  'reply.send': 'Send',
  'reply.sending': 'Sending…',
  'reply.failed': 'Could not send: {reason}',
  'reply.tryAgain': 'try again',
  'reply.optedOut': 'The client opted out of SMS (replied STOP): nothing is sent until they write START',
  'reply.readOnly': 'Calls are records: reply on another of the client’s channels',

  'sms.segments': 'SMS: {count} · {encoding}',
  'sms.remaining': '{remaining} of {perSegment} characters left',
  'sms.unicode': 'Because of {characters}, one SMS holds up to 70 characters',

  'call.in': 'Incoming call',
  'call.out': 'Outgoing call',
  'call.outcome.answered': 'answered',
  'call.outcome.missed': 'missed',
  'call.outcome.busy': 'busy',
  'call.outcome.failed': 'failed',
  'call.numbers': '{from} → {to}',
  'call.duration': '{minutes} min {seconds} s',
  'call.operator': 'Operator: {name}',
  'call.recording': 'Call recording',
  'call.recordingPending': 'The call recording is being fetched…',
  'call.recordingFailed': 'The call recording is unavailable',

  'inbox.list': 'Conversations',
  'inbox.filter.all': 'All',
  'inbox.filter.open': 'Open',
  'inbox.filter.pending': 'Pending',
  'inbox.filter.resolved': 'Resolved',
  'inbox.filter.status': 'Conversation status',
  'inbox.filter.channel': 'Channel',
  'inbox.filter.allChannels': 'All channels',
  'inbox.loadMore': 'Load more',
  'inbox.loading': 'Loading…',
  'inbox.loadFailed': 'Could not load. Try again',
  'inbox.retry': 'Retry',
  'inbox.empty': 'No conversations',
  'inbox.emptyFilter': 'Nothing here yet: new conversations appear by themselves',
  'inbox.pick': 'Pick a conversation on the left',
  'inbox.pickHint': 'Alt+↑ and Alt+↓ move to the previous and next conversation',
  'inbox.unread': '{count} unread',
  'inbox.you': 'You: ',
  'inbox.noMessages': 'No messages yet',
  'inbox.unknownContact': 'No name',
  'inbox.back': 'Back to conversations',
  'inbox.botHandling': 'The bot is handling',
  'inbox.resolve': 'Resolve',
  'inbox.reopen': 'Reopen',
  'inbox.changeFailed': 'The conversation could not be changed',
  'inbox.botHandlingHint': 'The bot is qualifying the client; an operator’s reply interrupts the flow',
  'inbox.unreachable': 'The client cannot be reached on this channel',
  'inbox.loadEarlier': 'Load earlier',
  'inbox.timeline': 'Conversation history',
  'inbox.contact': 'Contact',

  'status.open': 'Open',
  'status.pending': 'Pending',
  'status.resolved': 'Resolved',
  'status.snoozed': 'Snoozed',

  'channel.telegram': 'Telegram',
  'channel.whatsapp': 'WhatsApp',
  'channel.webchat': 'Site chat',
  'channel.vk': 'VK',
  'channel.email': 'E-mail',
  'channel.sms': 'SMS',
  'channel.voice': 'Calls',

  'delivery.queued': 'Queued',
  'delivery.sending': 'Sending',
  'delivery.sent': 'Sent',
  'delivery.delivered': 'Delivered',
  'delivery.read': 'Read',
  'delivery.failed': 'Not delivered: {reason}',

  'message.bot': 'Bot',
  'message.location': 'Location',
  'message.openMap': 'Open on the map',
  'message.contactCard': 'Contact',
  'message.buttonReply': 'Tapped a button',
  'message.file': 'File',
  'message.mediaPending': 'The file is being fetched…',
  'message.mediaFailed': 'The file is unavailable',
  'message.image': 'Image',

  'timeline.note': 'Note · {author}',
  'timeline.systemNote': 'Event',
  'timeline.task': 'Task',
  'timeline.taskDone': 'Task done',
  'timeline.taskDue': 'due {date}',
  'timeline.lead': 'Lead · {source}',

  'contact.phones': 'Phones',
  'contact.emails': 'E-mails',
  'contact.identities': 'Channels',
  'contact.source': 'Source',
  'contact.tags': 'Tags',
  'contact.none': '—',
};

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Language names are shown in their own language, whatever the current locale. */
export const LOCALE_NAMES: Record<Locale, { name: string; short: string }> = {
  ru: { name: 'Русский', short: 'RU' },
  en: { name: 'English', short: 'EN' },
};

const dictionaries: Record<Locale, Record<MessageKey, string>> = { ru, en };

/** The names of a message's `{placeholders}`, so `t` demands exactly the parameters it needs. */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;
type Params<K extends MessageKey> = K extends MessageKey
  ? [Placeholders<(typeof ru)[K]>] extends [never]
    ? []
    : [params: Record<Placeholders<(typeof ru)[K]>, string | number>]
  : never;

const STORAGE_KEY = 'funnel-inbox.locale';

function isLocale(value: unknown): value is Locale {
  return LOCALES.some((locale) => locale === value);
}

function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : 'ru';
  } catch {
    // Storage can be switched off in the browser's privacy settings; Russian is the default then.
    return 'ru';
  }
}

const initial = storedLocale();
let current = $state<Locale>(initial);
document.documentElement.lang = initial;

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  current = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Without storage the choice lasts until the page is reloaded, which is still usable.
  }
}

export function t<K extends MessageKey>(key: K, ...[params]: Params<K>): string {
  const text = dictionaries[current][key];
  if (!params) return text;
  const values: Record<string, string | number> = params;
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) => String(values[name] ?? placeholder));
}
