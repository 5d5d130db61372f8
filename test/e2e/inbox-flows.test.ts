import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueFlowEvent } from '../../server/flows/flow-jobs.js';
import { flowRunModel } from '../../server/flows/flow-run-model.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../api/api-harness.js';
import { waitUntil } from '../wait-until.js';
import { buildInbox, launchChromium, openPage } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/**
 * The Flows section against the whole app with the windows template installed: a manager sees the
 * flows and a diagram, uploads a broken version and reads its line error, switches a flow off and
 * on, and reads a run's history.
 */
describe('inbox flows', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'flows-inbox-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir })]);
    await installFlowTemplate(api.db, pino({ level: 'silent' }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should show the flows with a diagram, refuse a broken version with its line, switch a flow and show a run', async () => {
    const manager = await api.as('manager');
    const contact = await manager.post('/contacts', { name: 'Анна Смирнова' });
    // Another flow's enroll step may start any flow: without a chat the lead flow goes straight to
    // the operator's qualification task and completes.
    await enqueueFlowEvent(api.app.services.queues, {
      id: `e2e-${contact.body.id}`,
      type: 'manual',
      flowId: 'lead-intake',
      fromFlow: 'e2e',
      subject: { contactId: contact.body.id },
    });
    await waitUntil('the lead run completed', async () => {
      const run = await (await flowRunModel(api.db)).findOne({ contactId: contact.body.id }).lean();
      return run?.status === 'completed' ? run : undefined;
    });

    const session = await openPage(browser, '/api/v1/flows/lead-intake');
    try {
      const { page } = session;
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.goto(api.baseUrl);
      await page.getByLabel('Электронная почта').fill(api.users.manager.email);
      await page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Войти', exact: true }).click();
      await page.getByRole('link', { name: 'Сценарии' }).click();

      const list = page.getByRole('list', { name: 'Сценарии' });
      const lead = list.locator('[data-flow="lead-intake"]');
      await lead.getByText('Новое обращение').waitFor();
      await expect.poll(() => list.locator('[data-flow]').count()).toBe(16);
      await expect.poll(() => lead.textContent()).toContain('версия 2');
      await expect.poll(() => lead.textContent()).toContain('Проверен');

      await lead.getByRole('button', { name: /Новое обращение/ }).click();
      const diagram = page.getByTestId('flow-diagram');
      await diagram.getByText('lead.created').waitFor();
      await diagram.locator('#flow-step-has-chat').getByText('иначе → welcome-back').waitFor();
      await diagram.locator('#flow-step-ask-product').getByText('нет ответа → qualify-task').waitFor();

      await page.screenshot({ path: join(ARTIFACTS, 'inbox-flows-diagram.png'), animations: 'disabled' });
      const runs = page.getByTestId('flow-runs');
      await runs.getByText('завершён').first().click();
      // The history is in the reader's language: the trigger by its name in the inbox.
      await runs.getByText('запущен: Запуск вручную').waitFor();
      await runs.getByText('has-chat', { exact: true }).first().waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-flows-runs.png'), animations: 'disabled' });

      const yaml = page.getByTestId('flow-yaml');
      const source = await yaml.inputValue();
      expect(source).toContain('id: lead-intake');
      await yaml.fill(source.replace('next: qualify-task', 'next: qualify-tsak'));
      await page.getByRole('button', { name: 'Проверить и сохранить' }).click();
      const issues = page.getByTestId('flow-issues');
      // The validator's words in the reader's language, the line and column in the uploaded text.
      await issues.getByText(/строка \d+, столбец \d+: Неизвестный шаг "qualify-tsak"/).waitFor();
      const line = source.split('\n').findIndex((text) => text.includes('next: qualify-task')) + 1;
      await issues.getByText(`строка ${line},`, { exact: false }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-flows-error.png'), animations: 'disabled' });
      expect((await manager.get('/flows/lead-intake')).body.version).toBe(2);

      const sla = list.locator('[data-flow="operator-sla"]');
      await sla.getByRole('button', { name: 'Выключить' }).click();
      await sla.getByText('Выключен').waitFor();
      expect((await manager.get('/flows/operator-sla')).body.enabled).toBe(false);
      await sla.getByRole('button', { name: 'Включить' }).click();
      await sla.getByText('Включён').waitFor();
      expect((await manager.get('/flows/operator-sla')).body.enabled).toBe(true);

      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
