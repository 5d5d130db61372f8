import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_PASSWORD, type ApiClient, type TestApi } from '../api/api-harness.js';
import { buildWidget, launchChromium, openPage, type ErrorWatchingPage } from './harness.js';

/**
 * The site chat on the whole app: the widget in Chromium, the real visitor namespace, ingest,
 * store, outbound queue and worker, and an operator on the inbox socket. widget-demo.test.ts
 * covers the widget's own behaviour against an in-memory backend; this suite covers the seams.
 */

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** The widget's host element; Playwright's CSS and role locators reach into its open shadow root. */
const WIDGET = 'funnel-chat-widget';
/** How long the visitor backend trusts its last presence answer (PRESENCE_CACHE_MS), plus a margin. */
const PRESENCE_STALE_MS = 3300;
const OPERATOR = 'Анна Смирнова';
const TITLE = 'ЭкоДом';

/** Builds the widget from its current sources into a folder of the suite's own, while the app starts. */
interface InboxEvent {
  event: string;
  payload: unknown;
}

describe('site chat widget on the app', () => {
  const widgetDir = mkdtempSync(join(tmpdir(), 'widget-app-'));
  let api: TestApi;
  let manager: ApiClient;
  let admin: ApiClient;
  let browser: Browser;
  const pages: ErrorWatchingPage[] = [];
  const inboxSockets: Socket[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const [started, launched] = await Promise.all([
      startTestApi({ widgetDir }),
      launchChromium(),
      buildWidget(widgetDir),
    ]);
    api = started;
    browser = launched;
    await api.createUser({ role: 'manager', name: OPERATOR, email: 'anna@test.local' });
    [manager, admin] = await Promise.all([api.login('anna@test.local', TEST_PASSWORD), api.as('admin')]);
  });

  afterAll(async () => {
    for (const socket of inboxSockets) socket.disconnect();
    await browser?.close();
    await api?.close();
    rmSync(widgetDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const socket of inboxSockets.splice(0)) socket.disconnect();
    const problems = pages.flatMap((opened) => opened.problems);
    await Promise.all(pages.splice(0).map((opened) => opened.close()));
    expect(problems).toEqual([]);
  });

  async function createChannel(allowedOrigins: string[]): Promise<string> {
    const created = await admin.post('/channels', {
      type: 'webchat',
      name: `Сайт ${Math.random().toString(36).slice(2, 8)}`,
      allowedOrigins,
      title: TITLE,
      color: '#2f6f4e',
      greeting: { ru: 'Здравствуйте! Подберём проект и посчитаем смету.' },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  /** A fresh browser context: its own localStorage, so its own visitor. */
  async function open(path: string): Promise<Page> {
    const opened = await openPage(browser);
    pages.push(opened);
    await opened.page.goto(`${api.baseUrl}${path}`);
    return opened.page;
  }

  async function openChat(page: Page): Promise<Locator> {
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    const chat = page.getByRole('dialog', { name: TITLE });
    await chat.waitFor();
    return chat;
  }

  /** An operator's inbox tab: the inbox socket, authenticated by an API token, recording what it is pushed. */
  async function operatorOnline(token: string): Promise<{ socket: Socket; events: InboxEvent[] }> {
    const socket = connect(`${api.baseUrl}/inbox`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    inboxSockets.push(socket);
    const events: InboxEvent[] = [];
    socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return { socket, events };
  }

  async function newToken(scopes: string[]): Promise<string> {
    const created = await manager.post('/auth/tokens', { name: `inbox ${scopes.join(' ')}`, scopes });
    expect(created.status).toBe(201);
    return created.body.token;
  }

  async function visitorIdOf(page: Page, channelId: string): Promise<string> {
    // A string: this suite is type-checked without the DOM library.
    const stored = await page.evaluate<string | null>(
      `localStorage.getItem(${JSON.stringify(`funnel-widget:${channelId}`)})`,
    );
    const visitorId: unknown = JSON.parse(stored ?? '{}').visitorId;
    if (typeof visitorId !== 'string') throw new Error(`no visitor id stored: ${stored}`);
    return visitorId;
  }

  async function messagesOf(conversationId: string) {
    const response = await manager.get(`/conversations/${conversationId}/messages?limit=50`);
    expect(response.status).toBe(200);
    return response.body.items;
  }

  async function fileBytes(path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
    const response = await fetch(`${api.baseUrl}${path}`, { headers: { cookie: manager.cookie ?? '' } });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  }

  it('should chat with an operator through the app: inbox push, history, reply with buttons, typing, an image', async () => {
    const channelId = await createChannel([api.baseUrl]);
    // A token that may not read conversations does not get the inbox's pushes.
    await expect(operatorOnline(await newToken(['contacts.read']))).rejects.toThrow('Sign in to the inbox first');
    const inbox = await operatorOnline(await newToken(['conversations.read', 'conversations.reply']));

    const page = await open(`/demo?channel=${channelId}&utm_source=yandex`);
    const chat = await openChat(page);
    await chat.getByText('Подберём проект и посчитаем смету').waitFor();
    await expect.poll(() => chat.getByText('Онлайн · ответим за пару минут').isVisible()).toBe(true);
    expect(await chat.getByRole('heading', { name: 'Сейчас мы не в сети' }).count()).toBe(0);

    const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
    await input.fill('Здравствуйте! Сколько стоит Кедровый 142 с террасой?');
    await input.press('Enter');
    const mine = page.locator(`${WIDGET} .message.from-visitor`);
    await mine.filter({ hasText: 'Кедровый 142' }).locator('time').waitFor();
    const visitorId = await visitorIdOf(page, channelId);

    await expect
      .poll(() => inbox.events.find((seen) => seen.event === 'message.created'))
      .toMatchObject({
        payload: {
          message: {
            channel: 'webchat',
            channelAccountId: channelId,
            direction: 'in',
            content: { kind: 'text', text: 'Здравствуйте! Сколько стоит Кедровый 142 с террасой?' },
          },
        },
      });
    const contacts = await manager.get(`/contacts?q=${visitorId}`);
    expect(contacts.body.items).toHaveLength(1);
    const contact = contacts.body.items[0];
    expect(contact.identities).toEqual([{ channel: 'webchat', accountId: channelId, externalId: visitorId }]);
    const conversations = await manager.get(`/conversations?contactId=${contact.id}`);
    expect(conversations.body.items).toHaveLength(1);
    const conversationId: string = conversations.body.items[0].id;
    const timeline = await manager.get(`/contacts/${contact.id}/timeline`);
    expect(timeline.body.items).toMatchObject([
      {
        kind: 'message',
        message: { conversationId, content: { text: 'Здравствуйте! Сколько стоит Кедровый 142 с террасой?' } },
      },
    ]);

    await page.reload();
    await chat.waitFor();
    await mine.filter({ hasText: 'Кедровый 142' }).locator('time').waitFor();
    expect(await visitorIdOf(page, channelId)).toBe(visitorId);

    const reply = await manager.post(`/conversations/${conversationId}/messages`, {
      text: 'Добрый день! Кедровый 142 с террасой — от 8,4 млн ₽ под ключ. Удобно созвониться или приедете на экскурсию?',
      buttons: [
        { id: 'call', text: 'Позвоните мне' },
        { id: 'visit', text: 'Хочу на экскурсию' },
      ],
    });
    // Stored as queued: the outbound queue's worker sends it to the visitor's room.
    expect(reply).toMatchObject({ status: 202, body: { status: 'queued' } });
    const theirs = page.locator(`${WIDGET} .message.from-company:not(.greeting)`);
    await theirs.filter({ hasText: 'от 8,4 млн ₽' }).waitFor();
    await page.locator(`${WIDGET} .message.from-company .author`, { hasText: OPERATOR }).waitFor();
    const buttons = chat.getByRole('group', { name: OPERATOR }).getByRole('button');
    expect(await buttons.allInnerTexts()).toEqual(['Позвоните мне', 'Хочу на экскурсию']);
    await expect
      .poll(async () =>
        (await messagesOf(conversationId)).find((message: { id: string }) => message.id === reply.body.id),
      )
      .toMatchObject({ status: 'sent', author: { kind: 'user', name: OPERATOR } });
    await page.screenshot({ path: join(ARTIFACTS, 'widget-app-reply.png'), animations: 'disabled' });

    await chat.getByRole('button', { name: 'Хочу на экскурсию' }).click();
    await mine.filter({ hasText: 'Хочу на экскурсию' }).locator('time').waitFor();
    expect(await buttons.count()).toBe(0);
    await expect
      .poll(async () => (await messagesOf(conversationId))[0])
      .toMatchObject({ direction: 'in', content: { kind: 'button', payload: 'visit', text: 'Хочу на экскурсию' } });

    inbox.socket.emit('typing', { conversationId, typing: true });
    await chat.getByText(`${OPERATOR} печатает…`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'widget-app-typing.png'), animations: 'disabled' });
    inbox.socket.emit('typing', { conversationId, typing: false });
    await chat.getByText(`${OPERATOR} печатает…`).waitFor({ state: 'detached' });

    // A photo of the site's own illustration stands in for the visitor's photo of their plot.
    const photo = await page.screenshot({ clip: { x: 680, y: 182, width: 196, height: 320 } });
    await page
      .locator(`${WIDGET} input[type=file]`)
      .setInputFiles({ name: 'участок.png', mimeType: 'image/png', buffer: photo });
    const image = mine.locator('img[alt="участок.png"]');
    await image.waitFor();
    await expect
      .poll(async () => (await messagesOf(conversationId))[0])
      .toMatchObject({
        direction: 'in',
        content: {
          kind: 'media',
          media: { kind: 'image', state: 'kept', mimeType: 'image/png', fileName: 'участок.png' },
        },
      });
    const [stored] = await messagesOf(conversationId);
    const fileId: string = stored.content.media.url.match(/^\/api\/v1\/files\/([0-9a-f]{24})$/)?.[1];
    expect(fileId).toBeDefined();
    const kept = await fileBytes(`/api/v1/files/${fileId}`);
    expect(kept).toMatchObject({ status: 200, type: 'image/png' });
    expect(kept.bytes.equals(photo)).toBe(true);
    // The widget shows the same file by a signed link, which works without an inbox session.
    expect(await image.getAttribute('src')).toMatch(new RegExp(`/files/${fileId}/\\d+/[\\w-]+$`));
    // Loaded: the signed link answered with an image the browser could decode.
    const shown = `document.querySelector('${WIDGET}').shadowRoot.querySelector('img[alt="участок.png"]')`;
    await expect.poll(() => page.evaluate<number>(`${shown}.complete && ${shown}.naturalWidth`)).toBe(196);
    await page.screenshot({ path: join(ARTIFACTS, 'widget-app-image.png'), animations: 'disabled' });
  }, 45_000);

  it('should take a lead through the offline form when nobody is online', async () => {
    const channelId = await createChannel([api.baseUrl]);
    // The last operator closes the inbox; the backend may still answer from presence it saw before.
    const inbox = await operatorOnline(await newToken(['conversations.read']));
    inbox.socket.disconnect();
    await sleep(PRESENCE_STALE_MS);

    const page = await open(`/demo?channel=${channelId}`);
    const chat = await openChat(page);
    await chat.getByRole('heading', { name: 'Сейчас мы не в сети' }).waitFor();
    expect(await chat.getByText('Сейчас не в сети · ответим позже').isVisible()).toBe(true);
    const phoneSuffix = String(Math.floor(1000 + Math.random() * 9000));
    await chat.getByLabel('Имя').fill('Ирина Полякова');
    await chat.getByLabel('Телефон').fill(`+7 916 555-${phoneSuffix.slice(0, 2)}-${phoneSuffix.slice(2)}`);
    await chat.locator('#fw-message').fill('Интересует Сосновый 96, перезвоните после 18:00');
    await page.screenshot({ path: join(ARTIFACTS, 'widget-app-offline.png'), animations: 'disabled' });
    await chat.getByRole('button', { name: 'Жду звонка' }).click();
    await chat.getByRole('heading', { name: 'Спасибо, Ирина Полякова!' }).waitFor();

    const found = await manager.get(`/contacts?q=${encodeURIComponent(`+7916555${phoneSuffix}`)}`);
    expect(found.body.items).toMatchObject([
      { name: 'Ирина Полякова', phones: [{ e164: `+7916555${phoneSuffix}` }], identities: [{ channel: 'webchat' }] },
    ]);
    const visitorId = await visitorIdOf(page, channelId);
    expect(found.body.items[0].identities[0].externalId).toBe(visitorId);
    const conversations = await manager.get(`/conversations?contactId=${found.body.items[0].id}`);
    expect(conversations.body.items).toHaveLength(1);
    const messages = await messagesOf(conversations.body.items[0].id);
    expect(messages).toHaveLength(1);
    expect(messages[0].content.text).toContain('Интересует Сосновый 96, перезвоните после 18:00');

    // The open widget hears when the first operator comes and the last one goes.
    const back = await operatorOnline(await newToken(['conversations.read']));
    await chat.getByText('Онлайн · ответим за пару минут').waitFor();
    await chat.getByRole('heading', { name: 'Спасибо, Ирина Полякова!' }).waitFor();
    back.socket.disconnect();
    await chat.getByText('Сейчас не в сети · ответим позже').waitFor();
  });

  it('should keep the chat off a site once the channel no longer allows it', async () => {
    const channelId = await createChannel([api.baseUrl]);
    const page = await open(`/demo?channel=${channelId}`);
    await page.getByRole('button', { name: 'Открыть чат' }).waitFor();

    const changed = await admin.patch(`/channels/${channelId}`, { allowedOrigins: ['https://shop.example'] });
    expect(changed.status).toBe(200);
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') refusals.push(message.text());
    });
    await page.reload();
    await page.locator('h1').waitFor();
    await expect
      .poll(() => refusals)
      .toEqual([`Funnel Inbox chat is off on this page: This chat is not allowed on ${api.baseUrl}`]);
    expect(await page.locator(WIDGET).count()).toBe(0);
  });
});
