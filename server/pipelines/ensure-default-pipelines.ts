import type { Connection } from 'mongoose';
import { pipelineModel, type PipelineRecord } from './pipeline-model.js';
import type { PipelineKind, Stage } from './pipeline-schema.js';

interface DefaultPipeline {
  systemKey: string;
  name: string;
  kind: PipelineKind;
  stages: Omit<Stage, 'order'>[];
  lostReasons: string[];
}

const WON_LOST = [
  { id: 'won', name: 'Успешно реализовано', kind: 'won' },
  { id: 'lost', name: 'Закрыто и не реализовано', kind: 'lost' },
] as const;

/** The funnels of the window maker in seed 001, with stable stage ids flows can refer to. */
export const DEFAULT_PIPELINES: readonly DefaultPipeline[] = [
  {
    systemKey: 'leads',
    name: 'Лиды',
    kind: 'leads',
    stages: [
      { id: 'new', name: 'Новый лид', kind: 'open' },
      { id: 'qualified', name: 'Квалифицирован', kind: 'open' },
      { id: 'converted', name: 'Сконвертирован', kind: 'won' },
      { id: 'unqualified', name: 'Некачественный лид', kind: 'lost' },
    ],
    lostReasons: ['Нецелевой запрос', 'Спам', 'Дубль', 'Не удалось связаться'],
  },
  {
    systemKey: 'sales',
    name: 'Продажа',
    kind: 'sales',
    stages: [
      { id: 'data-collection', name: 'Сбор данных', kind: 'open' },
      { id: 'proposal-sent', name: 'Коммерческое предложение отправлено', kind: 'open' },
      { id: 'measurement-scheduled', name: 'Замер запланирован', kind: 'open' },
      { id: 'measurer-assigned', name: 'Замерщик назначен', kind: 'open' },
      { id: 'measurement-done', name: 'Замер выполнен', kind: 'open' },
      { id: 'contract-signed', name: 'Договор подписан', kind: 'open' },
      ...WON_LOST,
    ],
    lostReasons: ['Дорого', 'Выбрал конкурента', 'Не выходит на связь', 'Передумал'],
  },
  {
    systemKey: 'deferred',
    name: 'Отложенный спрос',
    kind: 'other',
    stages: [
      { id: 'next-contact-planned', name: 'Дата связи запланирована', kind: 'open' },
      { id: 'contacted', name: 'Связались с клиентом', kind: 'open' },
      ...WON_LOST,
    ],
    lostReasons: ['Купил у другого', 'Потерял интерес', 'Не выходит на связь'],
  },
  {
    systemKey: 'installments',
    name: 'Контроль рассрочек',
    kind: 'other',
    stages: [
      { id: 'awaiting-payment', name: 'Ожидание платежа', kind: 'open' },
      { id: 'overdue', name: 'Просрочка', kind: 'open' },
      { id: 'won', name: 'Рассрочка погашена', kind: 'won' },
      { id: 'lost', name: 'Долг не погашен', kind: 'lost' },
    ],
    lostReasons: ['Отказ от оплаты', 'Передано взыскание'],
  },
];

/**
 * Makes sure the default pipelines exist, keyed by `systemKey`: an upsert that only inserts, so
 * running it again (or from two processes at once) changes nothing and never overwrites what an
 * admin renamed. Returns the pipelines by key.
 */
export async function ensureDefaultPipelines(db: Connection): Promise<Record<string, PipelineRecord>> {
  const Pipeline = await pipelineModel(db);
  const result: Record<string, PipelineRecord> = {};
  for (const definition of DEFAULT_PIPELINES) {
    const now = new Date();
    const insert = {
      name: definition.name,
      kind: definition.kind,
      stages: definition.stages.map((stage, order) => ({ ...stage, order })),
      lostReasons: definition.lostReasons,
      archived: false,
      createdAt: now,
      updatedAt: now,
    };
    const upsert = () =>
      Pipeline.findOneAndUpdate(
        { systemKey: definition.systemKey },
        { $setOnInsert: insert },
        // Timestamps are set by hand on insert: mongoose's would bump updatedAt on every run.
        { upsert: true, returnDocument: 'after', timestamps: false },
      ).lean<PipelineRecord>();
    // Two concurrent upserts can both try the insert; the unique index lets one win and the
    // other's retry then finds the winner's document.
    const pipeline = await upsert().catch((error: { code?: number }) => {
      if (error.code === 11000) return upsert();
      throw error;
    });
    if (pipeline) result[definition.systemKey] = pipeline;
  }
  return result;
}
