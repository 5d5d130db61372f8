import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { visitorWrites } from '../api/inbox-fixture.js';
import { buildInbox, launchChromium, openPage, signIn } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** Browser notifications as the page shows them: a stand-in records them, and the tab can be "hidden". */
const NOTIFICATION_SPY = `
  window.__shown = [];
  window.__hidden = false;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.__hidden });
  window.Notification = class {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__shown.push({ title, body: options && options.body }); }
    close() {}
  };
`;

interface HeaderLayout {
  /** The heading's title: the whole name, whatever the width shows of it. */
  title: string | null;
  /** The name is wider than its box and ends in an ellipsis. */
  cut: boolean;
  /** The status buttons sit on the name's line rather than wrapped below it. */
  oneLine: boolean;
  /** Controls that leave the header (or the window) or cover another control. */
  problems: string[];
}

/** A drawn box's edges (the DOM's rect, without the DOM library in the server's types). */
interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The open conversation's header as drawn (the inbox in Russian). */
function headerLayout(page: Page): Promise<HeaderLayout> {
  const header = page.getByRole('region', { name: 'История общения' }).locator('header');
  return header.evaluate((element): HeaderLayout => {
    const heading = element.querySelector('h2');
    if (!heading) throw new Error('The header has no heading');
    const box = element.getBoundingClientRect();
    const controls = [...element.querySelectorAll('h2, button, a')]
      .filter((control) => control.getClientRects().length > 0)
      .map((control) => ({
        control,
        name: control.getAttribute('aria-label') ?? control.textContent?.trim() ?? control.tagName,
        rect: control.getBoundingClientRect(),
      }));
    // Half a pixel either way: subpixel layout rounds boxes that merely touch.
    const apart = (a: Box, b: Box) =>
      a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
    const problems: string[] = [];
    for (const { name, rect } of controls) {
      const inside =
        rect.left >= box.left - 0.5 &&
        rect.right <= Math.min(box.right, element.ownerDocument.documentElement.clientWidth) + 0.5 &&
        rect.top >= box.top - 0.5 &&
        rect.bottom <= box.bottom + 0.5;
      if (!inside) problems.push(`${name} sticks out of the header`);
    }
    for (const [index, a] of controls.entries()) {
      for (const b of controls.slice(index + 1)) {
        if (!a.control.contains(b.control) && !apart(a.rect, b.rect)) problems.push(`${a.name} covers ${b.name}`);
      }
    }
    const nameLine = heading.getBoundingClientRect();
    const statusButtons = controls.filter(({ name }) => name === 'Решить' || name === 'Статус и отложить');
    return {
      title: heading.getAttribute('title'),
      cut:
        heading.scrollWidth > heading.clientWidth &&
        heading.ownerDocument.defaultView?.getComputedStyle(heading).textOverflow === 'ellipsis',
      oneLine:
        statusButtons.length === 2 &&
        statusButtons.every(({ rect }) => rect.top < nameLine.bottom && nameLine.top < rect.bottom),
      problems,
    };
  });
}

/**
 * What the inbox shows where it has no room of its own and what it links to: a deal opened from
 * its address over its board (with a link to copy), the client's sidebar as a sheet on a phone, the
 * conversation's header on one line from a phone to a wide screen (a long name cut, whole in its
 * title), and the bell (and, in a hidden tab, the browser) telling
 * an operator a conversation was assigned to them.
 */
