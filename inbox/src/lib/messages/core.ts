/** The app frame: name, sign-in, the rail, roles. Russian is the source of truth; English has exactly its keys. */
export const coreRu = {
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
} as const satisfies Record<string, string>;

export const coreEn: Record<keyof typeof coreRu, string> = {
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
};
