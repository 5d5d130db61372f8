/** A place in the demo's funnels: a pipeline (by its systemKey) and one of its stage ids. */
export interface DemoStep {
  pipeline: 'sales' | 'deferred';
  stage: string;
}

export interface DemoDealSlot {
  /** The stages the deal went through, in order; the last one is where it is now. */
  path: DemoStep[];
  lostReason?: string;
  /** A won sale paid in installments: copied into installment control with a payment schedule. */
  installments?: 'on-track' | 'overdue' | 'paid-off';
}

const SALES_OPEN = [
  'data-collection',
  'proposal-sent',
  'measurement-scheduled',
  'measurer-assigned',
  'measurement-done',
  'contract-signed',
];

const salesUpTo = (stage: string): DemoStep[] =>
  SALES_OPEN.slice(0, SALES_OPEN.indexOf(stage) + 1).map((id) => ({ pipeline: 'sales', stage: id }));
const won: DemoStep[] = [...salesUpTo('contract-signed'), { pipeline: 'sales', stage: 'won' }];
const lostAfter = (stage: string): DemoStep[] => [...salesUpTo(stage), { pipeline: 'sales', stage: 'lost' }];
const deferred = (...stages: string[]): DemoStep[] => [
  ...salesUpTo('proposal-sent'),
  ...stages.map((stage): DemoStep => ({ pipeline: 'deferred', stage })),
];
const times = <T>(count: number, slot: T): T[] => Array.from({ length: count }, () => slot);

/**
 * The deals of the demo, one per client in this order: every stage of the sales funnel of seed
 * 001 has some, a few were lost with a reason, a few wait in deferred demand, and three won
 * sales were sold in installments (one paying on time, one overdue, one paid off).
 */
export const DEMO_DEAL_SLOTS: readonly DemoDealSlot[] = [
  { path: won, installments: 'on-track' },
  { path: won, installments: 'overdue' },
  { path: won, installments: 'paid-off' },
  ...times(3, { path: won }),
  ...times(3, { path: salesUpTo('contract-signed') }),
  ...times(3, { path: salesUpTo('measurement-done') }),
  ...times(2, { path: salesUpTo('measurer-assigned') }),
  ...times(3, { path: salesUpTo('measurement-scheduled') }),
  ...times(4, { path: salesUpTo('proposal-sent') }),
  ...times(4, { path: salesUpTo('data-collection') }),
  { path: lostAfter('proposal-sent'), lostReason: 'Дорого' },
  { path: lostAfter('measurement-done'), lostReason: 'Выбрал конкурента' },
  { path: lostAfter('data-collection'), lostReason: 'Не выходит на связь' },
  ...times(3, { path: deferred('next-contact-planned') }),
  ...times(2, { path: deferred('next-contact-planned', 'contacted') }),
];
