import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowRunModel } from '../../server/flows/flow-run-model.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { buildInbox, launchChromium, openPage, signIn } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: join(ARTIFACTS, `campaigns-follow-up-${name}.png`),
    animations: 'disabled',
    fullPage: true,
  });
}

/**
 * The last line of the marketer's "done when" in real Chromium against the whole app: start a
 * follow-up sequence from a funnel stage. The deals already in "proposal sent" are enrolled at
 * once, a deal moved there afterwards joins, the results split by A/B variant; stopping ends the
 * runs. Any console error fails the test.
 */
describe('inbox follow-up campaigns', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'follow-up-inbox-'));
  const flowId = `proposal-nudge-${randomBytes(3).toString('hex')}`;
  let browser: Browser;
  let api: TestApi;
  let admin: ApiClient;
  let salesId: string;

  async function dealIn(stageId: string, name: string): Promise<string> {
    const contact = await admin.post('/contacts', { name, phones: [`+79${randomInt(10 ** 8, 10 ** 9)}`] });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const deal = await admin.post('/deals', {
      title: `Окна: ${name}`,
      pipelineId: salesId,
      stageId,
      contactId: contact.body.id,
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    return deal.body.id;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([
      launchChromium(),
      startTestApi({ inboxDir, env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } }),
    ]);
    await installFlowTemplate(api.db, pino({ level: 'silent' }));
    admin = await api.as('admin');
    const uploaded = await admin.put(`/flows/${flowId}`, {
      yaml: `id: ${flowId}
name: { ru: Дожим после КП, en: After the proposal }
version: 1
runsPer: deal
triggers:
  - { type: manual }
goals:
  - { id: measurement, name: { ru: Записался на замер, en: Booked a measurement }, when: { path: deal.stage, op: eq, value: measurement-scheduled } }
exit: { stageLeft: true }
steps:
  - id: which-text
    type: split
    variants:
      - { id: a, weight: 50, next: pause-a }
      - { id: b, weight: 50, next: pause-b }
  - { id: pause-a, type: wait, for: 3d }
  - { id: nudge-a, type: addTag, tags: [nudged-a] }
  - { id: end-a, type: end }
  - { id: pause-b, type: wait, for: 3d }
  - { id: nudge-b, type: addTag, tags: [nudged-b] }
`,
    });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    const pipelines = await admin.get('/pipelines');
    salesId = pipelines.body.items.find((item: { systemKey?: string }) => item.systemKey === 'sales').id;
    for (const name of ['Анна Смирнова', 'Борис Орлов', 'Вера Ким']) await dealIn('proposal-sent', name);
    await dealIn('data-collection', 'Глеб Зайцев');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should let a marketer start a follow-up sequence from a stage, see the deals enrolled, and stop it', async () => {
    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 900 });
      await signIn(page, api.baseUrl, api.users.marketer.email);
      await page.getByRole('link', { name: 'Рассылки', exact: true }).click();
      await page.getByRole('navigation', { name: 'Разделы рассылок' }).getByRole('link', { name: 'Цепочки' }).click();
      await page.getByText('Цепочек пока нет').waitFor();
      await page.getByRole('link', { name: 'Новая цепочка' }).click();

      const form = page.getByRole('form', { name: 'Новая цепочка' });
      // Refused before it reaches the server: nothing is filled in.
      await form.getByRole('button', { name: 'Запустить цепочку' }).click();
      await form.getByText('Назовите цепочку').waitFor();
      await form.getByLabel('Название').fill('КП без ответа');
      await form.getByLabel('Сценарий').selectOption({ label: 'Дожим после КП · по сделкам' });
      await form.getByLabel('Воронка').selectOption({ label: 'Продажа' });
      await form.getByLabel('Этап', { exact: true }).selectOption({ label: 'Коммерческое предложение отправлено' });
      await form.getByLabel('Стоимость, ₽').fill('3000');
      await screenshot(page, 'form');
      await form.getByRole('button', { name: 'Запустить цепочку' }).click();

      await page.getByRole('heading', { name: 'КП без ответа' }).waitFor();
      await expect
        .poll(() => page.getByTestId('follow-up-source').textContent())
        .toContain('Продажа → Коммерческое предложение отправлено');
      const enrolled = page.getByTestId('follow-up-results').locator('[data-count="enrolled"] strong');
      await expect.poll(() => enrolled.textContent(), { timeout: 15_000 }).toBe('3');

      // A deal reaching the stage while the sequence runs joins it.
      const later = await dealIn('data-collection', 'Дарья Белова');
      expect((await admin.post(`/deals/${later}/move`, { stageId: 'proposal-sent' })).status).toBe(200);
      await expect.poll(() => enrolled.textContent(), { timeout: 15_000 }).toBe('4');
      const variants = page.getByRole('table', { name: 'A/B-варианты' });
      await expect.poll(() => variants.locator('tbody tr').count()).toBeGreaterThan(0);
      await screenshot(page, 'running');

      await page.getByRole('button', { name: 'Остановить' }).click();
      await page.getByRole('button', { name: 'Да, остановить' }).click();
      await page.getByText('Запустить снова').waitFor();
      const Run = await flowRunModel(api.db);
      await expect
        .poll(async () => Run.countDocuments({ flowId, status: 'exited', 'state.exitReason': 'left' }), {
          timeout: 15_000,
        })
        .toBe(4);
      await page.reload();
      await page.getByRole('table', { name: 'Почему вышли раньше' }).getByText('Цепочку остановили').waitFor();
      await screenshot(page, 'stopped');

      await page.getByRole('link', { name: 'К списку' }).click();
      const row = page.locator('tr[data-follow-up]');
      await expect.poll(() => row.locator('[data-count="enrolled"]').textContent()).toBe('4');
      await expect.poll(() => row.getByText('Остановлена').count()).toBe(1);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  }, 120_000);
});
