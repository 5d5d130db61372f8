import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../api/api-harness.js';
import { visitorWrites } from '../api/inbox-fixture.js';
import { buildInbox, launchChromium, openPage, type ErrorWatchingPage } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/**
 * The app frame's top bar against the whole app: the presence switch, the bell filling live from
 * a colleague's @mention, the tab title counting a visitor's new messages, the search section
 * finding a message and opening its timeline, and the shortcuts overlay, on a laptop and a phone.
 */
describe('inbox frame', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'frame-inbox-'));
  let browser: Browser;
  let api: TestApi;
  let inbox: ErrorWatchingPage;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir })]);
    inbox = await openPage(browser);
  }, 120_000);

  afterAll(async () => {
    await inbox?.close();
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should switch presence, count new messages in the title, ring the bell, search, and show the shortcuts', async () => {
    const admin = await api.as('admin');
    const manager = await api.as('manager');
    const channel = await admin.post('/channels', { type: 'webchat', name: 'Сайт', allowedOrigins: [api.baseUrl] });
    expect(channel.status).toBe(201);
    const word = `мансарда${Math.random().toString(36).slice(2, 6).replace(/\d/g, 'ы')}`;

    const page = inbox.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(api.baseUrl);
    await page.getByLabel('Электронная почта').fill(api.users.admin.email);
    await page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await page.getByRole('region', { name: 'Разговоры' }).waitFor();

    // Presence: online once the inbox socket is up; away and back from the top bar, as the server sees it.
    await page.getByRole('button', { name: 'Ваш статус: В сети' }).waitFor();
    await page.getByRole('button', { name: 'Ваш статус: В сети' }).click();
    await page.getByRole('radio', { name: /Отошёл/ }).click();
    await page.getByRole('button', { name: 'Ваш статус: Отошёл' }).waitFor();
    expect((await admin.get('/me/presence')).body.status).toBe('away');
    await page.getByRole('button', { name: 'Ваш статус: Отошёл' }).click();
    await page.getByRole('radio', { name: /В сети/ }).click();
    await expect.poll(async () => (await admin.get('/me/presence')).body.status).toBe('online');

    // A visitor writes twice in a conversation nobody has opened: the tab title counts both.
    expect(await page.title()).toBe('Входящие · Funnel Inbox');
    const { conversation, visitorId } = await visitorWrites(api, channel.body.id, `Хочу дом с ${word}`);
    await expect.poll(() => page.title()).toBe('(1) Входящие · Funnel Inbox');
    await visitorWrites(api, channel.body.id, 'И ещё вопрос про отопление', visitorId);
    await expect.poll(() => page.title()).toBe('(2) Входящие · Funnel Inbox');

    // A colleague mentions the admin in a note: the bell counts it live and lists it.
    const note = await manager.post(`/conversations/${conversation.id}/notes`, {
      text: `Посмотрите, клиент про ${word}`,
      mentionedUserIds: [api.users.admin.id],
    });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    const bell = page.getByRole('button', { name: 'Уведомления: 1 непрочитанных' });
    await bell.waitFor();
    await bell.click();
    const feed = page.getByRole('region', { name: 'Уведомления' });
    await feed.getByText(`${api.users.manager.name} упомянул(а) вас`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-frame-bell.png'), animations: 'disabled' });
    await feed.getByRole('button', { name: 'Прочитать все' }).click();
    await page.getByRole('button', { name: 'Уведомления', exact: true }).waitFor();
    expect((await admin.get('/notifications')).body.unread).toBe(0);
    await page.keyboard.press('Escape');

    // Opening the conversation clears the counter.
    await page.locator(`[data-conversation]`).first().click();
    await expect.poll(() => page.title()).toBe('Входящие · Funnel Inbox');

    // "g s" goes to search; the word finds the message, marked, and opens the conversation's timeline.
    await page.locator('body').click({ position: { x: 5, y: 700 } });
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.waitForURL(/#\/search$/);
    const field = page.getByRole('searchbox', { name: 'Поиск по переписке' });
    await field.fill(word);
    await field.press('Enter');
    const hit = page.getByRole('button', { name: new RegExp(word) }).first();
    await hit.waitFor();
    expect(await hit.locator('mark').first().textContent()).toBe(word);
    await hit.click();
    const item = decodeURIComponent(new URL(page.url()).hash.replace('#/search/', ''));
    expect(Object.fromEntries(new URLSearchParams(item))).toEqual({ q: word, open: conversation.id });
    await page.locator('[data-message]', { hasText: `Хочу дом с ${word}` }).waitFor();
    expect(await page.getByRole('link', { name: 'Открыть во входящих' }).getAttribute('href')).toBe(
      `#/inbox/${conversation.id}`,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-frame-search.png'), animations: 'disabled' });

    // A shared link opens the same search.
    const shared = page.url();
    await page.goto(`${api.baseUrl}/#/inbox`);
    await page.goto(shared);
    await page.locator('[data-message]', { hasText: `Хочу дом с ${word}` }).waitFor();

    // "?" shows every shortcut; Escape closes it.
    await page.locator('body').click({ position: { x: 5, y: 700 } });
    await page.keyboard.press('Shift+Slash');
    const help = page.getByRole('dialog', { name: 'Горячие клавиши' });
    await help.waitFor();
    await help.getByText('Открыть сделки').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-frame-shortcuts.png'), animations: 'disabled' });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // A phone: eight sections fit 360 px as four tabs and "More".
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${api.baseUrl}/#/inbox`);
    const more = page.getByRole('button', { name: 'Ещё' });
    await more.waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-frame-phone.png'), animations: 'disabled' });
    await more.click();
    await page.getByRole('link', { name: 'Настройки' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'inbox-frame-phone-more.png'), animations: 'disabled' });

    expect(inbox.problems).toEqual([]);
  }, 120_000);
});
