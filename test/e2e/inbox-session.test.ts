import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../api/api-harness.js';
import { buildInbox, launchChromium, openPage } from './harness.js';

/** The inbox against the real server: sign in, stay signed in across a reload, sign out. */
describe('inbox session with the accounts API', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'inbox-session-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir })]);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should keep the user signed in after a reload and end the session on sign-out', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(api.baseUrl);
      await page.getByLabel('Электронная почта').fill(api.users.operator.email);
      await page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Войти', exact: true }).click();
      const rail = page.getByRole('navigation', { name: 'Разделы' });
      await rail.waitFor();
      expect(await page.getByText(api.users.operator.name).isVisible()).toBe(true);

      await page.reload();
      await rail.waitFor();
      expect(await page.getByRole('heading', { level: 1, name: 'Вход в аккаунт' }).count()).toBe(0);

      await page.getByRole('button', { name: 'Выйти' }).click();
      await page.getByRole('heading', { level: 1, name: 'Вход в аккаунт' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Вход в аккаунт' }).waitFor();
      const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).json());
      expect(session).toEqual({ user: null });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
