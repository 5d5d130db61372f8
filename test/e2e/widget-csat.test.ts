import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { inboxSocket } from '../api/inbox-fixture.js';
import { waitUntil } from '../wait-until.js';
import { buildWidget, launchChromium, openPage } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const WIDGET = 'funnel-chat-widget';

/** CSAT in the site chat: resolving the conversation brings a row of stars to the visitor; a tap is the rating. */
describe('widget CSAT', () => {
  const widgetDir = mkdtempSync(join(tmpdir(), 'csat-widget-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildWidget(widgetDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ widgetDir })]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(widgetDir, { recursive: true, force: true });
  });

  it('should show five stars after the operator resolves, and count the tapped score', async () => {
    const admin = await api.as('admin');
    const channel = await admin.post('/channels', { type: 'webchat', name: 'Сайт', allowedOrigins: [api.baseUrl] });
    expect(channel.status).toBe(201);
    // An operator at the inbox: the widget offers the chat, not the offline form.
    const operator = await inboxSocket(api, admin);
    const visitor = await openPage(browser);
    try {
      await visitor.page.goto(`${api.baseUrl}/demo?channel=${channel.body.id}`);
      await visitor.page.getByRole('button', { name: 'Открыть чат' }).click();
      const chat = visitor.page.getByRole('dialog', { name: 'Напишите нам' });
      const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
      await input.fill('Спасибо, вопрос решён');
      await input.press('Enter');
      const conversation = await waitUntil('the conversation is stored', async () => {
        const list = await admin.get(`/conversations?channel=webchat`);
        return (list.body.items as { id: string; channelAccountId: string }[]).find(
          (item) => item.channelAccountId === channel.body.id,
        );
      });
      expect((await admin.patch(`/conversations/${conversation.id}`, { status: 'resolved' })).status).toBe(200);

      const stars = visitor.page.locator(`${WIDGET} .rating`);
      await stars.waitFor({ timeout: 10_000 });
      expect(await stars.getAttribute('aria-label')).toBe('Оцените, как мы помогли');
      expect(await stars.locator('.star').count()).toBe(5);
      await visitor.page.screenshot({ path: join(ARTIFACTS, 'widget-csat.png'), animations: 'disabled' });
      await stars.getByRole('button', { name: 'Оценка 5 из 5' }).click();
      await expect
        .poll(async () => (await admin.get('/csat/summary?channel=webchat')).body, { timeout: 10_000 })
        .toMatchObject({ count: 1, average: 5 });
      expect((await admin.get(`/conversations/${conversation.id}`)).body.status).toBe('resolved');
      expect(visitor.problems).toEqual([]);
    } finally {
      await visitor.close();
      operator.disconnect();
    }
  }, 90_000);
});
