export interface DemoLead {
  title: string;
  amount: number;
  owner: 'operator' | 'manager';
  /** Where the lead is in the leads pipeline: waiting, qualified (ready to convert), or closed. */
  stage: 'new' | 'qualified' | 'unqualified';
  lostReason?: string;
}

/** Fresh requests from every channel of seed 001, not yet qualified, ready to convert, or weeded out. */
export const DEMO_LEADS: readonly DemoLead[] = [
  { title: 'Заявка с сайта: окна в частный дом, Истра', amount: 240_000, owner: 'operator', stage: 'new' },
  { title: 'Звонок: замена окон в квартире, 3 шт.', amount: 75_000, owner: 'operator', stage: 'new' },
  { title: 'Авито: тёплое остекление балкона', amount: 95_000, owner: 'operator', stage: 'new' },
  { title: 'Telegram: вопрос о рассрочке на окна для дачи', amount: 0, owner: 'manager', stage: 'new' },
  { title: 'Форма «Рассчитать стоимость»: 7 окон в эко-дом', amount: 310_000, owner: 'operator', stage: 'qualified' },
  { title: 'Письмо: окна для гостевого дома, 12 шт.', amount: 520_000, owner: 'manager', stage: 'qualified' },
  {
    title: 'Заявка: ремонт деревянных окон',
    amount: 0,
    owner: 'operator',
    stage: 'unqualified',
    lostReason: 'Нецелевой запрос',
  },
  {
    title: 'Письмо: предложение SEO-продвижения сайта',
    amount: 0,
    owner: 'operator',
    stage: 'unqualified',
    lostReason: 'Спам',
  },
];
