import type { COUNTERPARTY_TYPES } from '../companies/company-schemas.js';

export interface DemoCompany {
  name: string;
  /** An organisation (10-digit INN) or an individual entrepreneur (12 digits). */
  kind: 'organisation' | 'entrepreneur';
  /** The tax office code the INN starts with: 77xx Moscow, 50xx Moscow region, 71xx Tula. */
  taxOffice: string;
  counterpartyType: (typeof COUNTERPARTY_TYPES)[number];
  address: string;
  website?: string;
  phone?: string;
  email?: string;
  tags: string[];
}

/**
 * The counterparties of the window maker of seed 001: builders and hotels that order windows,
 * the suppliers of profiles and glass (partners), those who bring clients (agents) and the
 * rivals sales keeps an eye on (competitors, seed 002).
 */
export const DEMO_COMPANIES: readonly DemoCompany[] = [
  {
    name: 'ООО «ЭкоСтрой»',
    kind: 'organisation',
    taxOffice: '7719',
    counterpartyType: 'client',
    address: 'г. Москва, ул. Первомайская, д. 42, офис 305',
    website: 'https://ecostroy.example.ru',
    phone: '+7 495 214-56-70',
    email: 'zakaz@ecostroy.example.ru',
    tags: ['эко-дом', 'застройщик'],
  },
  {
    name: 'ООО «Зелёный квартал»',
    kind: 'organisation',
    taxOffice: '5017',
    counterpartyType: 'client',
    address: 'Московская обл., г. Истра, ул. Советская, д. 7',
    website: 'https://green-kvartal.example.ru',
    phone: '+7 498 318-22-41',
    tags: ['эко-дом', 'застройщик'],
  },
  {
    name: 'ООО «Тёплый дом»',
    kind: 'organisation',
    taxOffice: '5024',
    counterpartyType: 'client',
    address: 'Московская обл., г. Красногорск, Волоколамское ш., д. 1, стр. 2',
    email: 'info@teplydom.example.ru',
    tags: ['каркасные дома'],
  },
  {
    name: 'ИП Смирнов Алексей Петрович',
    kind: 'entrepreneur',
    taxOffice: '7705',
    counterpartyType: 'client',
    address: 'г. Москва, ул. Бахрушина, д. 18',
    tags: ['офис'],
  },
  {
    name: 'ООО «Коттеджный посёлок „Сосновый бор“»',
    kind: 'organisation',
    taxOffice: '5032',
    counterpartyType: 'client',
    address: 'Московская обл., Одинцовский г. о., д. Сосновка, ул. Лесная, д. 1',
    phone: '+7 495 640-11-09',
    tags: ['коттеджный посёлок', 'VIP'],
  },
  {
    name: 'АО «СтройИнвест»',
    kind: 'organisation',
    taxOffice: '7729',
    counterpartyType: 'client',
    address: 'г. Москва, Мичуринский пр-т, д. 31, корп. 2',
    website: 'https://stroyinvest.example.ru',
    tags: ['застройщик', 'VIP'],
  },
  {
    name: 'ЧОУ «Гимназия „Радуга“»',
    kind: 'organisation',
    taxOffice: '7736',
    counterpartyType: 'client',
    address: 'г. Москва, ул. Вавилова, д. 69',
    tags: ['тендер'],
  },
  {
    name: 'ИП Волкова Ольга Сергеевна',
    kind: 'entrepreneur',
    taxOffice: '7104',
    counterpartyType: 'client',
    address: 'г. Тула, пр-т Ленина, д. 85',
    tags: ['магазин'],
  },
  {
    name: 'ООО «Гостиница „Берёзка“»',
    kind: 'organisation',
    taxOffice: '5044',
    counterpartyType: 'client',
    address: 'Московская обл., г. Солнечногорск, ул. Банковская, д. 3',
    phone: '+7 496 262-70-15',
    tags: ['гостиница'],
  },
  {
    name: 'ООО «ПрофильСнаб»',
    kind: 'organisation',
    taxOffice: '7722',
    counterpartyType: 'partner',
    address: 'г. Москва, ул. Авиамоторная, д. 50, стр. 2',
    website: 'https://profilsnab.example.ru',
    email: 'opt@profilsnab.example.ru',
    tags: ['поставщик профиля'],
  },
  {
    name: 'ООО «Стеклокомплект»',
    kind: 'organisation',
    taxOffice: '5027',
    counterpartyType: 'partner',
    address: 'Московская обл., г. Люберцы, ул. Котельническая, д. 10',
    tags: ['поставщик стеклопакетов'],
  },
  {
    name: 'ООО «Агентство недвижимости „Новый адрес“»',
    kind: 'organisation',
    taxOffice: '7714',
    counterpartyType: 'agent',
    address: 'г. Москва, Ленинградский пр-т, д. 37',
    phone: '+7 495 150-33-44',
    tags: ['рекомендации'],
  },
  {
    name: 'ИП Николаев Игорь Владимирович',
    kind: 'entrepreneur',
    taxOffice: '5003',
    counterpartyType: 'agent',
    address: 'Московская обл., г. Дмитров, ул. Загорская, д. 12',
    tags: ['прораб', 'рекомендации'],
  },
  {
    name: 'ООО «ОкнаМастер»',
    kind: 'organisation',
    taxOffice: '7727',
    counterpartyType: 'competitor',
    address: 'г. Москва, Профсоюзная ул., д. 56',
    website: 'https://oknamaster.example.ru',
    tags: [],
  },
  {
    name: 'ООО «Фабрика окон „Престиж“»',
    kind: 'organisation',
    taxOffice: '5050',
    counterpartyType: 'competitor',
    address: 'Московская обл., г. Щёлково, Пролетарский пр-т, д. 4',
    tags: [],
  },
];
