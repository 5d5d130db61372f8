import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxBot } from '../../bot/telegram/sandbox/sandbox-bot.js';
import { contactModels } from '../../server/contacts/contact-models.js';
import { DEMO_PASSWORD } from '../../server/demo/demo-accounts.js';
import { demoTelegramUserId } from '../../server/demo/seed-demo-telegram.js';
import { messageModel } from '../../server/messaging/message-model.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { buildInbox, launchChromium, openPage } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const BROADCAST_TELEGRAM = 'ЭкоДом в Telegram: окна в рассрочку 0 % до конца месяца';
const BROADCAST_SITE = 'Окна в рассрочку 0 % до конца месяца';

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `demo-telegram-${name}.png`), animations: 'disabled' });
}

async function signInAs(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url, { timeout: 20_000 });
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
}

/**
 * Issue 11's "done when", tried as a new user would after `npm start`: the demo marketer builds a
 * segment of site-chat and Telegram clients, launches a broadcast on both channels, watches it
 * reach 100 % and sees each channel's count; the Telegram messages reach the demo's Bot API
 * sandbox through the outbound queue; she starts a follow-up sequence from a stage. Then a visitor
 * on /demo/telegram is a Telegram user: one of those clients sees the broadcast in their chat and
 * answers, and the answer is on that client's timeline in the inbox, once.
 */
