import { randomBytes, randomInt } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolFollowUp } from '../../server/campaigns/enrol-follow-up.js';
import { followUpCampaignModel, type FollowUpCampaignRecord } from '../../server/campaigns/follow-up-campaign-model.js';
import { contactModels } from '../../server/contacts/contact-models.js';
import { FLOW_WAITS_QUEUE, jobIdOf } from '../../server/flows/flow-jobs.js';
import { flowRunModel, type FlowRunRecord } from '../../server/flows/flow-run-model.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { messageModel } from '../../server/messaging/message-model.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { insertContacts, tagSegment } from '../broadcasts/broadcast-fixture.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { waitUntil } from '../wait-until.js';

/**
 * Follow-up campaigns in the running app with real Redis and the store: a marketer starts a flow
 * with a manual trigger for a segment or a funnel stage, the flow engine runs it, the results come
 * from the runs. Time is moved on the way BullMQ keeps it: a run's wait is a delayed job, and
 * promoting it is the clock reaching the wait's moment ("3 days later" without waiting 3 days).
 */
describe('follow-up campaigns', () => {
  let telegram: TelegramBotApiStandIn;
  let api: TestApi;
  let admin: ApiClient;
  let manager: ApiClient;
  let marketer: ApiClient;
  let botId: string;
  const botSecret = randomBytes(18).toString('base64url');

  beforeAll(async () => {
    telegram = await startTelegramBotApi();
    api = await startTestApi({
      env: { TELEGRAM_API_ROOT: telegram.apiRoot, REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` },
    });
    await installFlowTemplate(api.db, pino({ level: 'silent' }));
    admin = await api.as('admin');
    manager = await api.as('manager');
    marketer = await api.as('marketer');
    const bot = await admin.post('/channels', {
      type: 'telegram',
      name: `Bot ${suffix()}`,
      token: telegram.token,
      webhookSecret: botSecret,
    });
    expect(bot.status, JSON.stringify(bot.body)).toBe(201);
    botId = bot.body.id;
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await telegram?.close();
  });

  function suffix() {
    return randomBytes(3).toString('hex');
  }

  async function upload(yaml: string) {
    const id = /^id: (\S+)/.exec(yaml)?.[1] ?? '';
    const response = await admin.put(`/flows/${id}`, { yaml });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }

  async function campaignRuns(campaignId: string): Promise<FlowRunRecord[]> {
    const Run = await flowRunModel(api.db);
    return Run.find({ campaignId }).lean<FlowRunRecord[]>();
  }

  /** The campaign's runs once `count` of them exist and none has effects left to perform. */
  async function settled(campaignId: string, count: number, ready: (run: FlowRunRecord) => boolean) {
    return waitUntil(`${count} settled runs`, async () => {
      const runs = await campaignRuns(campaignId);
      return runs.length === count && runs.every((run) => run.pending.length === 0 && ready(run)) ? runs : undefined;
    });
  }

  /** The clock reaches the run's next wait: its delayed job becomes due now. */
  async function timePasses(run: FlowRunRecord) {
    const queue = api.app.queues.queue(FLOW_WAITS_QUEUE);
    expect(run.state.waits.length).toBeGreaterThan(0);
    for (const wait of run.state.waits) {
      const job = await queue.getJob(jobIdOf(wait.id));
      expect(await job?.getState()).toBe('delayed');
      await job!.promote();
    }
  }

  async function tagsOf(contactId: string): Promise<string[]> {
    return (await contactModels(api.db).Contact.findById(contactId).lean())?.tags ?? [];
  }

  /** A client writes to the Telegram bot (the Bot API's Update), through the real webhook and intake. */
  async function clientWrites(chatId: number, text: string): Promise<string> {
    const hook = await fetch(`${api.baseUrl}/hooks/telegram/${botId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': botSecret },
      body: JSON.stringify({
        update_id: randomInt(1_000_000, 2_000_000_000),
        message: {
          message_id: randomInt(1, 1_000_000),
          date: Math.floor(Date.now() / 1000),
          from: { id: chatId, is_bot: false, first_name: 'Анна', language_code: 'ru' },
          chat: { id: chatId, first_name: 'Анна', type: 'private' },
          text,
        },
      }),
    });
    expect(hook.status).toBe(200);
    const stored = await waitUntil(
      'the stored message',
      async () => (await messageModel(api.db).findOne({ 'content.text': text }).lean()) ?? undefined,
    );
    return stored.contactId.toHexString();
  }

  async function pipelineOf(key: string): Promise<{ id: string }> {
    const pipelines = await manager.get('/pipelines');
    return pipelines.body.items.find((item: { systemKey?: string }) => item.systemKey === key);
  }

  it('should fire the steps of a segment follow-up while nobody replies, and stop the one whose client replies', async () => {
    const tag = `fu-${suffix()}`;
    const flowId = `proposal-nudge-${suffix()}`;
    await upload(`id: ${flowId}
name: { ru: Напоминание о КП, en: Proposal nudge }
version: 1
triggers:
  - { type: manual }
goals:
  - { id: answered, name: { ru: Ответил, en: Replied }, when: { path: contact.tags, op: contains, value: ${tag}-answered } }
steps:
  - { id: await-reply, type: waitFor, event: { type: message.received }, timeout: 3d, next: replied, onTimeout: remind }
  - { id: remind, type: addTag, tags: [${tag}-reminded] }
  - { id: await-again, type: waitFor, event: { type: message.received }, timeout: 4d, next: replied, onTimeout: offer }
  - { id: offer, type: addTag, tags: [${tag}-offered] }
  - { id: done, type: end }
  - { id: replied, type: notify, to: { type: owner }, text: { ru: 'Клиент ответил на напоминание' } }
  - { id: mark, type: addTag, tags: [${tag}-answered] }
`);
    // Anna and Boris wrote to the bot once; both are in the segment.
    const anna = randomInt(10 ** 8, 10 ** 9);
    const boris = randomInt(10 ** 8, 10 ** 9);
    const annaId = await clientWrites(anna, `Здравствуйте ${suffix()}`);
    const borisId = await clientWrites(boris, `Добрый день ${suffix()}`);
    for (const id of [annaId, borisId])
      expect((await manager.patch(`/contacts/${id}`, { tags: [tag] })).status).toBe(200);
    const segmentId = await tagSegment(api.db, tag, api.users.marketer.id);

    const started = await marketer.post('/campaigns/follow-ups', {
      name: 'КП без ответа',
      flowId,
      source: { kind: 'segment', segmentId },
      cost: { amount: 1500, currency: 'RUB' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toMatchObject({ status: 'running', source: { kind: 'segment', segmentId } });
    const campaignId: string = started.body.id;
    const runs = await settled(campaignId, 2, (run) => run.state.cursor === 'await-reply');
    expect(runs.map((run) => run.contactId).sort()).toEqual([annaId, borisId].sort());
    expect(runs[0]!.state.history[0]).toMatchObject({ code: 'started', params: { event: 'manual' } });

    // Anna answers within the three days: her sequence stops at its goal, the owner is told.
    await clientWrites(anna, `Да, посмотрела ${suffix()}`);
    const annaRun = await waitUntil('Anna at her goal', async () => {
      const run = (await campaignRuns(campaignId)).find((candidate) => candidate.contactId === annaId);
      return run?.status === 'exited' && run.pending.length === 0 ? run : undefined;
    });
    expect(annaRun.state).toMatchObject({ exitReason: 'goal', goalId: 'answered' });

    // Boris stays silent: three days later the reminder, four more the offer.
    const borisRun = (await campaignRuns(campaignId)).find((run) => run.contactId === borisId)!;
    await timePasses(borisRun);
    const reminded = await waitUntil('the reminder', async () => {
      const run = (await campaignRuns(campaignId)).find((candidate) => candidate.contactId === borisId);
      return run?.state.cursor === 'await-again' && run.pending.length === 0 ? run : undefined;
    });
    expect(await tagsOf(borisId)).toContain(`${tag}-reminded`);
    expect(await tagsOf(borisId)).not.toContain(`${tag}-offered`);
    await timePasses(reminded);
    await waitUntil('the offer', async () => {
      const run = (await campaignRuns(campaignId)).find((candidate) => candidate.contactId === borisId);
      return run?.status === 'completed' && run.pending.length === 0 ? run : undefined;
    });
    expect(await tagsOf(borisId)).toEqual(expect.arrayContaining([`${tag}-reminded`, `${tag}-offered`]));
    expect(await tagsOf(annaId)).not.toContain(`${tag}-reminded`);

    const results = (await marketer.get(`/campaigns/follow-ups/${campaignId}`)).body.results;
    expect(results).toMatchObject({
      enrolled: 2,
      active: 0,
      completed: 1,
      reachedGoal: 1,
      goals: { answered: 1 },
      replied: 1,
      exited: 0,
    });

    // Stopped and started again (a third client joined the segment meanwhile): only she is new.
    expect((await marketer.post(`/campaigns/follow-ups/${campaignId}/stop`)).body.status).toBe('stopped');
    const [vera] = await insertContacts(api.db, tag, [{}]);
    // An enrolment still queued when the campaign stopped starts nobody…
    const stopped = await (await followUpCampaignModel(api.db)).findById(campaignId).lean<FollowUpCampaignRecord>();
    await enrolFollowUp(api.app.services.queues, stopped!, [{ contactId: vera!.toHexString() }]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await campaignRuns(campaignId)).toHaveLength(2);
    // …and the next start reaches her.
    const again = await marketer.post(`/campaigns/follow-ups/${campaignId}/start`);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const all = await settled(campaignId, 3, () => true);
    expect(all.filter((run) => run.contactId === vera!.toHexString())).toHaveLength(1);
    expect(new Set(all.map((run) => run.contactId)).size).toBe(3);
  }, 60_000);

  it('should enrol the deals in a stage and those entering it while the campaign runs, and end them when stopped', async () => {
    const flowId = `stage-nudge-${suffix()}`;
    await upload(`id: ${flowId}
name: { ru: Дожим после КП, en: After the proposal }
version: 1
runsPer: deal
triggers:
  - { type: manual }
steps:
  - { id: pause, type: wait, for: 3d }
  - { id: nudge, type: addTag, tags: [nudged] }
`);
    const sales = await pipelineOf('sales');
    const contact = async () => (await manager.post('/contacts', { name: `Клиент ${suffix()}` })).body.id as string;
    const deal = async (stageId: string) => {
      const created = await manager.post('/deals', {
        title: `Окна ${suffix()}`,
        pipelineId: sales.id,
        stageId,
        contactId: await contact(),
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id as string;
    };
    const move = async (id: string, stageId: string) =>
      expect((await manager.post(`/deals/${id}/move`, { stageId })).status).toBe(200);

    const already = await deal('proposal-sent');
    // Passed through the stage before the campaign started: not there now, not enrolled.
    const passed = await deal('data-collection');
    await move(passed, 'proposal-sent');
    await move(passed, 'measurement-scheduled');

    const started = await marketer.post('/campaigns/follow-ups', {
      name: 'Дожим после КП',
      flowId,
      source: { kind: 'stage', pipelineId: sales.id, stageId: 'proposal-sent' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.source).toMatchObject({ stageId: 'proposal-sent', pipelineName: expect.any(String) });
    const campaignId: string = started.body.id;
    await settled(campaignId, 1, (run) => run.status === 'waiting');

    const later = await deal('data-collection');
    await move(later, 'proposal-sent');
    const runs = await settled(campaignId, 2, (run) => run.status === 'waiting');
    expect(runs.map((run) => run.dealId).sort()).toEqual([already, later].sort());

    // Back and forth through the stage: still one run per deal.
    await move(later, 'data-collection');
    await move(later, 'proposal-sent');

    const stopped = await marketer.post(`/campaigns/follow-ups/${campaignId}/stop`);
    expect(stopped.status).toBe(200);
    const ended = await settled(campaignId, 2, (run) => run.status === 'exited');
    expect(ended.map((run) => run.state.exitReason)).toEqual(['left', 'left']);
    expect(ended.every((run) => run.state.waits.length === 0)).toBe(true);

    const after = await deal('data-collection');
    await move(after, 'proposal-sent');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await campaignRuns(campaignId)).toHaveLength(2);
    const results = (await marketer.get(`/campaigns/follow-ups/${campaignId}`)).body.results;
    expect(results).toMatchObject({ enrolled: 2, active: 0, exited: 2, exits: { left: 2 } });
  }, 60_000);

  it('should count the results of each split variant apart', async () => {
    const tag = `ab-${suffix()}`;
    const flowId = `offer-ab-${suffix()}`;
    await upload(`id: ${flowId}
name: { ru: Два предложения, en: Two offers }
version: 1
triggers:
  - { type: manual }
goals:
  - { id: took-offer, when: { path: contact.tags, op: contains, value: ${tag}-took } }
steps:
  - id: which-offer
    type: split
    variants:
      - { id: discount, weight: 50, next: offer-discount }
      - { id: installments, weight: 50, next: offer-installments }
  - { id: offer-discount, type: addTag, tags: [${tag}-took] }
  - { id: offer-installments, type: addTag, tags: [${tag}-plain] }
`);
    await insertContacts(
      api.db,
      tag,
      Array.from({ length: 24 }, () => ({})),
    );
    const segmentId = await tagSegment(api.db, tag, api.users.marketer.id);
    const started = await marketer.post('/campaigns/follow-ups', {
      name: 'A/B',
      flowId,
      source: { kind: 'segment', segmentId },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const runs = await settled(started.body.id, 24, (run) => run.status === 'exited' || run.status === 'completed');
    const variantOf = (run: FlowRunRecord) =>
      run.state.history.find((entry) => entry.code === 'variant')?.params?.variant;
    const discount = runs.filter((run) => variantOf(run) === 'discount').length;
    expect(discount).toBeGreaterThan(0);
    expect(discount).toBeLessThan(24);

    const view = (await marketer.get(`/campaigns/follow-ups/${started.body.id}`)).body;
    expect(view.flow.splits).toEqual([{ step: 'which-offer', variants: ['discount', 'installments'] }]);
    expect(view.results).toMatchObject({ enrolled: 24, reachedGoal: discount, completed: 24 - discount });
    expect(view.results.variants).toEqual([
      expect.objectContaining({
        step: 'which-offer',
        variant: 'discount',
        enrolled: discount,
        reachedGoal: discount,
        goals: { 'took-offer': discount },
        completed: 0,
      }),
      expect.objectContaining({
        step: 'which-offer',
        variant: 'installments',
        enrolled: 24 - discount,
        reachedGoal: 0,
        completed: 24 - discount,
      }),
    ]);
  }, 60_000);

  it('should let marketers run follow-ups and keep operators out', async () => {
    const operator = await api.as('operator');
    const flows = await marketer.get('/campaigns/follow-ups/flows');
    expect(flows.status).toBe(200);
    const booking = flows.body.items.find((flow: { id: string }) => flow.id === 'book-consultation');
    expect(booking).toMatchObject({ name: { ru: expect.any(String), en: expect.any(String) }, runsPer: 'contact' });
    expect(flows.body.items.some((flow: { id: string }) => flow.id === 'proposal-followup')).toBe(false);
    expect((await marketer.get('/campaigns/follow-ups')).status).toBe(200);
    expect((await operator.get('/campaigns/follow-ups')).status).toBe(403);
    expect((await operator.get('/campaigns/follow-ups/flows')).status).toBe(403);
    const segmentId = await tagSegment(api.db, `x-${suffix()}`, api.users.marketer.id);
    const body = { name: 'Нельзя', flowId: 'book-consultation', source: { kind: 'segment', segmentId } };
    expect((await operator.post('/campaigns/follow-ups', body)).status).toBe(403);

    // A flow without a manual trigger is refused with a reason.
    const refused = await marketer.post('/campaigns/follow-ups', { ...body, flowId: 'proposal-followup' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'flow_not_manual', message: expect.stringContaining('manual') });
  });
});
