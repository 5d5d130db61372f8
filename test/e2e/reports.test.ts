import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { dealModel } from '../../server/deals/deal-model.js';
import { DEMO_PASSWORD } from '../../server/demo/demo-accounts.js';
import { pipelineModel } from '../../server/pipelines/pipeline-model.js';
import type { ReportView } from '../../server/reports/report-definition.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { buildInbox, launchChromium, openPage } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** Signs a demo account in (the harness's signIn knows the test users' password, not the demo's). */
async function signInDemo(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url, { timeout: 20_000 });
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await page.getByRole('navigation', { name: 'Разделы', exact: true }).waitFor();
}

/** The report the page asks the API for next, as the API answered it. */
function nextReport(page: Page, report: string): Promise<ReportView> {
  return page
    .waitForResponse((response) => new URL(response.url()).pathname === `/api/v1/reports/${report}`, {
      timeout: 20_000,
    })
    .then(async (response) => {
      expect(response.status()).toBe(200);
      return (await response.json()) as ReportView;
    });
}

/** How many pixels of the chart's canvas Chart.js painted: a blank canvas has none. */
function paintedPixels(page: Page): Promise<number> {
  // A string: this suite compiles without the DOM's types, the page runs it with them.
  return page.evaluate<number>(`(() => {
    const canvas = document.querySelector('[data-testid="report-chart"]');
    const context = canvas && canvas.width > 0 && canvas.height > 0 ? canvas.getContext('2d') : null;
    if (!context) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let alpha = 3; alpha < data.length; alpha += 4) if (data[alpha] > 0) painted++;
    return painted;
  })()`);
}

async function chartDrawn(page: Page, kind: string): Promise<void> {
  await page
    .locator(`[data-testid="report-chart"][data-kind="${kind}"][data-drawn="true"]`)
    .waitFor({ timeout: 20_000 });
  // Chart.js animates its first frame; the painted canvas is what the reader sees.
  await expect.poll(() => paintedPixels(page), { timeout: 5_000 }).toBeGreaterThan(1_000);
}

/** The table as the reader sees it: each row's cells' texts. */
function tableRows(page: Page, testId: string): Promise<string[][]> {
  return page
    .getByTestId(testId)
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent?.trim() ?? '')));
}

/**
 * The Reports page as the "done when" asks: the demo manager (Елена, manager@demo.local)
 * opens Reports on the demo workspace and sees its funnel, response times and sources with charts,
 * the numbers on screen the API's; then in English; a filtered link opens the same view again.
 */
