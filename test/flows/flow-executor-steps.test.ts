import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnswerParser, type AnswerParser } from '../../flows/index.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { FlowExecutor } from '../../server/flows/flow-executor.js';
import { enqueueFlowEvent } from '../../server/flows/flow-jobs.js';
import { flowRunModel, type FlowRunRecord } from '../../server/flows/flow-run-model.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { noteModels } from '../../server/notes/note-models.js';
import { taskModel } from '../../server/tasks/task-model.js';
import { userModels } from '../../server/users/user-models.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { waitUntil } from '../wait-until.js';

/**
 * The steps the executor performs on other parts of the product: copying a deal, handing a
 * conversation to a person, tasks for a role or a team in turn, and ask answers read through the
 * pluggable AnswerParser. Real app, real Redis, flows uploaded through the API.
 */
describe('flow executor steps', () => {
  let api: TestApi;
  let admin: ApiClient;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    await installFlowTemplate(api.db, pino({ level: 'silent' }));
    admin = await api.as('admin');
    manager = await api.as('manager');
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const suffix = () => randomBytes(3).toString('hex');

  async function upload(yaml: string): Promise<string> {
    const id = /^id: (\S+)/.exec(yaml)?.[1] ?? '';
    const response = await admin.put(`/flows/${id}`, { yaml });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return id;
  }

  async function newContact(): Promise<string> {
    const created = await manager.post('/contacts', { name: `Клиент ${suffix()}` });
    return created.body.id;
  }

  function start(flowId: string, subject: { contactId: string; dealId?: string }) {
    return enqueueFlowEvent(api.app.services.queues, {
      id: `test-${suffix()}`,
      type: 'manual',
      flowId,
      by: api.users.admin.id,
      subject,
    });
  }

  async function settled(flowId: string, contactId: string): Promise<FlowRunRecord> {
    const Run = await flowRunModel(api.db);
    return waitUntil(`${flowId} settled`, async () => {
      const run = await Run.findOne({ flowId, contactId }).lean<FlowRunRecord>();
      return run && run.status !== 'active' && run.pending.length === 0 ? run : undefined;
    });
  }

  it('should copy the deal into another pipeline once and start the flows of the stage it lands in', async () => {
    const flowId = await upload(`id: copy-${suffix()}
name: { ru: Копия }
version: 1
runsPer: deal
triggers:
  - { type: manual }
steps:
  - { id: copy, type: copyDeal, pipeline: installments, stage: awaiting-payment }
`);
    const contactId = await newContact();
    const pipelines = (await manager.get('/pipelines')).body.items as { id: string; systemKey?: string }[];
    const sales = pipelines.find((item) => item.systemKey === 'sales')!;
    const installments = pipelines.find((item) => item.systemKey === 'installments')!;
    const deal = await manager.post('/deals', { title: `Окна ${suffix()}`, pipelineId: sales.id, contactId });
    await start(flowId, { contactId, dealId: deal.body.id });
    const run = await settled(flowId, contactId);
    expect(run.status).toBe('completed');
    expect(run.skipped).toEqual([]);
    const Deal = await dealModel(api.db);
    const copies = await Deal.find({ 'copiedFrom.dealId': deal.body.id }).lean();
    expect(copies).toHaveLength(1);
    expect(String(copies[0]!.pipelineId)).toBe(installments.id);
    expect(copies[0]!.stageId).toBe('awaiting-payment');
    expect((await Deal.findById(deal.body.id).lean())?.copies).toHaveLength(1);
    // The copy's arrival is a stage event: it reached the executor (no flow of this stage in the template, so no run).
    const Run = await flowRunModel(api.db);
    await waitUntil('the stage event applied', async () => {
      const again = await Run.findById(run._id).lean<FlowRunRecord>();
      return again ? true : undefined;
    });
  });

  it('should hand the conversation to the least busy manager with a note, and stop the bot', async () => {
    const flowId = await upload(`id: handoff-${suffix()}
name: { ru: Передача }
version: 1
triggers:
  - { type: manual }
steps:
  - id: to-person
    type: handoff
    assignee: { type: role, role: manager }
    note: { ru: 'Клиент просит позвонить' }
`);
    const contactId = await newContact();
    const conversation = await conversationModel(api.db).create({
      contactId,
      channel: 'telegram',
      channelAccountId: new Types.ObjectId(),
      chatId: String(randomInt(1_000_000, 9_999_999)),
      lastMessageAt: new Date(),
      handler: 'bot',
      status: 'pending',
    });
    await start(flowId, { contactId });
    const run = await settled(flowId, contactId);
    expect(run.skipped).toEqual([]);
    const after = await conversationModel(api.db).findById(conversation._id).lean();
    expect(after).toMatchObject({ handler: 'human', status: 'open' });
    expect(String(after?.assigneeId)).toBe(api.users.manager.id);
    const { Note } = noteModels(api.db);
    const notes = await Note.find({ conversationId: conversation._id }).lean();
    expect(notes.map((note) => note.text)).toEqual(['Клиент просит позвонить']);
  });

  it('should give tasks to a team in turn and to the least busy user of a role', async () => {
    // The template's install made the team "Замерщики" (key measurers).
    const team = await userModels(api.db).Team.findOne({ nameKey: 'замерщики' }).lean();
    expect(team).not.toBeNull();
    const teamIds = [String(team!._id)];
    const first = await api.createUser({ role: 'operator', name: 'Иван', teamIds });
    const second = await api.createUser({ role: 'operator', name: 'Пётр', teamIds });
    const busy = await api.createUser({ role: 'marketer', name: 'Занятая' });
    const idle = await api.createUser({ role: 'marketer', name: 'Свободная' });
    // The harness's own marketer is busy too: the idle one, created last, must win on the count.
    for (const assigneeId of [busy.id, api.users.marketer.id])
      await (
        await taskModel(api.db)
      ).create({ title: 'Дело', assigneeId, createdBy: { kind: 'user', id: assigneeId } });
    const flowId = await upload(`id: tasks-${suffix()}
name: { ru: Задачи }
version: 1
triggers:
  - { type: manual }
steps:
  - { id: one, type: createTask, title: { ru: Первый замер }, assignee: { type: team, team: measurers } }
  - { id: two, type: createTask, title: { ru: Второй замер }, assignee: { type: team, team: measurers } }
  - { id: three, type: createTask, title: { ru: Третий замер }, assignee: { type: team, team: measurers } }
  - { id: four, type: createTask, title: { ru: Рассылка }, assignee: { type: role, role: marketer } }
`);
    const contactId = await newContact();
    await start(flowId, { contactId });
    await settled(flowId, contactId);
    const tasks = await (await taskModel(api.db)).find({ contactId }).sort({ createdAt: 1, _id: 1 }).lean();
    const byTitle = Object.fromEntries(tasks.map((task) => [task.title, String(task.assigneeId)]));
    const turns = [byTitle['Первый замер'], byTitle['Второй замер'], byTitle['Третий замер']];
    expect(new Set(turns.slice(0, 2))).toEqual(new Set([first.id, second.id]));
    expect(turns[2]).toBe(turns[0]);
    expect(byTitle['Рассылка']).toBe(idle.id);
  });

  it('should read an ask answer through the AnswerParser the executor is given', async () => {
    const flowId = await upload(`id: ask-${suffix()}
name: { ru: Вопрос }
version: 1
triggers:
  - { type: manual }
steps:
  - id: how-many
    type: ask
    question: { ru: Сколько окон? }
    answer: number
    saveTo: vars.windows
    quietHours: ignore
  - { id: done, type: addTag, tags: [answered] }
`);
    const words: AnswerParser = {
      parseAnswer: (type, text, context) =>
        type === 'number' && text.trim() === 'четыре'
          ? { ok: true, value: 4 }
          : defaultAnswerParser.parseAnswer(type, text, context),
    };
    // A second executor with the parser, fed directly: the app's own worker never sees these events.
    const executor = new FlowExecutor(api.app.services, words);
    const contactId = await newContact();
    const subject = { contactId };
    await executor.handleEvent({ id: `ask-${suffix()}`, type: 'manual', flowId, by: api.users.admin.id, subject });
    const message = (text: string) => ({
      id: `msg-${suffix()}`,
      type: 'message.received' as const,
      subject,
      channel: 'telegram' as const,
      text,
      first: false,
    });
    await executor.handleEvent(message('много'));
    await executor.handleEvent(message('четыре'));
    const run = await settled(flowId, contactId);
    expect(run.status).toBe('completed');
    expect(run.state.vars).toEqual({ windows: 4 });
    expect(run.state.history.map((entry) => `${entry.step}: ${entry.result}`)).toEqual(
      expect.arrayContaining(['how-many: answer did not fit (1/2)', 'how-many: answered: 4']),
    );
  });
});
