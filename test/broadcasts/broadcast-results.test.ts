import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkCode } from '../../server/broadcasts/tracked-links.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, type ApiClient, type ApiResponse, type TestApi } from '../api/api-harness.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { waitUntil } from '../wait-until.js';
import { insertContacts, randomTag, tagSegment, type ContactReach } from './broadcast-fixture.js';

/**
 * A broadcast's results against the Telegram stand-in: tracked short links (rewritten per
 * recipient, redirecting, counted once per person) and the leads, deals and revenue attributed
 * to it, with the cost per lead and the ROI.
 */
describe('broadcast results', () => {
  let api: TestApi;
  let admin: ApiClient;
  let marketer: ApiClient;
  let telegram: TelegramBotApiStandIn;
  let accountId = '';
  let nextUser = randomInt(20_000_000, 30_000_000);

  beforeAll(async () => {
    telegram = await startTelegramBotApi();
    api = await startTestApi({
      env: {
        TELEGRAM_API_ROOT: telegram.apiRoot,
        // A Redis database of its own: no other suite's workers take this app's jobs.
        REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}`,
      },
    });
    admin = await api.as('admin');
    marketer = await api.as('marketer');
    const bot = await admin.post('/channels', {
      type: 'telegram',
      name: 'Рассылки',
      token: telegram.token,
      ratePerSecond: 20,
    });
    expect(bot.status, JSON.stringify(bot.body)).toBe(201);
    accountId = bot.body.id;
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await telegram?.close();
  });

  const telegramReach = (count: number): ContactReach[] =>
    Array.from({ length: count }, () => ({ telegram: { accountId, userId: nextUser++ } }));

  /** Launches a Telegram broadcast to `count` new contacts and waits for it to complete. */
  async function sendBroadcast(
    count: number,
    variant: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; contactIds: Types.ObjectId[]; userIds: string[] }> {
    const reaches = telegramReach(count);
    const tag = randomTag();
    const contactIds = await insertContacts(api.db, tag, reaches);
    const segmentId = await tagSegment(api.db, tag, api.users.marketer.id);
    const created = await marketer.post('/broadcasts', {
      name: `Акция ${tag}`,
      segmentId,
      variants: { telegram: variant },
      channelOrder: ['telegram'],
      ...extra,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id: string = created.body.id;
    expect((await marketer.post(`/broadcasts/${id}/launch`)).status).toBe(200);
    await settled(id);
    return { id, contactIds, userIds: reaches.map((reach) => String(reach.telegram!.userId)) };
  }

  async function settled(id: string): Promise<ApiResponse['body']> {
    return waitUntil(
      `broadcast ${id} to complete`,
      async () => {
        const view = await marketer.get(`/broadcasts/${id}`);
        return view.body.status === 'completed' ? view.body : undefined;
      },
      30_000,
    );
  }

  const open = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${api.baseUrl}${path}`, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0', ...headers } });

  it('should rewrite links per recipient, redirect to the original and count a person once', async () => {
    const catalog = 'https://eco.test/catalog?utm_source=tg&utm_campaign=autumn';
    const { id, contactIds, userIds } = await sendBroadcast(2, {
      text: `Осенний каталог: ${catalog}. Звоните!`,
      buttons: [{ text: 'Записаться', url: 'https://eco.test/book' }],
    });
    const publicUrl = api.app.services.config.publicUrl.replace(/\/+$/, '');
    const texts = userIds.map((userId) => telegram.sent().find((message) => message.chatId === userId)?.text ?? '');
    const paths = texts.map((text) => {
      // The sentence's full stop stays after the link, outside it.
      const match = new RegExp(`^Осенний каталог: ${publicUrl}(/l/[A-Za-z0-9_-]{16})\\. Звоните!$`).exec(text);
      expect(match, text).not.toBeNull();
      return match![1]!;
    });
    expect(texts.join(' ')).not.toContain('eco.test');
    // Per recipient, and derived from (broadcast, contact, address): a resend makes the same link.
    expect(paths[0]).not.toBe(paths[1]);
    expect(paths[0]).toBe(`/l/${linkCode(api.app.services.config, id, contactIds[0]!.toHexString(), catalog)}`);
    // The URL button is tracked too (the stand-in keeps captions only: the stored message shows it).
    const stored = await api.db
      .collection('messages')
      .findOne({ contactId: contactIds[0], broadcastId: new Types.ObjectId(id) });
    expect(stored?.buttons?.[0]?.url).toMatch(new RegExp(`^${publicUrl}/l/[A-Za-z0-9_-]{16}$`));

    const first = await open(paths[0]!);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(catalog);
    // The same person again, then on the button: still one person who clicked.
    expect((await open(paths[0]!)).status).toBe(302);
    const button = await open(new URL(stored!.buttons[0].url).pathname);
    expect(button.headers.get('location')).toBe('https://eco.test/book');
    // Telegram's link preview fetches it without anyone tapping: redirected, not counted.
    const preview = await open(paths[1]!, { 'user-agent': 'TelegramBot (like TwitterBot)' });
    expect(preview.status).toBe(302);

    const view = (await marketer.get(`/broadcasts/${id}`)).body;
    expect(view.counts.clicked).toBe(1);
    expect(view.countsByChannel.telegram.clicked).toBe(1);
    // Every click is kept with its time.
    const clicks = await api.db
      .collection('broadcast_link_clicks')
      .find({ broadcastId: new Types.ObjectId(id) })
      .toArray();
    expect(clicks).toHaveLength(3);
    expect(clicks.every((click) => click.at instanceof Date)).toBe(true);

    expect((await open(paths[1]!)).status).toBe(302);
    expect((await marketer.get(`/broadcasts/${id}`)).body.counts.clicked).toBe(2);
  }, 40_000);

  it('should answer an unknown or malformed code with a 404 page in Russian and English', async () => {
    // Well formed but never issued, not a code at all, not even valid percent-encoding.
    for (const path of ['/l/AAAAAAAAAAAAAAAA', '/l/not-a-code', '/l/%E0%A4%A']) {
      const response = await open(path);
      expect(response.status, path).toBe(404);
      const page = await response.text();
      expect(page).toContain('Ссылка не найдена');
      expect(page).toContain('Link not found');
    }
  });

  it('should attribute a lead and a won deal to the broadcast and work out CPL and ROI', async () => {
    const { id, contactIds } = await sendBroadcast(
      2,
      { text: 'Скидка на проект дома до конца месяца' },
      { cost: { amount: 30_000, currency: 'RUB' } },
    );
    const pipelines = Object.values(await ensureDefaultPipelines(api.db));
    const sales = String(pipelines.find((pipeline) => pipeline.kind === 'sales')!._id);
    const leads = String(pipelines.find((pipeline) => pipeline.kind === 'leads')!._id);

    const deal = await admin.post('/deals', {
      title: 'Дом 120 м²',
      pipelineId: sales,
      amount: 120_000,
      contactId: contactIds[0]!.toHexString(),
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const lead = await admin.post('/deals', {
      title: 'Заявка на расчёт',
      pipelineId: leads,
      contactId: contactIds[1]!.toHexString(),
    });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    // A contact no broadcast reached: their deal is nobody's.
    const [stranger] = await insertContacts(api.db, randomTag(), telegramReach(1));
    const unrelated = await admin.post('/deals', {
      title: 'Баня',
      pipelineId: sales,
      amount: 500_000,
      contactId: stranger!.toHexString(),
    });
    expect(unrelated.status).toBe(201);

    await waitUntil('the lead and the deal to be counted', async () => {
      const view = await marketer.get(`/broadcasts/${id}`);
      return view.body.counts.leads === 2 ? true : undefined;
    });
    const won = await admin.post(`/deals/${deal.body.id}/won`);
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    // Won twice over (an edit after the win publishes it again): counted once.
    expect((await admin.patch(`/deals/${deal.body.id}`, { title: 'Дом 120 м², договор' })).status).toBe(200);
    expect((await admin.post(`/deals/${unrelated.body.id}/won`)).status).toBe(200);

    const view = await waitUntil('the win to be counted', async () => {
      const current = await marketer.get(`/broadcasts/${id}`);
      return current.body.counts.won === 1 ? current.body : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const final = (await marketer.get(`/broadcasts/${id}`)).body;
    expect(final.counts).toMatchObject({ leads: 2, deals: 1, won: 1, revenue: 120_000 });
    expect(final.countsByChannel.telegram).toMatchObject({ leads: 2, deals: 1, won: 1, revenue: 120_000 });
    // 30 000 ₽ for 2 leads: 15 000 ₽ a lead; (120 000 − 30 000) / 30 000 = 3, i.e. +300 %.
    expect(final.costPerLead).toBe(15_000);
    expect(final.roi).toBe(3);
    expect(view.counts.revenue).toBe(120_000);
    const unattributed = await api.db
      .collection('broadcast_attributions')
      .findOne({ dealId: new Types.ObjectId(unrelated.body.id) });
    expect(unattributed).toBeNull();
  }, 40_000);
});
