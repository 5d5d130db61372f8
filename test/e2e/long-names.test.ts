import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { visitorWrites } from '../api/inbox-fixture.js';
import { buildInbox, launchChromium, openPage, signIn } from './harness.js';
import { nameLayoutProblems } from './name-layout.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** A laptop's window, with the client's sidebar in a column of its own, and a narrow one, with it in a sheet. */
const WIDTHS = [1280, 1024];
/** Up to this width (72rem) the inbox shows the client's sidebar as a sheet, opened from the header. */
const SIDEBAR_AS_SHEET = 1152;

interface LongNamed {
  person: string;
  company: string;
  /** Wider than the sidebar: the one text that may break inside a word. */
  email: string;
  dealTitle: string;
  companyDealTitle: string;
  taskTitle: string;
  personConversationId: string;
  dealId: string;
  taskId: string;
  /** A word of the person's first message, for the search. */
  word: string;
}

/**
 * A person and a company (a contact named as one, as amoCRM imports show them) with long names
 * written to the manager: a conversation each, a deal each, and a task on the person's deal.
 */
async function longNamedClients(api: TestApi): Promise<LongNamed> {
  const admin = await api.as('admin');
  const manager = await api.as('manager');
  const tail = Math.random().toString(36).slice(2, 6);
  // Letters only in names: a word like «мансарда1x2» is two words to the search.
  const suffix = tail.replace(/\d/g, 'я');
  const word = `мансарда${suffix}`;
  const channel = await admin.post('/channels', { type: 'webchat', name: 'Сайт', allowedOrigins: [api.baseUrl] });
  expect(channel.status).toBe(201);
  const person = `Константинопольский-Мамин-Сибиряк Александр Вениаминович ${suffix}`;
  const company = `ООО «Северо-Западная строительная компания» ${suffix}`;
  const email = `konstantin.konstantinopolsky.mamin.sibiryak.${tail}@severo-zapadnaya-stroitelnaya.ru`;
  const first = await visitorWrites(api, channel.body.id, `Хочу дом с ${word}`);
  const second = await visitorWrites(api, channel.body.id, 'Нужна смета на остекление объекта');
  const named = await manager.patch(`/contacts/${first.conversation.contactId}`, { name: person, emails: [email] });
  const companyNamed = await manager.patch(`/contacts/${second.conversation.contactId}`, { name: company });
  const assigned = await manager.patch(`/conversations/${second.conversation.id}`, {
    assigneeId: api.users.manager.id,
  });
  expect([named.status, companyNamed.status, assigned.status], JSON.stringify(named.body)).toEqual([200, 200, 200]);
  const sales = (await manager.get('/pipelines')).body.items.find(
    (pipeline: { kind: string }) => pipeline.kind === 'sales',
  );
  const dealTitle = `Остекление веранды и зимнего сада в посёлке «Солнечная долина» ${suffix}`;
  const companyDealTitle = `Поставка панорамных окон для ${company}`;
  const deal = await manager.post('/deals', {
    title: dealTitle,
    pipelineId: sales.id,
    amount: 1_280_000,
    contactId: first.conversation.contactId,
  });
  const companyDeal = await manager.post('/deals', {
    title: companyDealTitle,
    pipelineId: sales.id,
    amount: 2_450_000,
    contactId: second.conversation.contactId,
  });
  const taskTitle = `Согласовать замер с Константинопольским-Маминым-Сибиряком ${suffix}`;
  const task = await manager.post('/tasks', {
    title: taskTitle,
    kind: 'call',
    contactId: first.conversation.contactId,
    dealId: deal.body.id,
    dueAt: new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString(),
  });
  expect([deal.status, companyDeal.status, task.status]).toEqual([201, 201, 201]);
  return {
    person,
    company,
    email,
    dealTitle,
    companyDealTitle,
    taskTitle,
    personConversationId: first.conversation.id,
    dealId: deal.body.id,
    taskId: task.body.id,
    word,
  };
}

/**
 * What is wrong with the names in `scope` once the layout has settled: nothing as soon as that is
 * so, else whatever is still wrong after two seconds (each test lists every place before it fails).
 */
async function namesProblems(page: Page, scope: string, names: readonly string[], width: number): Promise<string[]> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const problems = await nameLayoutProblems(page.locator(scope).first(), names);
    if (problems.length === 0 || Date.now() > deadline)
      return problems.map((problem) => `${width} px, ${scope}: ${problem}`);
    await page.waitForTimeout(100);
  }
}

/**
 * Long names of people, companies and deals as a person sees them: wrapped between words where a
 * heading may take several lines, cut with an ellipsis (and whole in the title) where a row keeps one,
 * and never out of their boxes, at a laptop's width and a narrow window's.
 */