describe('the demo Telegram sandbox', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'demo-telegram-inbox-'));
  let browser: Browser;
  let api: TestApi;
  let bot: SandboxBot;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir, demoData: true })]);
    bot = api.app.services.demoTelegram!.sandbox!.bots()[0]!;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should let the demo marketer broadcast on the site chat and Telegram and start a follow-up from a stage', async () => {
    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 900 });
      await signInAs(page, api.baseUrl, 'marketer@demo.local');
      await page
        .getByRole('navigation', { name: 'Разделы', exact: true })
        .getByRole('link', { name: 'Рассылки' })
        .click();

      await page.getByRole('navigation', { name: 'Разделы рассылок' }).getByRole('link', { name: 'Сегменты' }).click();
      await page.getByRole('link', { name: 'Новый сегмент' }).click();
      const builder = page.getByRole('form', { name: 'Условия сегмента' });
      await builder.getByLabel('Название').fill('Из Яндекс.Директа');
      await builder.getByLabel('Поле условия 1').selectOption('source');
      await builder.getByLabel('Значение условия 1').fill('Яндекс.Директ');
      const count = page.getByTestId('segment-count');
      // Nine of them chat on the site, two on Telegram (server/demo/demo-telegram-chat-scripts.ts).
      await expect.poll(async () => Number(await count.textContent()), { timeout: 15_000 }).toBe(11);
      await builder.getByRole('button', { name: 'Сохранить сегмент' }).click();
      await builder.getByRole('status').waitFor();

      await page.getByRole('link', { name: 'Сделать рассылку по сегменту' }).click();
      const composer = page.getByRole('form', { name: 'Рассылка' });
      await composer.getByTestId('audience').getByText('Контактов в сегменте сейчас: 11').waitFor();
      await composer.getByLabel('Название').fill('Рассрочка 0 %: сайт и Telegram');
      // The composer starts with Telegram; the site chat is added beside it.
      await composer.getByRole('tabpanel').getByLabel('Текст').fill(BROADCAST_TELEGRAM);
      await composer.getByRole('button', { name: '+ Чат на сайте' }).click();
      await composer.getByRole('tab', { name: 'Чат на сайте' }).click();
      await composer.getByRole('tabpanel').getByLabel('Текст').fill(BROADCAST_SITE);
      await screenshot(page, 'composer');
      await composer.getByRole('button', { name: 'Запустить' }).click();
      await composer.getByRole('button', { name: 'Да, запустить' }).click();

      const progress = page.getByTestId('broadcast-progress');
      await progress.waitFor();
      await page.locator('h2 [data-status="completed"]').waitFor({ timeout: 30_000 });
      expect(await progress.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
      const results = page.getByTestId('broadcast-results');
      await expect.poll(() => results.locator('[data-count="sent"] strong').textContent()).toBe('11');
      expect(await results.locator('[data-count="skipped"] strong').textContent()).toBe('0');
      expect(await results.locator('[data-count="failed"] strong').textContent()).toBe('0');
      const channels = page.getByTestId('broadcast-channels');
      // Columns: channel, planned, sent, delivered, read, replied, failed.
      const sentOn = (channel: string) => channels.locator(`tr[data-channel="${channel}"] td`).nth(2).textContent();
      await expect.poll(() => sentOn('telegram')).toBe('2');
      await expect.poll(() => sentOn('webchat')).toBe('9');
      await screenshot(page, 'broadcast');

      // The two Telegram messages went out through the outbound queue to the sandbox's Bot API.
      const reachedSandbox = bot.sent().filter((message) => message.text === BROADCAST_TELEGRAM);
      expect(reachedSandbox.map((message) => message.chatId).sort()).toEqual(
        [String(demoTelegramUserId(37)), String(demoTelegramUserId(44))].sort(),
      );
      const stored = await messageModel(api.db)
        .find({ broadcastId: { $exists: true }, channel: 'telegram' })
        .lean();
      expect(stored.map((message) => message.status)).toEqual(['sent', 'sent']);
      expect(stored.map((message) => message.externalId).sort()).toEqual(
        reachedSandbox.map((message) => `${message.chatId}:${message.messageId}`).sort(),
      );

      await page.getByRole('navigation', { name: 'Разделы рассылок' }).getByRole('link', { name: 'Цепочки' }).click();
      await page.getByRole('link', { name: 'Новая цепочка' }).click();
      const form = page.getByRole('form', { name: 'Новая цепочка' });
      await form.getByLabel('Название').fill('КП без ответа');
      await form.getByLabel('Сценарий').selectOption({ label: 'Дожим после КП · по сделкам' });
      await form.getByLabel('Воронка').selectOption({ label: 'Продажа' });
      await form.getByLabel('Этап', { exact: true }).selectOption({ label: 'Коммерческое предложение отправлено' });
      await form.getByRole('button', { name: 'Запустить цепочку' }).click();
      await page.getByRole('heading', { name: 'КП без ответа' }).waitFor();
      const enrolled = page.getByTestId('follow-up-results').locator('[data-count="enrolled"] strong');
      await expect.poll(async () => Number(await enrolled.textContent()), { timeout: 15_000 }).toBeGreaterThan(0);
      await screenshot(page, 'follow-up');
      expect(session.problems).toEqual([]);
    } catch (error) {
      await screenshot(page, 'marketer-failure');
      throw error;
    } finally {
      await session.close();
    }
  }, 180_000);

  it('should let a visitor be a Telegram client on /demo/telegram whose message lands on their timeline once', async () => {
    const visitor = await openPage(browser);
    const manager = await openPage(browser);
    try {
      await visitor.page.setViewportSize({ width: 1280, height: 860 });
      await visitor.page.goto(`${api.baseUrl}/demo`);
      await visitor.page.getByRole('link', { name: /в Telegram — в демо-песочнице/ }).click();
      await visitor.page.getByText('Демо-песочница').first().waitFor();
      const messages = visitor.page.locator('#messages');

      // As a new client: the bot greets and asks with buttons; a tap is a callback_query it answers.
      await visitor.page.getByLabel('Ваше имя в Telegram').fill('Пётр');
      await visitor.page.getByRole('textbox', { name: 'Сообщение' }).fill('Здравствуйте!');
      await visitor.page.getByRole('button', { name: 'Отправить' }).click();
      const product = messages.getByRole('button', { name: 'Окна', exact: true });
      await product.waitFor({ timeout: 20_000 });
      await product.click();
      await messages.getByText('Сколько окон или проёмов нужно?').waitFor({ timeout: 20_000 });
      expect(bot.answeredCallbacks()).toHaveLength(1);
      await screenshot(visitor.page, 'new-client');

      // As Владимир Павлов, one of the two Telegram clients the broadcast reached.
      await visitor.page.getByRole('button', { name: 'Владимир Павлов' }).click();
      await messages.getByText(BROADCAST_TELEGRAM).waitFor();
      const answer = `Расскажите про рассрочку подробнее, ${Date.now()}`;
      await visitor.page.getByRole('textbox', { name: 'Сообщение' }).fill(answer);
      await visitor.page.getByRole('button', { name: 'Отправить' }).click();
      await messages.getByText(answer).waitFor();
      await screenshot(visitor.page, 'client-answers');

      const contact = await contactModels(api.db)
        .Contact.findOne({ 'identities.externalId': String(demoTelegramUserId(44)) })
        .lean();
      expect(contact?.name).toBe('Владимир Павлов');
      await expect
        .poll(() => messageModel(api.db).countDocuments({ 'content.text': answer }), { timeout: 10_000 })
        .toBe(1);
      const stored = await messageModel(api.db).findOne({ 'content.text': answer }).lean();
      expect(stored).toMatchObject({ direction: 'in', channel: 'telegram' });
      expect(stored!.contactId.equals(contact!._id)).toBe(true);

      // The manager, whose chat it is, sees it on the client's timeline in the inbox, once.
      await manager.page.setViewportSize({ width: 1366, height: 900 });
      await signInAs(manager.page, api.baseUrl, 'manager@demo.local');
      await manager.page.goto(`${api.baseUrl}/#/inbox/${stored!.conversationId.toHexString()}`);
      const timeline = manager.page.getByRole('region', { name: 'История общения' });
      await timeline.locator('[data-message]', { hasText: answer }).waitFor({ timeout: 15_000 });
      expect(await timeline.locator('[data-message]', { hasText: answer }).count()).toBe(1);
      await timeline.locator('[data-message]', { hasText: BROADCAST_TELEGRAM }).waitFor();
      await screenshot(manager.page, 'inbox-timeline');

      expect(visitor.problems).toEqual([]);
      expect(manager.problems).toEqual([]);
    } catch (error) {
      await screenshot(visitor.page, 'visitor-failure');
      await screenshot(manager.page, 'manager-failure');
      throw error;
    } finally {
      await visitor.close();
      await manager.close();
    }
  }, 180_000);

  it('should mark the sandbox channel in the admin settings', async () => {
    const admin = await openPage(browser);
    try {
      await admin.page.setViewportSize({ width: 1366, height: 900 });
      await signInAs(admin.page, api.baseUrl, 'admin@demo.local');
      await admin.page.goto(`${api.baseUrl}/#/settings/channels`);
      const card = admin.page.locator('[data-channel="Telegram (демо)"]');
      await card.locator('[data-sandbox]').getByText('Демо-песочница').waitFor({ timeout: 15_000 });
      expect(await card.getByRole('link', { name: 'Telegram демо' }).getAttribute('href')).toBe('/demo/telegram');
      await screenshot(admin.page, 'settings');
      expect(admin.problems).toEqual([]);
    } finally {
      await admin.close();
    }
  }, 60_000);
});
