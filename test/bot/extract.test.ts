import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../bot/assistant/extract/extract-offline.js';
import { extractionSchema, type Extraction } from '../../bot/assistant/extract/extraction-schema.js';

// Thursday 26 November 2026, 10:00 in Moscow: every relative date below is read against it.
const context = { now: new Date('2026-11-26T10:00:00+03:00'), timeZone: 'Europe/Moscow' };

type Expected = Partial<Extraction> & { absent?: (keyof Extraction)[] };

const ROWS: [string, Expected][] = [
  // ---- windows (seed 001)
  [
    'Здравствуйте! Нужно поменять 3 окна в квартире, ул. Ленина, д. 5, кв. 12. Меня зовут Анна, телефон 8 (916) 123-45-67',
    {
      language: 'ru',
      phones: ['+79161234567'],
      name: 'Анна',
      quantities: [{ value: 3, unit: 'window' }],
      address: 'ул. Ленина, д. 5, кв. 12',
      intents: ['windows'],
    },
  ],
  [
    'Сколько стоит пластиковое окно? Можно в рассрочку?',
    { intents: ['windows', 'price', 'installments'], quantities: [] },
  ],
  [
    'хочу застеклить балкон, приезжайте завтра после обеда',
    {
      intents: ['balcony'],
      when: { date: '2026-11-27', time: '14:00', at: '2026-11-27T14:00:00+03:00', text: 'завтра' },
    },
  ],
  [
    'пять окон и балконная дверь',
    { quantities: [{ value: 5, unit: 'window' }], intents: ['windows', 'balcony', 'doors'] },
  ],
  [
    'Нужно 2 пластиковых окна и одна дверь',
    {
      quantities: [
        { value: 2, unit: 'window' },
        { value: 1, unit: 'door' },
      ],
    },
  ],
  [
    'в пятницу в 10 удобно',
    { when: { date: '2026-11-27', time: '10:00', at: '2026-11-27T10:00:00+03:00', text: 'в пятницу в 10' } },
  ],
  [
    'послезавтра утром',
    { when: { date: '2026-11-28', time: '10:00', at: '2026-11-28T10:00:00+03:00', text: 'послезавтра утром' } },
  ],
  ['через неделю', { when: { date: '2026-12-03', at: '2026-12-03T00:00:00+03:00', text: 'через неделю' } }],
  [
    'можно замер в субботу вечером?',
    {
      intents: ['measurement'],
      when: { date: '2026-11-28', time: '18:00', at: '2026-11-28T18:00:00+03:00', text: 'в субботу вечером' },
    },
  ],
  [
    'Давайте 15 декабря в 11:30',
    { when: { date: '2026-12-15', time: '11:30', at: '2026-12-15T11:30:00+03:00', text: '15 декабря в 11:30' } },
  ],
  [
    'сегодня в 3 сможете?',
    { when: { date: '2026-11-26', time: '15:00', at: '2026-11-26T15:00:00+03:00', text: 'сегодня в 3' } },
  ],
  ['какая гарантия на стеклопакеты?', { intents: ['windows', 'warranty'] }],
  ['до скольки вы работаете?', { intents: ['hours'] }],
  ['Какой у вас график работы в выходные', { intents: ['hours'] }],
  ['а доставка есть? сколько стоит привезти', { intents: ['price', 'delivery'] }],
  ['замер платный?', { intents: ['measurement'] }],
  ['Можно записаться на консультацию', { intents: ['booking'] }],
  ['Меня зовут Игорь Смирнов, 89031234567', { name: 'Игорь Смирнов', phones: ['+79031234567'] }],
  [
    'тел: 8-903-123-45-67, почта ivan@yandex.ru',
    { phones: ['+79031234567'], emails: ['ivan@yandex.ru'], language: 'ru' },
  ],
  ['+7 912 000 11 22 или 8 (495) 123-45-67', { phones: ['+79120001122', '+74951234567'] }],
  ['мой номер 9161234567', { phones: ['+79161234567'] }],
  ['С уважением, Ольга', { name: 'Ольга' }],
  ['Ольга Петрова, olga.petrova@mail.ru', { name: 'Ольга Петрова', emails: ['olga.petrova@mail.ru'], language: 'ru' }],
  ['меня зовут анна', { name: 'Анна' }],
  ['Это Дмитрий, нужно четыре окна на даче', { name: 'Дмитрий', quantities: [{ value: 4, unit: 'window' }] }],
  ['Я хочу окна поменять', { absent: ['name'], intents: ['windows'] }],
  ['Адрес: Москва, ул. Тверская, д. 7, кв. 3', { address: 'Москва, ул. Тверская, д. 7, кв. 3' }],
  ['живу в Митино, 3 окна', { address: 'Митино', quantities: [{ value: 3, unit: 'window' }] }],
  ['Приморский район, дом 3', { address: 'Приморский район, дом 3', absent: ['budget'] }],
  ['окна в мкр. Солнечный, когда можете приехать?', { address: 'мкр. Солнечный' }],
  [
    '8 окон и 2 двери, бюджет до 300 тысяч',
    {
      quantities: [
        { value: 8, unit: 'window' },
        { value: 2, unit: 'door' },
      ],
      budget: { amount: 300000, currency: 'RUB', upTo: true },
    },
  ],
  ['Позовите оператора', { intents: ['human'] }],
  ['/human', { intents: ['human'] }],
  ['хочу поговорить с живым человеком', { intents: ['human'] }],
  ['соедините с менеджером пожалуйста', { intents: ['human'] }],
  ['Можно оплатить частями?', { intents: ['installments'] }],
  ['3 окна', { quantities: [{ value: 3, unit: 'window' }], absent: ['budget', 'when'] }],
  ['нужно 12 окон в доме 2005 года', { quantities: [{ value: 12, unit: 'window' }], absent: ['when', 'budget'] }],
  // ---- ecostroy (seed 000)
  [
    'Хотим построить дом 120 м2, участок 10 соток, бюджет 3,5 миллиона',
    {
      intents: ['house'],
      quantities: [
        { value: 120, unit: 'sqm' },
        { value: 10, unit: 'sotka' },
      ],
      budget: { amount: 3500000, currency: 'RUB', upTo: false },
    },
  ],
  [
    'Каркасный дом в два этажа, бюджет около 7 млн, начать весной',
    {
      intents: ['house'],
      quantities: [{ value: 2, unit: 'floor' }],
      budget: { amount: 7000000, currency: 'RUB', upTo: false },
    },
  ],
  ['участок в СНТ Берёзка, строительство хотим летом', { intents: ['house'], address: 'СНТ Берёзка' }],
  ['Сколько стоит эко-дом под ключ? Есть ипотека?', { intents: ['house', 'price', 'installments'] }],
  ['бюджет до 5 млн руб', { budget: { amount: 5000000, currency: 'RUB', upTo: true } }],
  ['примерно 200 тыс', { budget: { amount: 200000, currency: 'RUB', upTo: false } }],
  ['около 1,5 млн', { budget: { amount: 1500000, currency: 'RUB', upTo: false } }],
  ['полтора миллиона рублей', { budget: { amount: 1500000, currency: 'RUB', upTo: false } }],
  ['пять миллионов', { budget: { amount: 5000000, currency: 'RUB', upTo: false } }],
  ['в пределах 2 500 000 ₽', { budget: { amount: 2500000, currency: 'RUB', upTo: true } }],
  [
    'дом 150 кв.м, 2 этажа',
    {
      quantities: [
        { value: 150, unit: 'sqm' },
        { value: 2, unit: 'floor' },
      ],
    },
  ],
  // ---- realty (seed 002)
  [
    'Ищу двушку в районе Кунцево, бюджет до 12 млн',
    {
      quantities: [{ value: 2, unit: 'room' }],
      budget: { amount: 12000000, currency: 'RUB', upTo: true },
      address: 'Кунцево',
    },
  ],
  ['Хочу продать квартиру на Васильевском острове', { intents: ['sell'] }],
  ['сдам квартиру на длительный срок', { intents: ['rent'] }],
  ['Хотим снять 3-комнатную квартиру', { intents: ['rent'], quantities: [{ value: 3, unit: 'room' }] }],
  ['Куплю однушку в ипотеку', { intents: ['buy', 'installments'], quantities: [{ value: 1, unit: 'room' }] }],
  [
    'Покупка квартиры, бюджет 9 млн, Приморский район',
    { intents: ['buy'], budget: { amount: 9000000, currency: 'RUB', upTo: false }, address: 'Приморский район' },
  ],
  // ---- English
  [
    "Hi, I'm John Smith, need 2 windows replaced, call me at +1 415 555 2671 next Monday 3pm",
    {
      language: 'en',
      name: 'John Smith',
      phones: ['+14155552671'],
      quantities: [{ value: 2, unit: 'window' }],
      when: { date: '2026-11-30', time: '15:00', at: '2026-11-30T15:00:00+03:00', text: 'next Monday 3pm' },
    },
  ],
  [
    'Budget is $50k, looking to rent a flat',
    { language: 'en', budget: { amount: 50000, currency: 'USD', upTo: false }, intents: ['rent'] },
  ],
  ['My name is Mary, email mary.jones@example.com', { name: 'Mary', emails: ['mary.jones@example.com'] }],
  ['How much does a balcony cost? Do you offer installments?', { intents: ['balcony', 'price', 'installments'] }],
  ['What are your opening hours?', { intents: ['hours'] }],
  [
    'tomorrow morning works',
    { when: { date: '2026-11-27', time: '10:00', at: '2026-11-27T10:00:00+03:00', text: 'tomorrow morning' } },
  ],
  ['in a week please', { when: { date: '2026-12-03', at: '2026-12-03T00:00:00+03:00', text: 'in a week' } }],
  ['Can I talk to a real person?', { intents: ['human'] }],
  [
    'We want to buy a 3 bedroom apartment, up to 20 million rubles',
    {
      intents: ['buy'],
      quantities: [{ value: 3, unit: 'room' }],
      budget: { amount: 20000000, currency: 'RUB', upTo: true },
    },
  ],
  [
    'five windows and three doors',
    {
      quantities: [
        { value: 5, unit: 'window' },
        { value: 3, unit: 'door' },
      ],
    },
  ],
  ['Is there a warranty on the doors?', { intents: ['doors', 'warranty'] }],
  [
    'on Friday at 10am',
    { when: { date: '2026-11-27', time: '10:00', at: '2026-11-27T10:00:00+03:00', text: 'on Friday at 10am' } },
  ],
];

describe('extractOffline', () => {
  it('should hold a table of at least 60 messages', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(ROWS)('should read %j', (text, expected) => {
    const { absent = [], ...fields } = expected;
    const extraction = extractOffline(text, context);
    expect(extractionSchema.parse(extraction)).toEqual(extraction);
    expect(extraction).toMatchObject(fields);
    for (const key of absent) expect(extraction[key], key).toBeUndefined();
  });

  it('should read dates in the given time zone', () => {
    const late = { now: new Date('2026-11-26T22:30:00Z'), timeZone: 'Asia/Vladivostok' };
    // 08:30 on Friday in Vladivostok: "завтра" is Saturday there.
    expect(extractOffline('завтра в 12', late).when).toMatchObject({
      date: '2026-11-28',
      at: '2026-11-28T12:00:00+10:00',
    });
  });

  it('should keep the language hint when there are no letters', () => {
    expect(extractOffline('+7 916 123 45 67', { ...context, languageHint: 'en' }).language).toBe('en');
  });
});
