import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebchatAccount } from '../../bot/webchat/visitor-backend.js';
import { attachVisitorNamespace } from '../../bot/webchat/visitor-namespace.js';
import { createWebchatRouter } from '../../bot/webchat/webchat-router.js';
import { createMemoryVisitorBackend, type MemoryVisitorBackend } from '../channels/fixtures/webchat-memory-backend.js';
import { launchChromium, openPage, type ErrorWatchingPage } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** The widget's host element; Playwright's CSS and role locators reach into its open shadow root. */
const WIDGET = 'funnel-chat-widget';

/** Builds the widget from its current sources into a folder of the suite's own (see buildInbox in harness.ts). */
function buildWidget(outDir: string): void {
  execFileSync(
    'npm',
    ['run', '--silent', 'build:widget', '--', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
}

describe('site chat widget on the demo page', () => {
  const widgetDir = mkdtempSync(join(tmpdir(), 'widget-e2e-'));
  let browser: Browser;
  let http: HttpServer;
  let io: Server;
  let url: string;
  let backend: MemoryVisitorBackend;
  let opened: ErrorWatchingPage | undefined;

  beforeAll(async () => {
    buildWidget(widgetDir);
    mkdirSync(ARTIFACTS, { recursive: true });
    backend = createMemoryVisitorBackend();
    const app = express();
    app.use(createWebchatRouter(backend, { widgetDir }));
    app.get('/files/:fileId', (request, response) => {
      const file = backend.uploads.get(request.params.fileId);
      if (!file) return void response.status(404).end();
      response.type(file.mimeType).send(file.bytes);
    });
    app.get('/favicon.ico', (_request, response) => void response.status(204).end());
    http = createServer(app);
    io = new Server(http, { serveClient: false });
    backend.attach(io);
    attachVisitorNamespace(io, backend);
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const address = http.address();
    if (!address || typeof address === 'string') throw new Error('not listening on TCP');
    url = `http://127.0.0.1:${address.port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await io?.close();
    rmSync(widgetDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    const problems = opened?.problems ?? [];
    await opened?.close();
    opened = undefined;
    expect(problems).toEqual([]);
  });

  function ecoDom(): WebchatAccount {
    return backend.addAccount({
      allowedOrigins: [url],
      title: 'ЭкоДом',
      color: '#2f6f4e',
      greeting: {
        ru: 'Здравствуйте! Подберём проект и посчитаем смету. Что вас интересует?',
        en: 'Hello! How can we help?',
      },
    });
  }

  async function open(path: string): Promise<Page> {
    opened = await openPage(browser);
    await opened.page.goto(`${url}${path}`);
    return opened.page;
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

  it('should chat on the demo page: send, reload, get a reply with buttons, tap one, send a file', async () => {
    const account = ecoDom();
    const page = await open(`/demo?channel=${account.id}&utm_source=yandex&utm_campaign=spring-sale`);
    const launcher = page.getByRole('button', { name: 'Открыть чат' });
    await launcher.click();
    const chat = page.getByRole('dialog', { name: 'ЭкоДом' });
    await chat.waitFor();
    await chat.getByText('Подберём проект и посчитаем смету').waitFor();
    await expect.poll(() => chat.getByText('Онлайн · ответим за пару минут').isVisible()).toBe(true);

    const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
    await input.fill('Здравствуйте! Сколько стоит Кедровый 142 с террасой?');
    await input.press('Enter');
    const mine = page.locator(`${WIDGET} .message.from-visitor`);
    await mine.filter({ hasText: 'Кедровый 142' }).locator('time').waitFor();
    expect(await input.inputValue()).toBe('');
    const visitorId = await visitorIdOf(page, account.id);
    expect(backend.ingested[0]).toMatchObject({
      chatId: visitorId,
      content: { kind: 'text', text: 'Здравствуйте! Сколько стоит Кедровый 142 с террасой?' },
      source: { url: expect.stringContaining('/demo?channel='), utm: { source: 'yandex', campaign: 'spring-sale' } },
    });
    expect(backend.typingCalls.some((call) => call.visitorId === visitorId && call.typing)).toBe(true);

    backend.operatorTyping(account.id, visitorId, true);
    await chat.getByText('Анна печатает…').waitFor();

    await page.reload();
    await chat.waitFor();
    await mine.filter({ hasText: 'Кедровый 142' }).waitFor();
    expect(await visitorIdOf(page, account.id)).toBe(visitorId);

    await backend.reply(account.id, visitorId, {
      text: 'Добрый день! Кедровый 142 с террасой — от 8,4 млн ₽ под ключ. Удобно созвониться или приедете на экскурсию в готовый дом?',
      buttons: [
        { id: 'call', text: 'Позвоните мне' },
        { id: 'visit', text: 'Хочу на экскурсию' },
        { id: 'estimate', text: 'Пришлите смету' },
      ],
    });
    const reply = page.locator(`${WIDGET} .message.from-company`).filter({ hasText: 'от 8,4 млн ₽' });
    await reply.waitFor();
    await page.locator(`${WIDGET} .message.from-company .author`, { hasText: 'Анна' }).waitFor();
    const buttons = chat.getByRole('group', { name: 'Анна' }).getByRole('button');
    expect(await buttons.allInnerTexts()).toEqual(['Позвоните мне', 'Хочу на экскурсию', 'Пришлите смету']);
    await page.screenshot({ path: join(ARTIFACTS, 'widget-demo.png'), animations: 'disabled' });

    await chat.getByRole('button', { name: 'Хочу на экскурсию' }).click();
    await mine.filter({ hasText: 'Хочу на экскурсию' }).locator('time').waitFor();
    expect(await buttons.count()).toBe(0);
    expect(backend.ingested.at(-1)).toMatchObject({
      content: { kind: 'button', payload: 'visit', text: 'Хочу на экскурсию' },
    });
    // The first message of this page view (after the reload) carries the page again; the next one does not.
    expect(backend.ingested.at(-1)).toHaveProperty('source.utm', { source: 'yandex', campaign: 'spring-sale' });

    // A photo of the site's own illustration stands in for the visitor's photo of their plot.
    const photo = await page.screenshot({ clip: { x: 680, y: 182, width: 196, height: 320 } });
    await page
      .locator(`${WIDGET} input[type=file]`)
      .setInputFiles({ name: 'участок.png', mimeType: 'image/png', buffer: photo });
    await mine.locator('img[alt="участок.png"]').waitFor();
    expect(backend.ingested.at(-1)).toMatchObject({
      content: {
        kind: 'media',
        media: { kind: 'image', fileRef: expect.stringMatching(/^kept:/), fileName: 'участок.png' },
      },
    });

    await input.press('Escape');
    await chat.waitFor({ state: 'hidden' });
    await backend.reply(account.id, visitorId, { text: 'Записала вас на субботу, 11:00.' });
    const unread = page.getByRole('button', { name: 'Открыть чат. Новых сообщений: 1' });
    await unread.waitFor();
    expect(await page.locator(`${WIDGET} .badge`).innerText()).toBe('1');
    await unread.click();
    await page.locator(`${WIDGET} .message.from-company`, { hasText: 'Записала вас на субботу, 11:00.' }).waitFor();
    expect(await page.locator(`${WIDGET} .badge`).isVisible()).toBe(false);
    backend.operatorTyping(account.id, visitorId, true);
    await chat.getByText('Анна печатает…').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'widget-conversation.png'), animations: 'disabled' });
  });

  it('should offer the offline form when nobody is online, check it and thank', async () => {
    const account = ecoDom();
    backend.setOnline(account.id, false);
    const page = await open(`/demo?channel=${account.id}`);
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    const chat = page.getByRole('dialog', { name: 'ЭкоДом' });
    await chat.getByRole('heading', { name: 'Сейчас мы не в сети' }).waitFor();
    expect(await chat.getByText('Сейчас не в сети · ответим позже').isVisible()).toBe(true);

    const submit = chat.getByRole('button', { name: 'Жду звонка' });
    await submit.click();
    await chat.getByText('Как к вам обращаться?').waitFor();
    await chat.getByText('Укажите телефон или e-mail').waitFor();
    expect(await chat.getByLabel('Имя').getAttribute('aria-invalid')).toBe('true');

    await chat.getByLabel('Имя').fill('Ирина');
    await chat.getByLabel('Телефон').fill('позвоните');
    await chat.getByLabel('E-mail').fill('irina@');
    await submit.click();
    await chat.getByText('Проверьте номер телефона').waitFor();
    await chat.getByText('Проверьте адрес почты').waitFor();
    expect(await chat.getByText('Как к вам обращаться?').isVisible()).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'widget-offline-form.png'), animations: 'disabled' });

    await chat.getByLabel('Телефон').fill('+7 916 555-12-34');
    await chat.getByLabel('E-mail').fill('');
    await chat
      .getByLabel('Сообщение', { exact: false })
      .and(chat.locator('#fw-message'))
      .fill('Интересует Сосновый 96, перезвоните после 18:00');
    await submit.click();
    await chat.getByRole('heading', { name: 'Спасибо, Ирина!' }).waitFor();
    const visitorId = await visitorIdOf(page, account.id);
    expect(backend.offlineForms.filter((sent) => sent.visitorId === visitorId).map((sent) => sent.form)).toEqual([
      {
        name: 'Ирина',
        phone: '+7 916 555-12-34',
        message: 'Интересует Сосновый 96, перезвоните после 18:00',
        locale: 'ru',
      },
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'widget-offline-thanks.png'), animations: 'disabled' });

    await page.reload();
    await chat.getByRole('heading', { name: 'Спасибо, Ирина!' }).waitFor();
  });

  it('should speak English on the English page and fit a phone screen', async () => {
    const account = ecoDom();
    const page = await open(`/demo?channel=${account.id}&lang=en`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Open chat' }).click();
    const chat = page.getByRole('dialog', { name: 'ЭкоДом' });
    await chat.getByText('Hello! How can we help?').waitFor();
    await chat.getByRole('textbox', { name: 'Write a message…' }).waitFor();
    // Polled: the panel rises into place with a short animation.
    await expect.poll(() => chat.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    await page.screenshot({ path: join(ARTIFACTS, 'widget-mobile-en.png'), animations: 'disabled' });
    await chat.getByRole('button', { name: 'Minimize chat' }).click();
    await page.getByRole('button', { name: 'Open chat' }).waitFor();
  });

  it('should stay away from a site the channel does not allow', async () => {
    const account = backend.addAccount({ allowedOrigins: ['https://shop.example'] });
    const page = await open(`/demo?channel=${account.id}`);
    await page.locator('h1').waitFor();
    await expect.poll(() => page.locator(WIDGET).count()).toBe(0);
  });
});
