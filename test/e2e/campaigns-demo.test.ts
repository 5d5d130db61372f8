import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/demo-accounts.js';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { messageModel } from '../../server/messaging/message-model.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { buildInbox, launchChromium, openPage } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/**
 * The demo as a new marketer finds it after `npm start`: Мария (marketer@demo.local) signs in with
 * the demo password, builds a segment over the seeded clients by their source and sees it counted,
 * then launches a broadcast on the site chat and SMS. The demo seeds the site chat with the chats
 * of nineteen clients (server/demo/demo-chat-scripts.ts): of the eleven who came from Яндекс.Директ,
 * nine have one and get the message in their chat history, whether their widget is open or not;
 * the two without one, and no SMS account, show as skipped with the reason.
 */
describe('inbox campaigns on the demo workspace', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'campaigns-demo-inbox-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir, demoData: true })]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should let the demo marketer count a segment of the seeded clients and run a broadcast to it', async () => {
    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 900 });
      // The harness's signIn knows the test users' password; the demo accounts have their own.
      await page.goto(api.baseUrl, { timeout: 20_000 });
      await page.getByLabel('Электронная почта').fill('marketer@demo.local');
      await page.getByLabel('Пароль', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Войти', exact: true }).click();
      await page
        .getByRole('navigation', { name: 'Разделы', exact: true })
        .getByRole('link', { name: 'Рассылки' })
        .click();

      await page.getByRole('navigation', { name: 'Разделы рассылок' }).getByRole('link', { name: 'Сегменты' }).click();
      await page.getByRole('link', { name: 'Новый сегмент' }).click();
      const builder = page.getByRole('form', { name: 'Условия сегмента' });
      await builder.getByLabel('Название').fill('Из Яндекс.Директа');
      await builder.getByLabel('Поле условия 1').selectOption('source');
      // An unfinished condition is left out of the count: first the whole base, then the source narrows it.
      const count = page.getByTestId('segment-count');
      await page.getByTestId('segment-preview').getByText('Не заполнено условий: 1', { exact: false }).waitFor();
      await expect.poll(async () => Number(await count.textContent()), { timeout: 15_000 }).toBeGreaterThan(0);
      const everyone = Number(await count.textContent());
      await builder.getByLabel('Значение условия 1').fill('Яндекс.Директ');
      await expect
        .poll(async () => Number(await count.textContent()), { timeout: 15_000 })
        .toSatisfy((value: number) => value > 0 && value < everyone);
      const audience = Number(await count.textContent());
      expect(audience).toBe(11);
      await page.screenshot({ path: join(ARTIFACTS, 'campaigns-demo-segment.png'), animations: 'disabled' });
      await builder.getByRole('button', { name: 'Сохранить сегмент' }).click();
      await builder.getByRole('status').waitFor();

      await page.getByRole('link', { name: 'Сделать рассылку по сегменту' }).click();
      const composer = page.getByRole('form', { name: 'Рассылка' });
      await composer.getByTestId('audience').getByText(`Контактов в сегменте сейчас: ${audience}`).waitFor();
      await composer.getByLabel('Название').fill('Рассрочка 0 %: напоминание');
      await composer.getByRole('button', { name: 'Убрать Telegram' }).click();
      await composer.getByRole('button', { name: '+ Чат на сайте' }).click();
      await composer.getByRole('button', { name: '+ SMS' }).click();
      await composer.getByRole('tabpanel').getByLabel('Текст').fill('Окна в рассрочку 0 % до конца месяца');
      await composer.getByRole('tab', { name: 'SMS' }).click();
      await composer.getByRole('tabpanel').getByLabel('Текст').fill('ЭкоДом: окна в рассрочку 0 % до конца месяца');
      await composer.getByRole('button', { name: 'Запустить' }).click();
      await composer.getByRole('button', { name: 'Да, запустить' }).click();

      const progress = page.getByTestId('broadcast-progress');
      await progress.waitFor();
      await page.locator('h2 [data-status="completed"]').waitFor({ timeout: 30_000 });
      expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
      const results = page.getByTestId('broadcast-results');
      await expect.poll(() => results.locator('[data-count="audience"] strong').textContent()).toBe(String(audience));
      await expect.poll(() => results.locator('[data-count="sent"] strong').textContent()).toBe('9');
      expect(await results.locator('[data-count="skipped"] strong').textContent()).toBe('2');
      expect(await results.locator('[data-count="failed"] strong').textContent()).toBe('0');
      // The site chat never confirms delivery: unknown, not "0 %".
      expect(await results.locator('[data-count="delivered"] strong').textContent()).toBe('—');
      expect(await results.locator('[data-count="read"] strong').textContent()).toBe('—');
      const recipients = page.getByTestId('broadcast-recipients');
      await recipients.locator('tbody tr').first().waitFor({ timeout: 10_000 });
      await expect.poll(() => recipients.locator('tbody tr[data-status="skipped"]').count()).toBe(2);
      await expect
        .poll(() => recipients.locator('tbody tr[data-status="skipped"]').first().textContent())
        .toContain('нет связи ни в одном подключённом канале рассылки');
      // Sent into each client's site chat: stored in the visitor's conversation, which the widget's history reads.
      const sent = await messageModel(api.db)
        .find({ broadcastId: { $exists: true } })
        .lean();
      expect(sent.map((message) => message.status)).toEqual(Array.from({ length: 9 }, () => 'sent'));
      const chats = await conversationModel(api.db)
        .find({ _id: { $in: sent.map((message) => message.conversationId) } })
        .lean();
      expect(chats.map((chat) => chat.channel)).toEqual(Array.from({ length: 9 }, () => 'webchat'));
      for (const message of sent)
        expect(message.content).toEqual({ kind: 'text', text: 'Окна в рассрочку 0 % до конца месяца' });
      await page.screenshot({ path: join(ARTIFACTS, 'campaigns-demo-broadcast.png'), animations: 'disabled' });
      // Nothing refused or logged: a marketer's frame does not ask for the presence she does not have.
      expect(session.problems).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, 'campaigns-demo-failure.png'), animations: 'disabled' });
      throw error;
    } finally {
      await session.close();
    }
  }, 120_000);
});