describe('inbox deal card, sheets and assignment alerts', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'sheets-inbox-'));
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

  it('should open a deal from its link over its board, copy the link, and work the card on a phone', async () => {
    const manager = await api.as('manager');
    const suffix = Math.random().toString(36).slice(2, 8);
    const sales = (await manager.get('/pipelines')).body.items.find(
      (pipeline: { kind: string }) => pipeline.kind === 'sales',
    );
    const contact = await manager.post('/contacts', { name: `Ольга Смирнова ${suffix}` });
    const deal = await manager.post('/deals', {
      title: `Остекление веранды ${suffix}`,
      pipelineId: sales.id,
      amount: 180_000,
      contactId: contact.body.id,
    });
    expect([contact.status, deal.status]).toEqual([201, 201]);

    const inbox = await openPage(browser);
    try {
      const page = inbox.page;
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.baseUrl });
      await page.setViewportSize({ width: 1366, height: 768 });
      await signIn(page, api.baseUrl, api.users.manager.email);
      const link = `${api.baseUrl}/#/deals/${deal.body.id}`;
      await page.goto(link);

      // The card over the board, the board behind it on the deal's pipeline.
      const card = page.getByRole('dialog', { name: 'Сделка' });
      await card.waitFor();
      await page.locator('[data-stage="data-collection"]').locator(`[data-deal="${deal.body.id}"]`).waitFor();
      await card.getByRole('heading', { name: `Остекление веранды ${suffix}` }).waitFor();
      await card.getByRole('link', { name: `Ольга Смирнова ${suffix}` }).waitFor();
      await card.getByRole('button', { name: 'Скопировать ссылку' }).click();
      await card.getByText('Ссылка скопирована').waitFor();
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(link);
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-deal-card.png'), animations: 'disabled' });

      // Moved from the card: the board follows.
      await card.getByLabel('Этап').selectOption('measurement-scheduled');
      await page.locator('[data-stage="measurement-scheduled"]').locator(`[data-deal="${deal.body.id}"]`).waitFor();
      expect((await manager.get(`/deals/${deal.body.id}`)).body.stageId).toBe('measurement-scheduled');

      // Closed with Escape; the card's title on the board opens it again.
      await page.keyboard.press('Escape');
      await page.waitForURL(/#\/deals$/);
      await page.getByRole('link', { name: `Открыть сделку «Остекление веранды ${suffix}»` }).click();
      await card.waitFor();
      expect(new URL(page.url()).hash).toBe(`#/deals/${deal.body.id}`);

      // A phone: the card takes the screen; the board's stage menu moves a deal without dragging.
      await page.setViewportSize({ width: 390, height: 844 });
      const box = await card.boundingBox();
      expect(box?.width).toBe(390);
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-deal-card-phone.png'), animations: 'disabled' });
      await card.getByRole('button', { name: 'Закрыть' }).click();
      await page
        .getByRole('combobox', { name: `Перенести сделку «Остекление веранды ${suffix}» на этап` })
        .selectOption('proposal-sent');
      await page.locator('[data-stage="proposal-sent"]').locator(`[data-deal="${deal.body.id}"]`).waitFor();
      expect(inbox.problems).toEqual([]);
    } finally {
      await inbox.close();
    }
  }, 90_000);

  it("should keep the header on one line with the contact's whole name in its title, show the sidebar as a sheet on a phone, and alert an assignment", async () => {
    const admin = await api.as('admin');
    const manager = await api.as('manager');
    const channel = await admin.post('/channels', { type: 'webchat', name: 'Сайт', allowedOrigins: [api.baseUrl] });
    expect(channel.status).toBe(201);
    const suffix = Math.random().toString(36).slice(2, 6);
    const { conversation } = await visitorWrites(
      api,
      channel.body.id,
      'Здравствуйте! Интересует дом из клеёного бруса',
    );
    const name = `Анастасия Константинопольская-Верещагина ${suffix}`;
    expect((await manager.patch(`/contacts/${conversation.contactId}`, { name })).status).toBe(200);

    const inbox = await openPage(browser);
    try {
      const page = inbox.page;
      await page.addInitScript(NOTIFICATION_SPY);
      await page.setViewportSize({ width: 1366, height: 768 });
      await signIn(page, api.baseUrl, api.users.manager.email);
      await page.goto(`${api.baseUrl}/#/inbox/${conversation.id}`);
      const heading = page.getByRole('region', { name: 'История общения' }).getByRole('heading', { name });
      await heading.waitFor();
      // A laptop: beside the status buttons the name does not fit; it is cut, never the buttons moved.
      await expect.poll(() => headerLayout(page)).toEqual({ title: name, cut: true, oneLine: true, problems: [] });
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-header-1366.png'), animations: 'disabled' });
      // A wide screen has room for all of it.
      await page.setViewportSize({ width: 1920, height: 1080 });
      await expect.poll(() => headerLayout(page)).toEqual({ title: name, cut: false, oneLine: true, problems: [] });
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-header-1920.png'), animations: 'disabled' });
      // Tablets and narrow windows: the rail keeps its icons, the list and the conversation keep their room,
      // and nothing of the page (the top bar's controls among it) runs off the side.
      for (const width of [760, 1000]) {
        await page.setViewportSize({ width, height: 800 });
        await expect
          .poll(() => headerLayout(page), { message: `${width} px` })
          .toEqual({ title: name, cut: true, oneLine: true, problems: [] });
        expect(
          await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth'),
          `${width} px`,
        ).toBe(true);
      }
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-header-1000.png'), animations: 'disabled' });
      await page.setViewportSize({ width: 1920, height: 1080 });

      // An admin gives the conversation to the manager while her tab is hidden: the bell and the browser tell her.
      await page.evaluate('window.__hidden = true');
      const given = await admin.patch(`/conversations/${conversation.id}`, { assigneeId: api.users.manager.id });
      expect(given.status, JSON.stringify(given.body)).toBe(200);
      const bell = page.getByRole('button', { name: 'Уведомления: 1 непрочитанных' });
      await bell.waitFor();
      await expect
        .poll(() => page.evaluate<{ title: string; body: string }[]>('window.__shown'))
        .toContainEqual({
          title: `${api.users.admin.name} назначил(а) вам разговор`,
          body: expect.stringContaining(name),
        });
      await page.evaluate('window.__hidden = false');
      await bell.click();
      await page
        .getByRole('region', { name: 'Уведомления' })
        .getByText(`${api.users.admin.name} назначил(а) вам разговор`)
        .waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-bell-assigned.png'), animations: 'disabled' });
      await page.keyboard.press('Escape');

      // A phone: the header still holds one line; the client's sidebar comes as a sheet from it.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => headerLayout(page)).toEqual({ title: name, cut: true, oneLine: true, problems: [] });
      await page.getByRole('button', { name: 'Клиент и сделки' }).click();
      const sheet = page.getByRole('dialog', { name: 'Клиент и сделки' });
      await sheet.getByRole('complementary', { name: 'Клиент и сделки' }).getByRole('heading', { name }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-contact-sheet-phone.png'), animations: 'disabled' });
      await sheet.getByRole('button', { name: 'Закрыть' }).click();
      await sheet.waitFor({ state: 'detached' });
      expect(inbox.problems).toEqual([]);
    } finally {
      await inbox.close();
    }
  }, 90_000);
});