describe('long names in the inbox', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'long-names-inbox-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir })]);
    await ensureDefaultPipelines(api.db);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it("should wrap the client's names between words in the sidebar and cut them in the list with a title", async () => {
    const client = await longNamedClients(api);
    const inbox = await openPage(browser);
    try {
      const page = inbox.page;
      const misdrawn: string[] = [];
      await signIn(page, api.baseUrl, api.users.manager.email);
      await page.goto(`${api.baseUrl}/#/inbox/${client.personConversationId}`);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        const sidebar = page.getByRole('complementary', { name: 'Клиент и сделки' });
        if (width <= SIDEBAR_AS_SHEET) await page.getByRole('button', { name: 'Клиент и сделки' }).click();
        await sidebar.getByRole('heading', { name: client.dealTitle }).waitFor();
        await sidebar.getByText(client.taskTitle).waitFor();
        await page.getByRole('region', { name: 'История общения' }).getByText(client.taskTitle).waitFor();
        misdrawn.push(
          ...(await namesProblems(page, '[aria-label="Разговоры"]', [client.person, client.company], width)),
        );
        // The header and the timeline's deal and task, with the operator who made them.
        const made = [client.dealTitle, client.taskTitle, api.users.manager.name];
        misdrawn.push(
          ...(await namesProblems(page, '[aria-label="История общения"]', [client.person, ...made], width)),
        );
        const names = [client.person, client.email, client.dealTitle, client.taskTitle];
        misdrawn.push(...(await namesProblems(page, 'aside[aria-label="Клиент и сделки"]', names, width)));
        await page.screenshot({ path: join(ARTIFACTS, `long-names-inbox-${width}.png`), animations: 'disabled' });
      }
      expect(misdrawn).toEqual([]);
      expect(inbox.problems).toEqual([]);
    } finally {
      await inbox.close();
    }
  }, 90_000);

  it('should keep long names whole on the board, the deal card, the tasks, the search and the contacts', async () => {
    const client = await longNamedClients(api);
    const inbox = await openPage(browser);
    try {
      const page = inbox.page;
      const misdrawn: string[] = [];
      await signIn(page, api.baseUrl, api.users.manager.email);
      const dealNames = [client.dealTitle, client.companyDealTitle, client.person, client.company, client.taskTitle];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${api.baseUrl}/#/deals`);
        await page.locator(`[data-deal="${client.dealId}"]`).waitFor();
        misdrawn.push(
          ...(await namesProblems(page, `[data-stage]:has([data-deal="${client.dealId}"])`, dealNames, width)),
        );
        await page.screenshot({ path: join(ARTIFACTS, `long-names-board-${width}.png`), animations: 'disabled' });

        await page.goto(`${api.baseUrl}/#/deals/${client.dealId}`);
        const card = page.getByRole('dialog', { name: 'Сделка' });
        await card.getByRole('link', { name: client.person }).waitFor();
        misdrawn.push(...(await namesProblems(page, '[role="dialog"][aria-label="Сделка"]', dealNames, width)));
        await page.screenshot({ path: join(ARTIFACTS, `long-names-deal-${width}.png`), animations: 'disabled' });

        await page.goto(`${api.baseUrl}/#/tasks`);
        await page.locator(`[data-task="${client.taskId}"]`).getByText(client.person).waitFor();
        await page.locator('[aria-labelledby="my-day-title"]').getByText(client.company).waitFor();
        misdrawn.push(
          ...(await namesProblems(page, `[data-task="${client.taskId}"]`, [client.taskTitle, client.person], width)),
        );
        misdrawn.push(...(await namesProblems(page, '[aria-labelledby="my-day-title"]', [client.company], width)));
        await page.screenshot({ path: join(ARTIFACTS, `long-names-tasks-${width}.png`), animations: 'disabled' });

        const search = new URLSearchParams({ q: client.word, open: client.personConversationId });
        await page.goto(`${api.baseUrl}/#/search/${encodeURIComponent(search.toString())}`);
        await page.locator('[data-message]', { hasText: client.word }).waitFor();
        misdrawn.push(...(await namesProblems(page, 'main', [client.person], width)));
        await page.screenshot({ path: join(ARTIFACTS, `long-names-search-${width}.png`), animations: 'disabled' });

        await page.goto(`${api.baseUrl}/#/contacts`);
        await page.getByRole('link', { name: client.person }).waitFor();
        misdrawn.push(...(await namesProblems(page, '.ui-page', [client.person, client.company, client.email], width)));
        await page.screenshot({ path: join(ARTIFACTS, `long-names-contacts-${width}.png`), animations: 'disabled' });
        await page.getByRole('link', { name: client.person }).click();
        await page.getByRole('heading', { name: client.person }).waitFor();
        // The client's card is a column of its own: an address too long for it breaks there.
        const contactCard = '[aria-labelledby="contact-name"]';
        misdrawn.push(...(await namesProblems(page, contactCard, [client.person, client.email], width)));
        await page.getByText(client.taskTitle).waitFor();
        misdrawn.push(...(await namesProblems(page, '.ui-page', [client.dealTitle, client.taskTitle], width)));
      }
      expect(misdrawn).toEqual([]);
      expect(inbox.problems).toEqual([]);
    } finally {
      await inbox.close();
    }
  }, 120_000);
});