describe('inbox reports page on the demo workspace', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'reports-inbox-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir, demoData: true })]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should show the demo manager the funnel, response times and sources with charts and the API numbers', async () => {
    const session = await openPage(browser);
    const { page } = session;
    try {
      // Tall: the section scrolls inside the frame, so a full-page screenshot holds what the window shows.
      await page.setViewportSize({ width: 1366, height: 1800 });
      await signInDemo(page, api.baseUrl, 'manager@demo.local');
      const funnelRead = nextReport(page, 'funnel');
      await page
        .getByRole('navigation', { name: 'Разделы', exact: true })
        .getByRole('link', { name: 'Отчёты' })
        .click();
      const funnel = await funnelRead;

      // Managers open every report: a tab each, the funnel first and open.
      const tabs = page.getByRole('navigation', { name: 'Отчёты', exact: true }).getByRole('link');
      expect(await tabs.evaluateAll((links) => links.map((link) => link.getAttribute('data-report')))).toEqual([
        'funnel',
        'stage-time',
        'responses',
        'bot',
        'sources',
        'campaigns',
        'activity',
        'payback',
      ]);
      await expect
        .poll(() => page.locator('nav a[aria-current="page"][data-report]').textContent())
        .toBe('Воронка продаж');
      expect(page.url()).toContain('#/reports');

      // The demo has deals in the last 30 days: a funnel, not «Нет данных за период».
      expect(funnel.table.rows.length).toBeGreaterThan(1);
      const leads = funnel.headline.find((figure) => figure.key === 'leads');
      expect(leads?.value).toBeGreaterThan(0);
      await chartDrawn(page, 'funnel');
      expect(await page.locator('[data-figure="leads"] [data-testid="figure-value"]').textContent()).toBe(
        String(leads?.value),
      );
      // Each stage of the demo pipeline with the deals that reached it, as the API counted them.
      const rows = await tableRows(page, 'report-table');
      expect(rows.map((cells) => cells[0])).toEqual(funnel.table.rows.map((row) => row.stage));
      expect(rows.map((cells) => cells[1])).toEqual(funnel.table.rows.map((row) => String(row.reached)));
      expect(funnel.chart.labels).toEqual(funnel.table.rows.map((row) => row.stage));
      // The first stage holds every new deal: the funnel starts from the headline's number.
      expect(funnel.table.rows[0]?.reached).toBe(leads?.value);
      // And that number is the records': the deals created on those days (Moscow, the demo
      // manager's zone) that went through the sales pipeline.
      const sales = await (await pipelineModel(api.db)).findOne({ systemKey: 'sales' }).lean();
      const day = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Moscow' });
      const createdInPeriod = async (extra: Record<string, unknown> = {}) =>
        (await dealModel(api.db)).countDocuments({
          createdAt: {
            $gte: day(funnel.period.from).toJSDate(),
            $lt: day(funnel.period.to).plus({ days: 1 }).toJSDate(),
          },
          'stageHistory.pipelineId': sales?._id,
          ...extra,
        });
      expect(leads?.value).toBe(await createdInPeriod());
      // Some of them were already sold: the funnel ends in wins, as many as the records hold.
      const won = funnel.headline.find((figure) => figure.key === 'won');
      const wonCreated = await createdInPeriod({ status: 'won' });
      expect(won?.value).toBeGreaterThan(0);
      expect(won?.value).toBe(wonCreated);
      expect(await page.locator('[data-figure="won"] [data-testid="figure-value"]').textContent()).toBe(
        String(won?.value),
      );
      await page.screenshot({ path: join(ARTIFACTS, 'reports-funnel.png'), animations: 'disabled', fullPage: true });

      // Response times: the demo's conversations were answered, so there are figures and a chart.
      const responsesRead = nextReport(page, 'responses');
      await page.locator('nav a[data-report="responses"]').click();
      const responses = await responsesRead;
      await chartDrawn(page, responses.chart.kind);
      await expect
        .poll(() => tableRows(page, 'report-table').then((found) => found.length))
        .toBe(responses.table.rows.length);
      await page.screenshot({ path: join(ARTIFACTS, 'reports-responses.png'), animations: 'disabled', fullPage: true });

      // Sources: the demo's clients came from named sources; the table names them as the API does.
      const sourcesRead = nextReport(page, 'sources');
      await page.locator('nav a[data-report="sources"]').click();
      const sources = await sourcesRead;
      await chartDrawn(page, sources.chart.kind);
      const sourceRows = await tableRows(page, 'report-table');
      expect(sourceRows.map((cells) => cells[0])).toEqual(sources.table.rows.map((row) => row.source));
      expect(sourceRows.map((cells) => cells[1])).toEqual(sources.table.rows.map((row) => String(row.leads)));
      expect(sources.table.rows.some((row) => row.source === 'Яндекс.Директ')).toBe(true);

      // A filter goes to the API and into the address; the address opened again restores it.
      const quarterRead = nextReport(page, 'sources');
      await page.getByRole('button', { name: '90 дней' }).click();
      const quarter = await quarterRead;
      expect(page.url()).toContain(`#/reports/sources?from=${quarter.period.from}&to=${quarter.period.to}`);
      const reloaded = nextReport(page, 'sources');
      await page.reload();
      expect((await reloaded).period).toEqual(quarter.period);
      await page.getByRole('button', { name: '90 дней', pressed: true }).waitFor();
      await expect
        .poll(() => page.locator('nav a[aria-current="page"][data-report]').getAttribute('data-report'))
        .toBe('sources');

      // The export is the table, headed in the reader's language (the server writes the audit entry).
      const download = page.waitForEvent('download', { timeout: 15_000 });
      await page.getByRole('button', { name: 'Выгрузить в CSV' }).click();
      const file = await (await download).path();
      expect(readFileSync(file, 'utf8')).toContain('Источник');
      await page.getByRole('status').filter({ hasText: 'Файл готов' }).waitFor();

      // In English: the tabs, the table's headers and the figures' words are the server's English labels.
      await page.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => page.locator('nav a[aria-current="page"][data-report]').textContent()).not.toBe('');
      const sourceColumn = sources.table.columns.find((column) => column.key === 'source');
      await expect
        .poll(() => page.getByTestId('report-table').locator('thead th').first().textContent())
        .toBe(sourceColumn?.label.en);
      await page.getByRole('button', { name: 'Copy link' }).click();
      await page.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
      await chartDrawn(page, sources.chart.kind);
      await page.screenshot({
        path: join(ARTIFACTS, 'reports-sources-en.png'),
        animations: 'disabled',
        fullPage: true,
      });

      // A phone: the filters and figures stack, the tables scroll inside their cards.
      await page.setViewportSize({ width: 390, height: 844 });
      await chartDrawn(page, sources.chart.kind);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(ARTIFACTS, 'reports-phone.png'), animations: 'disabled' });

      expect(session.problems).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, 'reports-failure.png'), animations: 'disabled' });
      throw error;
    } finally {
      await session.close();
    }
  }, 180_000);

  it('should show an operator only the reports of their own work', async () => {
    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      // A link to a marketer's report opens the operator's first tab instead.
      const funnelRead = nextReport(page, 'funnel');
      await signInDemo(page, `${api.baseUrl}/#/reports/sources`, 'operator@demo.local');
      await funnelRead;
      const tabs = page.getByRole('navigation', { name: 'Отчёты', exact: true }).getByRole('link');
      await tabs.first().waitFor();
      expect(await tabs.evaluateAll((links) => links.map((link) => link.getAttribute('data-report')))).toEqual([
        'funnel',
        'stage-time',
        'responses',
        'activity',
      ]);
      await expect
        .poll(() => page.locator('nav a[aria-current="page"][data-report]').getAttribute('data-report'))
        .toBe('funnel');
      // Their figures are their own: no team or person to pick, and the page says so.
      const filters = page.getByRole('form', { name: 'Фильтры отчёта' });
      expect(await filters.getByLabel('Команда').count()).toBe(0);
      expect(await filters.getByLabel('Сотрудник').count()).toBe(0);
      await filters.getByText('Только ваши показатели').waitFor();
      await page
        .locator('[data-testid="report-chart"][data-drawn="true"], [data-testid="report-empty"]')
        .first()
        .waitFor({
          timeout: 20_000,
        });
      await page.screenshot({ path: join(ARTIFACTS, 'reports-operator.png'), animations: 'disabled', fullPage: true });
      expect(session.problems).toEqual([]);
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, 'reports-operator-failure.png'), animations: 'disabled' });
      throw error;
    } finally {
      await session.close();
    }
  }, 120_000);
});
