import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../api/api-harness.js';
import { buildInbox, buildWidget, launchChromium, openPage } from './harness.js';

/**
 * An operator signed in to the inbox is "online" for the site chat: a visitor on the company's
 * site gets the chat, and once the operator signs out, the offline form.
 */
describe('inbox presence for the site chat', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'presence-inbox-'));
  const widgetDir = mkdtempSync(join(tmpdir(), 'presence-widget-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    buildInbox(inboxDir);
    await buildWidget(widgetDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir, widgetDir })]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
    rmSync(widgetDir, { recursive: true, force: true });
  });

  it('should show visitors the chat while an operator has the inbox open, and the offline form after sign-out', async () => {
    const admin = await api.as('admin');
    const channel = await admin.post('/channels', { type: 'webchat', name: 'Сайт', allowedOrigins: [api.baseUrl] });
    expect(channel.status).toBe(201);

    const inbox = await openPage(browser);
    const visitor = await openPage(browser);
    try {
      await inbox.page.goto(api.baseUrl);
      await inbox.page.getByLabel('Электронная почта').fill(api.users.operator.email);
      await inbox.page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
      await inbox.page.getByRole('button', { name: 'Войти', exact: true }).click();
      await inbox.page.getByRole('navigation', { name: 'Разделы' }).waitFor();

      await visitor.page.goto(`${api.baseUrl}/demo?channel=${channel.body.id}`);
      await visitor.page.getByRole('button', { name: 'Открыть чат' }).click();
      // A channel without its own title is headed with the widget's default.
      const chat = visitor.page.getByRole('dialog', { name: 'Напишите нам' });
      await expect.poll(() => chat.getByText(/^Онлайн/).isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await chat.getByRole('heading', { name: 'Сейчас мы не в сети' }).count()).toBe(0);

      // Signing out closes the inbox's connection: the open widget is told nobody is there.
      await inbox.page.getByRole('button', { name: 'Выйти' }).click();
      await expect.poll(() => chat.getByText('Сейчас не в сети').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(inbox.problems).toEqual([]);
      expect(visitor.problems).toEqual([]);
    } finally {
      await inbox.close();
      await visitor.close();
    }
  }, 60_000);
});
