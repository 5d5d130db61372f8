import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectId } from 'bson';
import { Types } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactModels } from '../../server/contacts/contact-models.js';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { messageModel } from '../../server/messaging/message-model.js';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../api/api-harness.js';
import { buildInbox, launchChromium, openPage } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const DAY = 24 * 60 * 60_000;
/** One message a day: every row of the history has its own day separator, the sparse case. */
const EVENTS = 400;
const SCROLLER = 'section[aria-label="История общения"] [role="list"]';

/** An ObjectId of the given time, so `_id` order is time order. */
function idAt(time: number): Types.ObjectId {
  return new Types.ObjectId(ObjectId.generate(Math.floor(time / 1000)));
}

/** The message nearest the timeline's top edge and where it is on screen. Browser code kept as text (the DOM's types are not the tests'). */
function topMessage(page: Page): Promise<{ id: string; top: number; height: number }> {
  return page.evaluate(`(() => {
    const element = document.querySelector(${JSON.stringify(SCROLLER)});
    const top = element.getBoundingClientRect().top;
    const shown = [...element.querySelectorAll('[data-message]')].find((m) => m.getBoundingClientRect().top >= top);
    return { id: shown.dataset.message, top: shown.getBoundingClientRect().top, height: element.scrollHeight };
  })()`);
}

function twoFrames(page: Page): Promise<unknown> {
  return page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/**
 * "Load earlier" in a history whose days are sparse (a separator before every message): the message
 * the operator was reading does not move by a pixel when the earlier page is put above it.
 */
describe('timeline load earlier', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'load-earlier-inbox-'));
  let browser: Browser;
  let api: TestApi;
  let conversationId: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir })]);
    const now = Date.now();
    const contactId = idAt(now - EVENTS * DAY);
    await contactModels(api.db).Contact.create({ _id: contactId, name: 'Клиент с долгой историей' });
    const conversation = await conversationModel(api.db).create({
      contactId,
      channel: 'webchat',
      channelAccountId: new Types.ObjectId(),
      chatId: `visitor-${contactId.toHexString()}`,
      status: 'open',
      handler: 'human',
      teamIds: [],
      lastMessageAt: new Date(now),
      lastMessage: { direction: 'in', preview: `Сообщение ${EVENTS}` },
      unreadCount: 0,
    });
    conversationId = conversation._id.toHexString();
    await messageModel(api.db).insertMany(
      Array.from({ length: EVENTS }, (_, i) => {
        const at = now - (EVENTS - i) * DAY;
        return {
          _id: idAt(at),
          conversationId: conversation._id,
          contactId,
          channel: 'webchat',
          channelAccountId: conversation.channelAccountId,
          direction: 'in',
          author: { kind: 'contact' },
          // Rows of one, two and four lines: estimates differ from the measured heights.
          content: {
            kind: 'text',
            text:
              `Сообщение ${i + 1}` + '. Когда можно приехать на замер?'.repeat(i % 3 === 0 ? 0 : i % 3 === 1 ? 2 : 6),
          },
          status: 'received',
          createdAt: new Date(at),
          updatedAt: new Date(at),
        };
      }),
      { lean: true },
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should keep the message on screen exactly in place as earlier pages are prepended', async () => {
    const inbox = await openPage(browser);
    try {
      const page = inbox.page;
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.goto(`${api.baseUrl}/#/inbox/${conversationId}`);
      await page.getByLabel('Электронная почта').fill(api.users.admin.email);
      await page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Войти', exact: true }).click();
      const timeline = page.getByRole('region', { name: 'История общения' });
      await timeline.locator('[data-message]', { hasText: `Сообщение ${EVENTS}` }).waitFor({ timeout: 30_000 });

      for (const round of [1, 2, 3]) {
        // The earlier page is held back until the message at the top of the view is noted.
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        await page.route(/\/timeline\?.*cursor=/, async (route) => {
          await held;
          await route.continue();
        });
        await page.evaluate(`document.querySelector(${JSON.stringify(SCROLLER)}).scrollTop = 0`);
        await twoFrames(page);
        const before = await topMessage(page);
        release();
        await expect.poll(async () => (await topMessage(page)).height).toBeGreaterThan(before.height);
        await twoFrames(page);
        await twoFrames(page);
        await page.unroute(/\/timeline\?.*cursor=/);
        // Settled: no further page on its way (the top may still be near enough to ask for one).
        await timeline.getByRole('button', { name: 'Показать раньше' }).waitFor();
        await twoFrames(page);
        const after = await timeline.locator(`[data-message="${before.id}"]`).boundingBox();
        expect(Math.abs((after?.y ?? Number.NaN) - before.top), `round ${round}`).toBeLessThanOrEqual(1);
      }
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-timeline-load-earlier.png'), animations: 'disabled' });
      expect(inbox.problems).toEqual([]);
    } finally {
      await inbox.close();
    }
  }, 120_000);
});
