import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { buildInbox, launchChromium, openPage, signIn } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** Settings → Channels: an admin turns client ratings (CSAT) off for one channel account, in both languages. */
describe('settings CSAT per channel', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'csat-settings-inbox-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir })]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should show the default and store the choice per channel account', async () => {
    const admin = await api.as('admin');
    const name = `Сайт ${Math.random().toString(36).slice(2, 6)}`;
    const channel = await admin.post('/channels', { type: 'webchat', name, allowedOrigins: [api.baseUrl] });
    expect(channel.status).toBe(201);

    const inbox = await openPage(browser);
    try {
      const page = inbox.page;
      await page.setViewportSize({ width: 1366, height: 768 });
      await signIn(page, api.baseUrl, api.users.admin.email);
      await page.goto(`${api.baseUrl}/#/settings/channels`);

      const card = page.locator(`[data-channel="${name}"]`);
      const toggle = card.getByRole('checkbox', { name: /Просить клиента оценить разговор/ });
      await toggle.waitFor();
      expect(await toggle.isChecked()).toBe(true);
      await card.getByText('(по умолчанию, CSAT_CHANNELS)').waitFor();
      await toggle.uncheck();
      await card.getByText('(по умолчанию, CSAT_CHANNELS)').waitFor({ state: 'detached' });
      await expect
        .poll(async () => (await admin.get('/csat/channels')).body.items)
        .toContainEqual({ channelAccountId: channel.body.id, enabled: false, source: 'setting' });
      await page.screenshot({ path: join(ARTIFACTS, 'settings-csat-toggle.png'), animations: 'disabled' });

      await page.getByRole('button', { name: 'English' }).click();
      await card.getByRole('checkbox', { name: /Ask the client to rate/ }).waitFor();
      expect(await card.getByRole('checkbox', { name: /Ask the client to rate/ }).isChecked()).toBe(false);
      expect(inbox.problems).toEqual([]);
    } finally {
      await inbox.close();
    }
  }, 60_000);
});
