import type { DomainFlowEvent } from '../../flows/engine/flow-event-schema.js';
import type { Snapshot } from '../../flows/engine/snapshot-schema.js';
import type { Clock } from '../../flows/engine/step.js';
import { flowFileSchema, type FlowDefinition, type FlowFileInput } from '../../flows/schema/flow-schema.js';
import { checkFlowFile } from '../../flows/validate/check-flow-file.js';
import { toFlowDefinitions } from '../../flows/validate/parse-flow-file.js';

type FlowInput = NonNullable<FlowFileInput['flows']>[number];
type WorkspaceInput = FlowFileInput['workspace'];

/** A workspace with one sales pipeline, a few fields and a team; Moscow time, quiet 21:00–09:00. */
export const TEST_WORKSPACE: WorkspaceInput = {
  name: { ru: 'Тест' },
  timeZone: 'Europe/Moscow',
  quietHours: { from: '21:00', to: '09:00' },
  pipelines: [
    {
      key: 'sales',
      name: { ru: 'Продажа' },
      kind: 'sales',
      stages: [
        { id: 'new', name: { ru: 'Новый' }, kind: 'open' },
        { id: 'measured', name: { ru: 'Замер' }, kind: 'open' },
        { id: 'won', name: { ru: 'Успех' }, kind: 'won' },
        { id: 'lost', name: { ru: 'Провал' }, kind: 'lost' },
      ],
      lostReasons: [{ id: 'expensive', name: { ru: 'Дорого', en: 'Too expensive' } }],
    },
    {
      key: 'installments',
      name: { ru: 'Рассрочки' },
      kind: 'other',
      stages: [
        { id: 'awaiting', name: { ru: 'Ожидание' }, kind: 'open' },
        { id: 'won', name: { ru: 'Погашено' }, kind: 'won' },
        { id: 'lost', name: { ru: 'Долг' }, kind: 'lost' },
      ],
    },
  ],
  fields: [
    { entity: 'deal', key: 'budget', label: { ru: 'Бюджет' }, type: 'number' },
    { entity: 'deal', key: 'measure_at', label: { ru: 'Замер' }, type: 'date' },
    { entity: 'deal', key: 'measurer_id', label: { ru: 'Замерщик' }, type: 'text' },
    { entity: 'contact', key: 'city', label: { ru: 'Город' }, type: 'text' },
  ],
  teams: [{ key: 'measurers', name: { ru: 'Замерщики' } }],
};

type FlowSketch = Partial<FlowInput> & Pick<FlowInput, 'steps'>;

/** Flows in the test workspace, validated like a file (schema and cross-references) and resolved. */
export function defineFlows(flows: FlowSketch[], workspace: Partial<WorkspaceInput> = {}): FlowDefinition[] {
  const file = flowFileSchema.parse({
    format: 1,
    workspace: { ...TEST_WORKSPACE, ...workspace },
    flows: flows.map((flow) => ({
      id: 'test-flow',
      name: { ru: 'Тест' },
      version: 1,
      triggers: [{ type: 'manual' }],
      ...flow,
    })),
  });
  const issues = checkFlowFile(file);
  if (issues.length > 0) throw new Error(`Invalid test flow: ${JSON.stringify(issues)}`);
  return toFlowDefinitions(file);
}

export function defineFlow(flow: FlowSketch, workspace: Partial<WorkspaceInput> = {}): FlowDefinition {
  const [definition] = defineFlows([flow], workspace);
  if (!definition) throw new Error('No flow');
  return definition;
}

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  private current: number;

  constructor(iso: string) {
    this.current = Date.parse(iso);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(iso: string): this {
    this.current = Date.parse(iso);
    return this;
  }
}

export const SUBJECT = { contactId: 'c1', dealId: 'd1', conversationId: 'conv1' };

export const SNAPSHOT: Snapshot = {
  contact: { id: 'c1', name: 'Анна', phone: '+79990001122', language: 'ru', tags: [] },
  deal: {
    id: 'd1',
    title: 'Окна',
    pipeline: 'sales',
    stage: 'new',
    status: 'open',
    ownerId: 'u1',
    fields: { budget: 150000 },
  },
  conversation: { id: 'conv1', channel: 'telegram', lastInboundAt: '2025-03-03T06:00:00.000Z' },
};

export function manual(snapshot: Snapshot = SNAPSHOT): Extract<DomainFlowEvent, { type: 'manual' }> {
  return { type: 'manual', subject: SUBJECT, flowId: 'test-flow', by: 'u1', snapshot };
}

export function message(
  text: string,
  extra: Partial<Extract<DomainFlowEvent, { type: 'message.received' }>> = {},
): DomainFlowEvent {
  return { type: 'message.received', subject: SUBJECT, channel: 'telegram', text, first: false, ...extra };
}
