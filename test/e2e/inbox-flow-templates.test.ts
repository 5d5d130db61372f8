import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { buildInbox, launchChromium, openPage, signIn } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const FAILING_INSTALL = '/api/v1/flows/templates/ecostroy/install';

/**
 * An admin of a workspace with no flows yet picks a funnel template on the Flows page: reads
 * what each brings, confirms, sees the install's progress and what it added, and the flows
 * appear; a failed install says why; the panel speaks English too.
 */
describe('inbox flow templates', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'flow-templates-inbox-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir })]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should let an admin pick, confirm and install a template, and say why an install failed', async () => {
    const session = await openPage(browser, FAILING_INSTALL);
    try {
      const { page } = session;
      await page.setViewportSize({ width: 1366, height: 900 });
      await signIn(page, api.baseUrl, api.users.admin.email);
      await page.getByRole('link', { name: 'Сценарии' }).click();

      const shipped = (await (await api.as('admin')).get('/flows/templates')).body.items as {
        name: string;
        flows: unknown[];
      }[];
      const realtyFlows = shipped.find((item) => item.name === 'realty')!.flows.length;

      // No flows yet: the templates are where an admin starts.
      const panel = page.getByTestId('flow-templates');
      const realty = panel.locator('[data-template="realty"]');
      await realty.getByText('Агентство недвижимости', { exact: true }).waitFor();
      await expect.poll(() => panel.locator('[data-template]').count()).toBe(3);
      await expect.poll(() => realty.textContent()).toContain('Обращения распределяются по агентам района');
      await expect.poll(() => realty.textContent()).toContain(`сценариев: ${realtyFlows}`);
      await expect
        .poll(() => panel.locator('[data-template="windows"]').textContent())
        .toContain('рассрочка с контролем платежей');
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-flow-templates.png'), animations: 'disabled' });

      // The install is asked for twice; cancelling changes nothing.
      await realty.getByRole('button', { name: 'Установить' }).click();
      const confirm = realty.getByRole('alertdialog');
      await confirm.getByText('Установить шаблон «Агентство недвижимости»?', { exact: false }).waitFor();
      await confirm.getByRole('button', { name: 'Отмена' }).click();
      expect((await (await api.as('admin')).get('/flows')).body.items).toHaveLength(0);

      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/v1/flows/templates/realty/install', async (route) => {
        await held;
        await route.continue();
      });
      await realty.getByRole('button', { name: 'Установить' }).click();
      await realty.getByRole('button', { name: 'Да, установить' }).click();
      await realty.getByRole('button', { name: 'Устанавливаем…' }).waitFor();
      expect(await panel.getByRole('button', { name: 'Установить' }).first().isDisabled()).toBe(true);
      release();
      const result = realty.getByRole('status');
      await result.getByText('Шаблон «Агентство недвижимости» установлен.', { exact: false }).waitFor();
      await expect.poll(() => result.textContent()).toMatch(new RegExp(`Добавлено: .*сценариев — ${realtyFlows}`));
      await realty.getByText('Установлен', { exact: true }).waitFor();
      const flows = page.getByRole('list', { name: 'Сценарии' });
      await expect.poll(() => flows.locator('[data-flow]').count()).toBe(realtyFlows);
      // The header names the installed template as people call it, not by its file key.
      await page.getByText('Шаблон: Агентство недвижимости', { exact: true }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-flow-templates-installed.png'), animations: 'disabled' });
      const installed = await (await api.as('admin')).get('/flows/templates');
      expect(installed.body.items.find((item: { name: string }) => item.name === 'realty').installed).toBe(true);

      // A refused install says why, in the admin's language.
      await page.route(`**${FAILING_INSTALL}`, (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'unavailable', message: 'The store is read-only' } }),
        }),
      );
      await page.getByRole('button', { name: 'English' }).click();
      const english = page.getByTestId('flow-templates');
      const ecostroy = english.locator('[data-template="ecostroy"]');
      await ecostroy.getByText('A green-home builder: ten stages', { exact: false }).waitFor();
      await ecostroy.getByRole('button', { name: 'Install' }).click();
      await ecostroy.getByRole('button', { name: 'Yes, install' }).click();
      await ecostroy.getByRole('alert').getByText('Could not install the template: The store is read-only').waitFor();
      await english.locator('[data-template="realty"]').getByText('Installed', { exact: true }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-flow-templates-error-en.png'), animations: 'disabled' });

      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
