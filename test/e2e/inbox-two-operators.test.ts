import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../api/api-harness.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { dragDealToStage } from './drag-deal.js';
import { buildInbox, buildWidget, launchChromium, openPage, type ErrorWatchingPage } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** The widget's host element; Playwright's locators reach into its open shadow root. */
const WIDGET = 'funnel-chat-widget';
/**
 * How soon both operators must see a visitor's message: under a second, as the issue asks.
 * `E2E_LIVE_MS` widens it on a machine that runs other suites beside three browser pages.
 */
const LIVE_MS = Number(process.env.E2E_LIVE_MS ?? 1_000);

async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 });
  // The machine runs other suites beside three pages: the first load may take longer than a click.
  await page.goto(baseUrl, { timeout: 20_000 });
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await page.getByText('Выберите разговор слева').waitFor({ timeout: 15_000 });
}

/** A 1×1 PNG, the smallest image the file store accepts as one. */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** In the page (the test's own tsconfig has no DOM types): when a list row with the text appears. */
const rowAppears = (text: string) => `new Promise((resolve) => {
  const found = () => [...document.querySelectorAll('[data-conversation]')].some((row) => row.textContent.includes(${JSON.stringify(text)}));
  const observer = new MutationObserver(() => {
    if (!found()) return;
    observer.disconnect();
    resolve(Date.now());
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
})`;

/** In the page: when Enter is next pressed anywhere in it (the widget's shadow root included). */
const ENTER_PRESSED = `new Promise((resolve) =>
  window.addEventListener('keydown', (event) => event.key === 'Enter' && resolve(Date.now()), { capture: true }),
)`;

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(ARTIFACTS, `inbox-two-operators-${name}.png`), animations: 'disabled' });

/**
 * Two operators of one team work the same site chat live, each in a browser page of their own,
 * while the visitor writes in the widget: every change one makes shows on the other's screen
 * through the socket, replies reach the visitor and notes never do.
 */
