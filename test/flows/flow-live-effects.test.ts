import { randomBytes, randomInt } from 'node:crypto';
import { pino } from 'pino';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueueFlowEvent } from '../../server/flows/flow-jobs.js';
import { flowRunModel, type FlowRunRecord } from '../../server/flows/flow-run-model.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { performFlowEffect } from '../../server/flows/perform-flow-effect.js';
import { inboxSocket, recordEvents } from '../api/inbox-fixture.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { waitUntil } from '../wait-until.js';

interface NotificationPush {
  notification: { id: string; kind: string; actor: { id: string; name: string } | null; preview: string };
}
interface DealPush {
  deal: { id: string; stageId: string; status: string; customFields: Record<string, unknown>; copiedFrom?: unknown };
}
interface TimelinePush {
  contactId: string;
  item: { kind: string; stage?: { dealId: string; to: { id: string }; by: { kind: string; name?: string } } };
}

/**
 * What flows do to people and deals reaches the inbox live, as a person's change does: notify
 * steps land in the bells of everyone they name, stage moves, closes, copies and field changes
 * reach the boards and the contact's timeline, the flow named as who did it. Real app and Redis.
 */
describe('flow effects in the live inbox', () => {
  let api: TestApi;
  let admin: ApiClient;
  let manager: ApiClient;
  let operator: ApiClient;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    await installFlowTemplate(api.db, pino({ level: 'silent' }));
    admin = await api.as('admin');
    manager = await api.as('manager');
    operator = await api.as('operator');
  }, 60_000);

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    await api?.close();
  });

  const suffix = () => randomBytes(3).toString('hex');

  const socketOf = async (client: ApiClient) => {
    const socket = await inboxSocket(api, client);
    sockets.push(socket);
    return socket;
  };

  async function upload(yaml: string): Promise<string> {
    const id = /^id: (\S+)/.exec(yaml)?.[1] ?? '';
    const response = await admin.put(`/flows/${id}`, { yaml });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return id;
  }

  async function salesDeal(ownerId: string) {
    const contact = await manager.post('/contacts', { name: `Клиент ${suffix()}`, ownerId });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const pipelines = (await manager.get('/pipelines')).body.items as { id: string; systemKey?: string }[];
    const sales = pipelines.find((item) => item.systemKey === 'sales')!;
    const deal = await manager.post('/deals', {
      title: `Окна ${suffix()}`,
      pipelineId: sales.id,
      contactId: contact.body.id,
      ownerId,
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    return { contactId: contact.body.id as string, dealId: deal.body.id as string };
  }

  async function runToEnd(flowId: string, subject: { contactId: string; dealId?: string }): Promise<FlowRunRecord> {
    await enqueueFlowEvent(api.app.services.queues, {
      id: `test-${suffix()}`,
      type: 'manual',
      flowId,
      by: api.users.admin.id,
      subject,
    });
    const Run = await flowRunModel(api.db);
    return waitUntil(`${flowId} settled`, async () => {
      const run = await Run.findOne({ flowId, contactId: subject.contactId }).lean<FlowRunRecord>();
      return run && run.status !== 'active' && run.pending.length === 0 ? run : undefined;
    });
  }

  it('should put a notify step in the bell of each user it names, live and once however often it is performed', async () => {
    const flowId = await upload(`id: tell-${suffix()}
name: { ru: Напоминание менеджерам, en: Reminder to managers }
version: 1
runsPer: deal
triggers:
  - { type: manual }
steps:
  - { id: managers, type: notify, to: { type: role, role: manager }, text: { ru: 'Лид {{contact.name}} ждёт' } }
  - { id: owner, type: notify, to: { type: owner }, text: { ru: 'Ваша сделка «{{deal.title}}»' } }
  - { id: by-mail, type: notify, to: { type: user, user: admin@test.local }, text: { ru: Проверьте сделку } }
`);
    const secondManager = await api.createUser({ role: 'manager', name: 'Вторая' });
    const heardByManager = recordEvents<NotificationPush>(await socketOf(manager), 'notification.created');
    const heardByOperator = recordEvents<NotificationPush>(await socketOf(operator), 'notification.created');
    const subject = await salesDeal(api.users.operator.id);

    const run = await runToEnd(flowId, subject);
    expect(run.skipped).toEqual([]);
    const fromFlow = (seen: NotificationPush[]) =>
      seen.filter((push) => push.notification.actor?.id === `flow:${flowId}`);
    await waitUntil('the manager and the owner hear it', () =>
      fromFlow(heardByManager).length === 1 && fromFlow(heardByOperator).length === 1 ? true : undefined,
    );
    expect(fromFlow(heardByManager)[0]!.notification).toMatchObject({
      kind: 'flow',
      actor: { name: 'Напоминание менеджерам' },
      preview: expect.stringMatching(/^Лид Клиент \w+ ждёт$/),
    });
    expect(fromFlow(heardByOperator)[0]!.notification.preview).toMatch(/^Ваша сделка «Окна \w+»$/);

    const bellOf = async (client: ApiClient) =>
      ((await client.get('/notifications')).body.items as NotificationPush['notification'][]).filter(
        (item) => item.actor?.id === `flow:${flowId}`,
      );
    const second = await api.login(secondManager.email, 'correct horse battery staple');
    expect(await bellOf(second)).toHaveLength(1);
    expect((await bellOf(admin)).map((item) => item.preview)).toEqual(['Проверьте сделку']);
    const managers = await bellOf(manager);
    expect(managers).toHaveLength(1);
    expect((await manager.get('/notifications')).body.unread).toBeGreaterThanOrEqual(1);

    // A retried effect (same id) adds nothing to anyone's bell.
    const notify = {
      id: `${run._id}.again`,
      stepId: 'managers',
      type: 'notify' as const,
      to: { type: 'role' as const, role: 'manager' as const },
      text: 'Повтор',
      contactId: subject.contactId,
    };
    await performFlowEffect(api.app.services, run, notify);
    await performFlowEffect(api.app.services, run, notify);
    expect((await bellOf(manager)).filter((item) => item.preview === 'Повтор')).toHaveLength(1);
    expect((await bellOf(second)).filter((item) => item.preview === 'Повтор')).toHaveLength(1);
  });

  it("should move, change, copy and close a deal the way a person does: boards and the contact's timeline hear it, named after the flow", async () => {
    const flowId = await upload(`id: moves-${suffix()}
name: { ru: Продвижение сделки, en: Deal progress }
version: 1
runsPer: deal
triggers:
  - { type: manual }
steps:
  - { id: measured, type: moveStage, stage: measurement-done }
  - { id: count, type: setField, path: deal.fields.window_count, value: 4 }
  - { id: copy, type: copyDeal, pipeline: installments, stage: awaiting-payment }
  - { id: won, type: markWon }
`);
    const boards = recordEvents<DealPush>(await socketOf(manager), 'deal.updated');
    const timeline = recordEvents<TimelinePush>(await socketOf(manager), 'timeline.item');
    const subject = await salesDeal(api.users.manager.id);

    const run = await runToEnd(flowId, subject);
    expect(run.skipped).toEqual([]);
    const ofDeal = () => boards.filter((push) => push.deal.id === subject.dealId).map((push) => push.deal);
    await waitUntil('the board hears the move, the field, the copy link and the close', () =>
      ofDeal().some((deal) => deal.status === 'won') ? true : undefined,
    );
    const seen = ofDeal();
    expect(seen.some((deal) => deal.stageId === 'measurement-done')).toBe(true);
    expect(seen.some((deal) => deal.customFields.window_count === 4)).toBe(true);
    expect(boards.some((push) => push.deal.copiedFrom !== undefined && push.deal.stageId === 'awaiting-payment')).toBe(
      true,
    );

    await waitUntil('the timeline hears both stage changes', () =>
      timeline.filter((push) => push.item.stage?.dealId === subject.dealId).length >= 2 ? true : undefined,
    );
    const stages = timeline
      .filter((push) => push.item.stage?.dealId === subject.dealId)
      .map((push) => push.item.stage!);
    expect(stages.map((stage) => stage.to.id)).toEqual(['measurement-done', 'won']);
    for (const stage of stages) expect(stage.by).toEqual({ kind: 'automation', name: 'Продвижение сделки' });
    expect(
      timeline.every((push) => push.contactId === subject.contactId || push.item.stage?.dealId !== subject.dealId),
    ).toBe(true);

    // The stored timeline names the flow too, and the flows of the stage it entered heard the move once.
    const stored = await manager.get(`/contacts/${subject.contactId}/timeline`);
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    const items = stored.body.items as TimelinePush['item'][];
    expect(items.find((item) => item.stage?.to.id === 'won')?.stage?.by).toEqual({
      kind: 'automation',
      name: 'Продвижение сделки',
    });
  });
});
