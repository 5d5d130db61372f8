import { randomBytes, randomInt } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactModels } from '../../server/contacts/contact-models.js';
import { FLOW_WAITS_QUEUE, enqueueFlowEvent, jobIdOf } from '../../server/flows/flow-jobs.js';
import { flowRunModel, type FlowRunRecord } from '../../server/flows/flow-run-model.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { messageModel } from '../../server/messaging/message-model.js';
import { taskModel } from '../../server/tasks/task-model.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { waitUntil } from '../wait-until.js';

/**
 * The flow executor in the running app with real Redis: Telegram webhook → ingest → flow-events
 * queue → runs, effects, delayed wait jobs. Test flows are uploaded through the API with waits of
 * a few seconds and started by manual events on the real intake queue.
 */
describe('flow executor', () => {
  let telegram: TelegramBotApiStandIn;
  let api: TestApi;
  let admin: ApiClient;
  let manager: ApiClient;

  beforeAll(async () => {
    telegram = await startTelegramBotApi();
    api = await startTestApi({
      env: { TELEGRAM_API_ROOT: telegram.apiRoot, REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` },
    });
    await installFlowTemplate(api.db, pino({ level: 'silent' }));
    admin = await api.as('admin');
    manager = await api.as('manager');
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await telegram?.close();
  });

  const suffix = () => randomBytes(3).toString('hex');

  async function newContact(): Promise<string> {
    const created = await manager.post('/contacts', { name: `Клиент ${suffix()}` });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function upload(flowId: string, yaml: string) {
    return admin.put(`/flows/${flowId}`, { yaml });
  }

  function start(flowId: string, contactId: string) {
    return enqueueFlowEvent(api.app.services.queues, {
      id: `test-${suffix()}`,
      type: 'manual',
      flowId,
      by: api.users.admin.id,
      subject: { contactId },
    });
  }

  async function runOf(flowId: string, contactId: string): Promise<FlowRunRecord | undefined> {
    const Run = await flowRunModel(api.db);
    return (await Run.findOne({ flowId, contactId }).sort({ createdAt: -1 }).lean<FlowRunRecord>()) ?? undefined;
  }

  async function tagsOf(contactId: string): Promise<string[]> {
    const contact = await contactModels(api.db).Contact.findById(contactId).lean();
    return contact?.tags ?? [];
  }

  const waitFlow = (id: string, wait: string, tag: string) => `id: ${id}
name: { ru: Тест ожидания }
version: 1
triggers:
  - { type: manual }
steps:
  - { id: pause, type: wait, for: ${wait} }
  - { id: mark, type: addTag, tags: [${tag}] }
`;

  it('should list the installed template flows to managers and admins only', async () => {
    const list = await admin.get('/flows');
    expect(list.status).toBe(200);
    expect(list.body.template).toBe('windows');
    const lead = list.body.items.find((item: { id: string }) => item.id === 'lead-intake');
    expect(lead).toMatchObject({ enabled: true, version: 2, versions: [2], valid: true });
    expect((await manager.get('/flows')).status).toBe(200);
    expect((await (await api.as('operator')).get('/flows')).status).toBe(403);
    const one = await admin.get('/flows/lead-intake');
    expect(one.body).toMatchObject({ id: 'lead-intake', activeRuns: expect.any(Number) });
    expect(one.body.source).toContain('ask-product');
  });

  it('should enroll a Telegram client who writes first into the lead flow, greet them and ask what the message did not say', async () => {
    const secret = randomBytes(18).toString('base64url');
    const channel = await admin.post('/channels', {
      type: 'telegram',
      name: `Bot ${suffix()}`,
      token: telegram.token,
      webhookSecret: secret,
    });
    expect(channel.status).toBe(201);
    const chatId = randomInt(100_000_000, 999_999_999);
    const text = `Хочу поменять окна ${suffix()}`;
    const person = { id: chatId, is_bot: false, first_name: 'Анна', language_code: 'ru' };
    const hook = await fetch(`${api.baseUrl}/hooks/telegram/${channel.body.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify({
        update_id: randomInt(1_000_000, 2_000_000),
        message: {
          message_id: randomInt(1, 100_000),
          date: Math.floor(Date.now() / 1000),
          from: person,
          chat: { id: chatId, first_name: 'Анна', type: 'private' },
          text,
        },
      }),
    });
    expect(hook.status).toBe(200);
    const inbound = await waitUntil(
      'the stored message',
      async () => (await messageModel(api.db).findOne({ 'content.text': text }).lean()) ?? undefined,
    );
    const contactId = inbound.contactId.toHexString();
    // "Хочу поменять окна" says what is needed: the bot asks how many, not what.
    const run = await waitUntil('the lead run waiting for the number of windows', async () => {
      const found = await runOf('lead-intake', contactId);
      return found?.state.cursor === 'ask-count' && found.pending.length === 0 ? found : undefined;
    });
    expect(run.status).toBe('waiting');
    expect(run.state.history.map((entry) => entry.step)).toEqual(
      expect.arrayContaining(['trigger', 'ask-product', 'has-chat', 'greet', 'ask-count']),
    );
    // A person's task comes when the bot is done (or the client goes quiet), not before.
    expect(await (await taskModel(api.db)).find({ contactId }).lean()).toHaveLength(0);
    const greeting = await messageModel(api.db)
      .findOne({ conversationId: inbound.conversationId, direction: 'out' })
      .lean();
    expect(greeting?.dedupeKey).toMatch(/^flow\|/);
    await waitUntil('the greeting at Telegram', () =>
      telegram.sent().find((sent) => sent.chatId === String(chatId) && sent.text?.startsWith('Здравствуйте')),
    );
    // The question's timeout is a delayed job named by its wait id.
    const wait = run.state.waits.find((candidate) => candidate.kind === 'timeout');
    expect(wait?.stepId).toBe('ask-count');
    const job = await api.app.queues.queue(FLOW_WAITS_QUEUE).getJob(jobIdOf(wait!.id));
    expect(await job?.getState()).toBe('delayed');
    const history = await manager.get(`/contacts/${contactId}/flow-runs`);
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ flowId: 'lead-intake', flowVersion: 2, status: 'waiting' });
    expect(history.body.items[0].history.length).toBeGreaterThan(2);
  });

  it('should fire a wait when its time comes and go on with the next step', async () => {
    const flowId = `wait-${suffix()}`;
    expect((await upload(flowId, waitFlow(flowId, '2s', 'waited'))).status).toBe(200);
    const contactId = await newContact();
    await start(flowId, contactId);
    const waiting = await waitUntil('the run waiting', async () => {
      const run = await runOf(flowId, contactId);
      return run?.status === 'waiting' ? run : undefined;
    });
    expect(await tagsOf(contactId)).not.toContain('waited');
    const done = await waitUntil('the run completed', async () => {
      const run = await runOf(flowId, contactId);
      // Completed is stored with the last effects still in the outbox: wait for them too.
      return run?.status === 'completed' && run.pending.length === 0 ? run : undefined;
    });
    expect(await tagsOf(contactId)).toContain('waited');
    expect(Date.parse(done.state.updatedAt) - Date.parse(waiting.state.startedAt)).toBeGreaterThanOrEqual(1900);
    expect(done.state.history.map((entry) => `${entry.step}: ${entry.result}`)).toContain('pause: waited');
  });

  it('should cancel the wait of a run that exits before it, so it never fires', async () => {
    const flowId = `cancel-${suffix()}`;
    expect((await upload(flowId, waitFlow(flowId, '2s', 'too-late'))).status).toBe(200);
    const contactId = await newContact();
    await start(flowId, contactId);
    const waiting = await waitUntil('the run waiting', async () => {
      const run = await runOf(flowId, contactId);
      return run?.status === 'waiting' && run.pending.length === 0 ? run : undefined;
    });
    const waitId = waiting.state.waits[0]!.id;
    const queue = api.app.queues.queue(FLOW_WAITS_QUEUE);
    expect(await (await queue.getJob(jobIdOf(waitId)))?.getState()).toBe('delayed');
    await enqueueFlowEvent(api.app.services.queues, {
      id: `optout-${suffix()}`,
      type: 'contact.optedOut',
      subject: { contactId },
    });
    const exited = await waitUntil('the run exited', async () => {
      const run = await runOf(flowId, contactId);
      return run?.status === 'exited' && run.pending.length === 0 ? run : undefined;
    });
    expect(exited.state.exitReason).toBe('opted-out');
    expect(await queue.getJob(jobIdOf(waitId))).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await tagsOf(contactId)).not.toContain('too-late');
    expect((await runOf(flowId, contactId))?.state.history.at(-1)?.step).not.toBe('mark');
  });

  it('should finish a running run on its own version when a new one is uploaded', async () => {
    const flowId = `pin-${suffix()}`;
    expect((await upload(flowId, waitFlow(flowId, '3s', 'v1'))).status).toBe(200);
    const first = await newContact();
    await start(flowId, first);
    await waitUntil('the first run waiting', async () =>
      (await runOf(flowId, first))?.status === 'waiting' ? true : undefined,
    );
    const second = await upload(flowId, waitFlow(flowId, '1s', 'v2'));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ version: 2, versions: [2, 1] });
    const later = await newContact();
    await start(flowId, later);
    await waitUntil('both runs completed', async () => {
      const [a, b] = [await runOf(flowId, first), await runOf(flowId, later)];
      const settled = (run: FlowRunRecord | undefined) => run?.status === 'completed' && run.pending.length === 0;
      return settled(a) && settled(b) ? true : undefined;
    });
    expect((await runOf(flowId, first))?.flowVersion).toBe(1);
    expect(await tagsOf(first)).toEqual(['v1']);
    expect((await runOf(flowId, later))?.flowVersion).toBe(2);
    expect(await tagsOf(later)).toEqual(['v2']);
  });

  it('should start a flow when a person moves a deal into its stage, and show the run on the deal', async () => {
    const flowId = `stage-${suffix()}`;
    const yaml = `id: ${flowId}
name: { ru: Этап }
version: 1
runsPer: deal
triggers:
  - { type: stage.entered, pipeline: sales, stage: proposal-sent }
steps:
  - { id: mark, type: addTag, tags: [proposal] }
  - { id: measure, type: moveStage, stage: measurement-scheduled }
`;
    expect((await upload(flowId, yaml)).status).toBe(200);
    const contactId = await newContact();
    const pipelines = await manager.get('/pipelines');
    const sales = pipelines.body.items.find((item: { systemKey?: string }) => item.systemKey === 'sales');
    const deal = await manager.post('/deals', { title: `Окна ${suffix()}`, pipelineId: sales.id, contactId });
    expect(deal.status).toBe(201);
    expect((await manager.post(`/deals/${deal.body.id}/move`, { stageId: 'proposal-sent' })).status).toBe(200);
    const run = await waitUntil('the stage run completed', async () => {
      const found = await runOf(flowId, contactId);
      return found?.status === 'completed' && found.pending.length === 0 ? found : undefined;
    });
    expect(run.dealId).toBe(deal.body.id);
    expect(await tagsOf(contactId)).toContain('proposal');
    expect((await manager.get(`/deals/${deal.body.id}`)).body.stageId).toBe('measurement-scheduled');
    const history = await manager.get(`/deals/${deal.body.id}/flow-runs`);
    expect(history.status).toBe(200);
    // The template's own flows for the stage the test flow moved the deal to show up here too.
    const ours = history.body.items.filter((item: { flowId: string }) => item.flowId === flowId);
    expect(ours).toHaveLength(1);
    expect(ours[0].history.map((entry: { step: string }) => entry.step)).toEqual(
      expect.arrayContaining(['trigger', 'mark', 'measure']),
    );
  });

  it('should refuse an invalid flow with the line and column of each problem', async () => {
    const flowId = `bad-${suffix()}`;
    const yaml = `id: ${flowId}
name: { ru: Ошибка }
version: 1
triggers:
  - { type: manual }
steps:
  - { id: first, type: addTag, tags: [x], next: nowhere }
`;
    const response = await upload(flowId, yaml);
    expect(response.status).toBe(400);
    const [issue] = response.body.error.details.issues;
    expect(issue).toMatchObject({ line: 7 });
    expect(issue.column).toBeGreaterThan(1);
    expect(issue.message).toContain('nowhere');
    const broken = await upload(flowId, 'id: x\nname: [unclosed\n');
    expect(broken.status).toBe(400);
    expect(broken.body.error.details.issues[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
    expect((await admin.get(`/flows/${flowId}`)).status).toBe(404);
  });

  it('should switch a flow off and on', async () => {
    const flowId = `toggle-${suffix()}`;
    expect((await upload(flowId, waitFlow(flowId, '1s', 'toggled'))).status).toBe(200);
    expect((await admin.post(`/flows/${flowId}/disable`)).body).toMatchObject({ enabled: false });
    const contactId = await newContact();
    await start(flowId, contactId);
    const other = `wait-${suffix()}`;
    expect((await upload(other, waitFlow(other, '1s', 'other'))).status).toBe(200);
    // Events are applied in order: once a later event's run exists, the earlier one was handled.
    await start(other, contactId);
    await waitUntil('the later run', () => runOf(other, contactId));
    expect(await runOf(flowId, contactId)).toBeUndefined();
    expect((await admin.post(`/flows/${flowId}/enable`)).body).toMatchObject({ enabled: true });
    expect((await (await api.as('operator')).post(`/flows/${flowId}/enable`)).status).toBe(403);
  });
});