describe('inbox with two operators', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'two-operators-inbox-'));
  const widgetDir = mkdtempSync(join(tmpdir(), 'two-operators-widget-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    await buildWidget(widgetDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir, widgetDir })]);
    await ensureDefaultPipelines(api.db);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
    rmSync(widgetDir, { recursive: true, force: true });
  });

  it('should show each operator’s reply, note, assignment, snooze, priority, label and bot hand-back to the other, live', async () => {
    const admin = await api.as('admin');
    const suffix = Math.random().toString(36).slice(2, 8);
    const team = await admin.post('/teams', { name: `Продажи ${suffix}` });
    expect(team.status).toBe(201);
    const channel = await admin.post('/channels', {
      type: 'webchat',
      name: 'Сайт',
      allowedOrigins: [api.baseUrl],
      teamIds: [team.body.id],
    });
    expect(channel.status).toBe(201);
    const maria = await api.createUser({ role: 'operator', name: 'Мария Иванова', teamIds: [team.body.id] });
    const oleg = await api.createUser({ role: 'operator', name: 'Олег Смирнов', teamIds: [team.body.id] });
    const canned = await admin.post('/canned-responses', {
      shortcut: `привет-${suffix}`,
      text: 'Здравствуйте! Меня зовут {{agent.name}}, помогу с расчётом.',
      visibility: 'everyone',
    });
    expect(canned.status).toBe(201);

    const pages: ErrorWatchingPage[] = [];
    const [a, b, visitor] = [await openPage(browser), await openPage(browser), await openPage(browser)];
    pages.push(a!, b!, visitor!);
    try {
      await signIn(a!.page, api.baseUrl, maria.email);
      await signIn(b!.page, api.baseUrl, oleg.email);
      // Both away: auto-assignment leaves the new conversation in the queue for Мария to take.
      for (const email of [maria.email, oleg.email]) {
        const client = await api.login(email, TEST_PASSWORD);
        expect((await client.patch('/me/presence', { status: 'away' })).status).toBe(200);
      }

      await visitor!.page.goto(`${api.baseUrl}/demo?channel=${channel.body.id}`);
      await visitor!.page.getByRole('button', { name: 'Открыть чат' }).click();
      const chat = visitor!.page.getByRole('dialog', { name: 'Напишите нам' });
      await expect.poll(() => chat.getByText(/^Онлайн/).isVisible(), { timeout: 10_000 }).toBe(true);
      const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });

      // The visitor writes: both lists show the conversation. Timed inside the browser, from the
      // visitor's key press to the row in each operator's page (one machine, one clock), so the
      // test driver's own round trips do not count.
      const question = `Сколько стоит дом 10×12 из бруса? ${suffix}`;
      await input.fill(question);
      const rowOf = (page: Page) =>
        page.getByRole('region', { name: 'Разговоры' }).locator('[data-conversation]', { hasText: question });
      const seen = [a!.page, b!.page].map((page) => page.evaluate<number>(rowAppears(question)));
      const pressed = visitor!.page.evaluate<number>(ENTER_PRESSED);
      await input.press('Enter');
      const sentAt = await pressed;
      const [seenByA, seenByB] = await Promise.all(seen);
      expect(seenByA! - sentAt).toBeLessThan(LIVE_MS);
      expect(seenByB! - sentAt).toBeLessThan(LIVE_MS);
      await shot(b!.page, 'b-list');

      for (const page of [a!.page, b!.page]) {
        await rowOf(page).click();
        await page
          .getByRole('region', { name: 'История общения' })
          .locator('[data-message]', { hasText: question })
          .waitFor();
      }
      const conversationId = a!.page.url().split('/').pop()!;

      // The visitor types: both operators see it.
      await input.pressSequentially('Ещё вопрос', { delay: 20 });
      await a!.page.getByText('Клиент печатает…').waitFor();
      await b!.page.getByText('Клиент печатает…').waitFor();
      await input.fill('');

      // Мария takes it; Олег sees her name as the assignee.
      await a!.page.getByRole('button', { name: 'Ответственный' }).click();
      await shot(a!.page, 'a-assignee-menu');
      await a!.page
        .getByRole('dialog', { name: 'Ответственный' })
        .getByRole('button', { name: 'Назначить на себя' })
        .click();
      await a!.page.locator('[data-assignee]', { hasText: 'Вы' }).waitFor();
      await b!.page.locator('[data-assignee]', { hasText: 'Мария Иванова' }).waitFor();
      expect((await admin.get(`/conversations/${conversationId}`)).body.assigneeId).toBe(maria.id);

      // Мария answers with a canned response, rendered by the server with her name; the visitor gets it.
      const composer = a!.page.getByRole('textbox', { name: 'Напишите ответ…' });
      await composer.pressSequentially(`/привет-${suffix.slice(0, 2)}`, { delay: 20 });
      const suggestions = a!.page.getByRole('listbox', { name: 'Шаблоны ответов' });
      // The responses are read when `/` is first typed: on a busy machine that takes a moment.
      await suggestions.getByRole('option', { name: new RegExp(`привет-${suffix}`) }).waitFor({ timeout: 10_000 });
      await shot(a!.page, 'a-canned');
      await composer.press('Enter');
      const greeting = 'Здравствуйте! Меня зовут Мария Иванова, помогу с расчётом.';
      await expect.poll(() => composer.inputValue()).toBe(greeting);
      // Олег sees her typing before she sends.
      await composer.pressSequentially(' Пришлите план дома.', { delay: 20 });
      await b!.page.getByText('Мария Иванова печатает…').waitFor();
      await composer.press('Enter');
      const answer = `${greeting} Пришлите план дома.`;
      await visitor!.page.locator(`${WIDGET} .message.from-company`, { hasText: answer }).waitFor({ timeout: 10_000 });
      await b!.page.locator('[data-message]', { hasText: answer }).waitFor();
      // Her reply took the conversation over from the bot.
      await b!.page.getByText('Бот на паузе').waitFor();

      // A note with a mention: both operators see it, the visitor never does.
      await a!.page.getByRole('tab', { name: 'Заметка' }).click();
      const noteBox = a!.page.getByRole('textbox', { name: 'Заметка для коллег — клиент её не увидит' });
      await noteBox.pressSequentially('@Оле', { delay: 20 });
      await a!.page
        .getByRole('listbox', { name: 'Упомянуть' })
        .getByRole('option', { name: /Олег Смирнов/ })
        .waitFor();
      await noteBox.press('Enter');
      await expect.poll(() => noteBox.inputValue()).toBe('@Олег Смирнов ');
      const note = `Клиент просит рассрочку, проверь условия ${suffix}`;
      await noteBox.pressSequentially(note, { delay: 5 });
      await shot(a!.page, 'a-note');
      await noteBox.press('Enter');
      await a!.page.getByRole('region', { name: 'История общения' }).getByText(note).waitFor();
      await b!.page.getByRole('region', { name: 'История общения' }).getByText(note).waitFor();
      await expect
        .poll(
          async () =>
            (await api.login(oleg.email, TEST_PASSWORD).then((client) => client.get('/notifications'))).body.unread,
        )
        .toBe(1);
      await a!.page.getByRole('tab', { name: 'Ответ' }).click();
      const after = 'Расчёт пришлю сегодня до вечера.';
      await composer.fill(after);
      await composer.press('Enter');
      // The reply after the note has arrived, so the note would have too: it is not there.
      await visitor!.page.locator(`${WIDGET} .message.from-company`, { hasText: after }).waitFor({ timeout: 10_000 });
      expect(await visitor!.page.locator(WIDGET).getByText(note).count()).toBe(0);
      expect(await visitor!.page.locator(WIDGET).getByText('Клиент просит рассрочку', { exact: false }).count()).toBe(
        0,
      );
      await visitor!.page.screenshot({
        path: join(ARTIFACTS, 'inbox-two-operators-widget.png'),
        animations: 'disabled',
      });

      // A file: uploaded as it is picked, then sent with the text as its caption.
      await a!.page.locator('input[type="file"]').setInputFiles({
        name: 'план-участка.png',
        mimeType: 'image/png',
        buffer: Buffer.from(PNG_1X1, 'base64'),
      });
      // Enter does nothing while the file is still uploading, as the disabled send button shows.
      await a!.page.locator('[data-attachment="ready"]', { hasText: 'план-участка.png' }).waitFor();
      await composer.fill('План участка');
      await composer.press('Enter');
      const picture = visitor!.page.locator(`${WIDGET} .message.from-company`, { hasText: 'План участка' });
      // The file goes through the outbound queue like any reply; a loaded machine may take a while.
      await picture.waitFor({ timeout: 20_000 });
      await visitor!.page.screenshot({
        path: join(ARTIFACTS, 'inbox-two-operators-widget-file.png'),
        animations: 'disabled',
      });
      expect(await picture.locator('img[alt="план-участка.png"]').count()).toBe(1);
      await b!.page.locator('[data-message]', { hasText: 'План участка' }).waitFor();
      expect(await a!.page.locator('[data-attachment]').count()).toBe(0);

      // Snooze, priority and a label by Мария: Олег's header follows each.
      await a!.page.getByRole('button', { name: 'Приоритет' }).click();
      await a!.page.getByRole('dialog', { name: 'Приоритет' }).getByRole('menuitemradio', { name: 'Высокий' }).click();
      await b!.page.locator('[data-priority="high"]').waitFor();

      await a!.page.getByRole('button', { name: 'Добавить метку' }).click();
      const labelBox = a!.page.getByRole('textbox', { name: 'Метка, например ипотека' });
      await labelBox.fill('Ипотека');
      await labelBox.press('Enter');
      await b!.page.locator('[data-label="ипотека"]').waitFor();

      await a!.page.getByRole('button', { name: 'Статус и отложить' }).click();
      await shot(a!.page, 'a-snooze-menu');
      await a!.page
        .getByRole('dialog', { name: 'Статус и отложить' })
        .getByRole('button', { name: /^На час/ })
        .click();
      await b!.page.getByText(/^Отложен до/).waitFor();
      const snoozed = (await admin.get(`/conversations/${conversationId}`)).body;
      expect(snoozed).toMatchObject({ status: 'snoozed', priority: 'high', labels: ['ипотека'] });
      expect(Math.abs(Date.parse(snoozed.snoozedUntil) - Date.now() - 3600_000)).toBeLessThan(60_000);
      await shot(b!.page, 'b-after-changes');

      // Мария drags the visitor's deal to the next stage on the board: Олег, still in the
      // conversation, sees the stage change join the contact's timeline.
      const contactId = (await admin.get(`/conversations/${conversationId}`)).body.contactId;
      const sales = (await admin.get('/pipelines')).body.items.find(
        (pipeline: { kind: string }) => pipeline.kind === 'sales',
      );
      const deal = await admin.post('/deals', {
        title: `Дом из бруса ${suffix}`,
        pipelineId: sales.id,
        contactId,
        ownerId: maria.id,
        amount: 2_400_000,
      });
      expect(deal.status).toBe(201);
      await a!.page.getByRole('link', { name: 'Сделки' }).first().click();
      await a!.page.locator(`[data-deal="${deal.body.id}"]`).waitFor({ timeout: 15_000 });
      await dragDealToStage(a!.page, deal.body.id, 'proposal-sent');
      await expect.poll(async () => (await admin.get(`/deals/${deal.body.id}`)).body.stageId).toBe('proposal-sent');
      await b!.page
        .getByRole('region', { name: 'История общения' })
        .getByText('Коммерческое предложение отправлено')
        .waitFor({ timeout: 10_000 });
      await shot(b!.page, 'b-stage-change');
      await a!.page.goBack();
      await a!.page.getByRole('region', { name: 'История общения' }).waitFor();

      // Мария hands the conversation back to the bot: Олег sees the bot answering again.
      await a!.page.getByRole('button', { name: 'Вернуть боту' }).click();
      await b!.page.getByText('Отвечает бот').waitFor();
      expect((await admin.get(`/conversations/${conversationId}`)).body).toMatchObject({
        handler: 'bot',
        status: 'pending',
      });
      await shot(a!.page, 'a-final');

      await a!.page.getByRole('button', { name: 'English' }).click();
      await a!.page.getByRole('button', { name: 'Assignee' }).waitFor();
      await a!.page.getByRole('button', { name: 'Answer yourself' }).waitFor();
      await shot(a!.page, 'a-english');

      // On a phone the actions wrap under the contact's name and the composer keeps its modes.
      await a!.page.getByRole('button', { name: 'Русский' }).click();
      await a!.page.setViewportSize({ width: 390, height: 844 });
      await a!.page.getByRole('button', { name: 'Ответственный' }).waitFor();
      await shot(a!.page, 'a-phone');

      for (const page of pages) expect(page.problems).toEqual([]);
    } finally {
      for (const page of pages) await page.close();
    }
  }, 120_000);
});
