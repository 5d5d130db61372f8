import type { Locale } from './visitor-payloads.js';

/** The demo site's copy: a plausible small builder, so the widget is seen where it will live. */
export const DEMO_PAGE_CONTENT: Record<
  Locale,
  {
    title: string;
    description: string;
    nav: string[];
    phone: string;
    badge: string;
    heading: string;
    lead: string;
    primary: string;
    secondary: string;
    stats: [string, string][];
    projectsTitle: string;
    projects: { name: string; area: string; price: string; tone: string }[];
    whyTitle: string;
    why: [string, string][];
    stepsTitle: string;
    steps: string[];
    footer: string;
    switchLabel: string;
    /** The link to the demo's Telegram sandbox page, shown when the demo has one. */
    telegram: string;
  }
> = {
  ru: {
    title: 'ЭкоДом — дома из клееного бруса под ключ',
    description: 'Проектируем и строим дома из клееного бруса для круглогодичного проживания.',
    nav: ['Проекты', 'Технология', 'Цены', 'Отзывы', 'Контакты'],
    phone: '+7 (495) 120-45-67',
    badge: 'Зима 2026–2027: фиксируем цену до весны',
    heading: 'Дома из клееного бруса под ключ',
    lead: 'Проектируем и строим тёплые дома для жизни круглый год. Своё производство в Костромской области, сборка за 4 месяца, гарантия 10 лет.',
    primary: 'Рассчитать стоимость',
    secondary: 'Смотреть проекты',
    stats: [
      ['12 лет', 'строим дома'],
      ['480+', 'семей уже живут'],
      ['от 4 мес.', 'до новоселья'],
    ],
    projectsTitle: 'Популярные проекты',
    projects: [
      { name: 'Сосновый 96', area: '96 м² · 2 спальни', price: 'от 5,9 млн ₽', tone: '#cfe3d3' },
      { name: 'Кедровый 142', area: '142 м² · 3 спальни · терраса', price: 'от 8,4 млн ₽', tone: '#e7dcc8' },
      { name: 'Озёрный 210', area: '210 м² · 4 спальни · второй свет', price: 'от 12,7 млн ₽', tone: '#d6e4ea' },
    ],
    whyTitle: 'Почему ЭкоДом',
    why: [
      ['Брус не даёт усадку', 'Клееный брус камерной сушки: можно въезжать сразу после сборки.'],
      ['Цена в договоре', 'Смета фиксируется до начала работ и не растёт по ходу стройки.'],
      ['Тепло зимой', 'Стены 200 мм и утеплённый контур: отопление дешевле, чем в кирпичном доме.'],
      ['Один подрядчик', 'Фундамент, коробка, кровля, инженерия и отделка — всё делаем сами.'],
    ],
    stepsTitle: 'Как мы работаем',
    steps: [
      'Встреча и выбор проекта',
      'Смета и договор с фиксированной ценой',
      'Производство комплекта',
      'Сборка и инженерия',
      'Новоселье',
    ],
    footer: '© 2026 ЭкоДом. Демо-сайт: чат в правом углу — виджет Funnel Inbox, подключённый одной строкой.',
    switchLabel: 'English version',
    telegram: 'Напишите ЭкоДому и в Telegram — в демо-песочнице →',
  },
  en: {
    title: 'EcoDom — turnkey glulam timber homes',
    description: 'We design and build glued laminated timber homes to live in all year round.',
    nav: ['Projects', 'Technology', 'Prices', 'Reviews', 'Contacts'],
    phone: '+7 (495) 120-45-67',
    badge: 'Winter 2026–27: prices fixed until spring',
    heading: 'Turnkey homes of glued laminated timber',
    lead: 'We design and build warm homes to live in all year round. Our own mill in the Kostroma region, assembly in 4 months, a 10-year warranty.',
    primary: 'Get a quote',
    secondary: 'See projects',
    stats: [
      ['12 years', 'of building'],
      ['480+', 'families moved in'],
      ['4 months', 'to housewarming'],
    ],
    projectsTitle: 'Popular projects',
    projects: [
      { name: 'Pine 96', area: '96 m² · 2 bedrooms', price: 'from 5.9M ₽', tone: '#cfe3d3' },
      { name: 'Cedar 142', area: '142 m² · 3 bedrooms · terrace', price: 'from 8.4M ₽', tone: '#e7dcc8' },
      { name: 'Lake 210', area: '210 m² · 4 bedrooms · double height', price: 'from 12.7M ₽', tone: '#d6e4ea' },
    ],
    whyTitle: 'Why EcoDom',
    why: [
      ['No shrinkage', 'Kiln-dried glulam: move in right after assembly.'],
      ['Price in the contract', 'The estimate is fixed before work starts and does not grow.'],
      ['Warm in winter', '200 mm walls and an insulated envelope: cheaper to heat than brick.'],
      ['One contractor', 'Foundation, frame, roof, utilities and finishing, all done by us.'],
    ],
    stepsTitle: 'How we work',
    steps: [
      'Meeting and choosing a project',
      'Estimate and a fixed-price contract',
      'Manufacturing the kit',
      'Assembly and utilities',
      'Housewarming',
    ],
    footer: '© 2026 EcoDom. A demo site: the chat in the corner is the Funnel Inbox widget, added with one tag.',
    switchLabel: 'Русская версия',
    telegram: 'Write to EcoDom on Telegram too — in the demo sandbox →',
  },
};
