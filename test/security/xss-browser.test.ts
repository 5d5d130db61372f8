import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedUploadSchema } from '../../bot/webchat/stored-upload.js';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../api/api-harness.js';
import { connectTestMailbox, clientAddress, type TestMailbox } from '../channels/email-test-mailbox.js';
import { composeMail } from '../stand-ins/client-mail.js';
import { dovecotUnavailable, startDovecot, type Dovecot } from '../stand-ins/dovecot.js';
import { waitUntil } from '../wait-until.js';
import { buildInbox, launchChromium, openPage, signIn, type ErrorWatchingPage } from '../e2e/harness.js';

/**
 * Markup typed by clients and colleagues into every field a person reads in the inbox, shown in
 * real Chromium: each must read as the text it is and run nothing. A payload that ran would set
 * `window.__xss` (or open a dialog); one that became markup would leave its element in the page;
 * either way the literal text would be missing where the person reads it. The inbox's policy
 * (script-src 'self') would stop most of them running even then, and report a violation, which
 * the harness's watcher counts as a problem too.
 */

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';
const SVG = '"><svg onload=alert(window.__xss=1)>';
const LINK = 'javascript:window.__xss=1';

/** What a payload that became markup leaves in a document (scripts the build loads have a src). */
const INJECTED = `[...document.querySelectorAll(
  'img[src="x"], [onerror], [onload], script:not([src]), a[href^="javascript:" i], iframe:not([sandbox])'
)].map((element) => element.outerHTML)`;

const SITE = 'https://xss-tests.example';

interface Watched extends ErrorWatchingPage {
  dialogs: string[];
}

async function watchedPage(browser: Browser): Promise<Watched> {
  const watched = await openPage(browser);
  const dialogs: string[] = [];
  watched.page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { ...watched, dialogs };
}

/** Nothing ran (in the page or any of its frames), nothing became an element, no dialog opened. */
async function expectInert({ page, dialogs, problems }: Watched, where: string): Promise<void> {
  for (const frame of page.frames()) {
    expect(await frame.evaluate('window.__xss'), `${where}: ${frame.url()}`).toBeUndefined();
  }
  expect(await page.evaluate<string[]>(INJECTED), where).toEqual([]);
  expect(dialogs, where).toEqual([]);
  expect(problems, where).toEqual([]);
}

/** Each text reads as itself somewhere visible in the region: as text, not taken for markup. */
async function expectReadable(region: Locator, texts: string[], where: string): Promise<void> {
  for (const text of texts) {
    expect(await region.getByText(text).first().isVisible(), `${where}: ${text}`).toBe(true);
  }
}

/** A site visitor on the chat widget's socket, as bot/webchat/widget talks to the server. */
async function connectVisitor(baseUrl: string, channelId: string): Promise<{ socket: Socket; visitorId: string }> {
  const visitorId = `v_${randomBytes(12).toString('base64url')}`;
  const socket = io(`${baseUrl}/visitor`, {
    auth: { channelId, visitorId, locale: 'ru' },
    transports: ['websocket'],
    extraHeaders: { origin: SITE },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, visitorId };
}

async function visitorSends(socket: Socket, message: Record<string, unknown>): Promise<void> {
  const ack: unknown = await socket
    .timeout(5_000)
    .emitWithAck('message', { clientMessageId: randomBytes(9).toString('base64url'), ...message });
  expect(ack).toMatchObject({ ok: true });
}

const unavailable = await dovecotUnavailable();
if (unavailable) console.warn(`the hostile mail case is skipped: ${unavailable}`);

describe('XSS payloads in the inbox, in Chromium', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'xss-inbox-'));
  let browser: Browser;
  let api: TestApi;
  let dovecot: Dovecot | undefined;

  beforeAll(async () => {
    buildInbox(inboxDir);
    [browser, api, dovecot] = await Promise.all([
      launchChromium(),
      startTestApi({ inboxDir }),
      unavailable ? undefined : startDovecot(),
    ]);
    // The product's own pipelines beside the hostile one: the board then offers them all by name.
    await ensureDefaultPipelines(api.db);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await dovecot?.stop();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should show names, messages, files, notes, tasks, deals, stages, companies and canned responses as text', async () => {
    const admin = await api.as('admin');
    const suffix = Math.random().toString(36).slice(2, 8);
    const texts = {
      name: `Ольга ${SVG} ${IMG}`,
      message: `Здравствуйте ${SCRIPT} ${IMG}`,
      fileName: `смета ${IMG}.txt`,
      tag: SCRIPT,
      source: LINK,
      fieldLabel: `Сайт ${IMG}`,
      fieldValue: `${LINK} ${SCRIPT}`,
      colleague: `Менеджер ${SVG}`,
      note: `Заметка ${SCRIPT} ${IMG}`,
      task: `Перезвонить ${IMG}`,
      taskDescription: `Описание ${SCRIPT}`,
      pipeline: `Воронка ${SVG}`,
      stage: `Новая ${IMG}`,
      nextStage: `Замер ${SCRIPT}`,
      deal: `Сделка ${SVG} ${IMG}`,
      company: `ООО ${SCRIPT}`,
      canned: `Ответ ${IMG} для {{contact.name}}`,
    };

    // The visitor writes and sends a file through the widget's socket and files endpoint.
    const channel = await admin.post('/channels', { type: 'webchat', name: 'Сайт', allowedOrigins: [SITE] });
    expect(channel.status).toBe(201);
    const { socket, visitorId } = await connectVisitor(api.baseUrl, channel.body.id);
    try {
      await visitorSends(socket, { text: texts.message });
      const uploaded = await fetch(
        `${api.baseUrl}/hooks/webchat/${channel.body.id}/files?visitorId=${encodeURIComponent(visitorId)}`,
        {
          method: 'POST',
          headers: { origin: SITE, 'content-type': 'text/plain', 'x-file-name': encodeURIComponent(texts.fileName) },
          body: 'Смета: 4 200 000 ₽',
        },
      );
      expect(uploaded.status).toBe(201);
      const { url: _url, ...file } = storedUploadSchema.parse(await uploaded.json());
      await visitorSends(socket, { file });
    } finally {
      socket.close();
    }
    const conversation = await waitUntil('the visitor’s conversation', async () => {
      const found = await conversationModel(api.db).findOne({ chatId: visitorId }).lean();
      return found ?? undefined;
    });
    const conversationId = conversation._id.toHexString();
    const contactId = conversation.contactId.toHexString();

    // What colleagues type about the client: the card's fields, a note, a deal in a pipeline of their own, a task.
    const field = await admin.post('/custom-fields', {
      entity: 'contact',
      key: `site_${suffix}`,
      label: { ru: texts.fieldLabel },
      type: 'text',
    });
    const company = await admin.post('/companies', { name: texts.company, website: LINK });
    expect([field.status, company.status]).toEqual([201, 201]);
    const patched = await admin.patch(`/contacts/${contactId}`, {
      name: texts.name,
      tags: [texts.tag],
      source: texts.source,
      companyId: company.body.id,
      customFields: { [`site_${suffix}`]: texts.fieldValue },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const colleague = await api.createUser({ role: 'manager', name: texts.colleague });
    const manager = await api.login(colleague.email, TEST_PASSWORD);
    const note = await manager.post(`/conversations/${conversationId}/notes`, {
      text: texts.note,
      mentionedUserIds: [api.users.admin.id],
    });
    const pipeline = await admin.post('/pipelines', {
      name: texts.pipeline,
      kind: 'sales',
      stages: [
        { name: texts.stage, kind: 'open' },
        { name: texts.nextStage, kind: 'open' },
        { name: 'Договор подписан', kind: 'won' },
        { name: 'Отказ', kind: 'lost' },
      ],
    });
    expect([note.status, pipeline.status]).toEqual([201, 201]);
    const deal = await admin.post('/deals', {
      title: texts.deal,
      pipelineId: pipeline.body.id,
      amount: 180_000,
      contactId,
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const task = await admin.post('/tasks', {
      title: texts.task,
      description: texts.taskDescription,
      contactId,
      dealId: deal.body.id,
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const canned = await admin.post('/canned-responses', {
      shortcut: `xss${suffix}`,
      text: texts.canned,
      visibility: 'everyone',
    });
    expect([task.status, canned.status]).toEqual([201, 201]);

    const watched = await watchedPage(browser);
    const { page } = watched;
    try {
      // The timeline draws only the rows in view: a tall window holds this whole history at once.
      await page.setViewportSize({ width: 1366, height: 1600 });
      await signIn(page, `${api.baseUrl}/#/inbox/${conversationId}`, api.users.admin.email);
      const timeline = page.getByRole('region', { name: 'История общения' });
      await timeline.getByText(texts.note).waitFor({ timeout: 10_000 });
      await timeline.getByText(texts.fileName).waitFor();
      const card = page.getByRole('complementary', { name: 'Клиент и сделки' });
      await card.getByText(texts.task).waitFor();

      await expectReadable(page.locator('[data-conversation]'), [texts.name], 'conversation list');
      await expectReadable(
        timeline,
        [
          texts.name,
          texts.message,
          texts.fileName,
          texts.note,
          texts.colleague,
          texts.task,
          texts.taskDescription,
          texts.deal,
          texts.stage,
        ],
        'timeline',
      );
      await expectReadable(
        card,
        [texts.name, texts.tag, texts.source, texts.fieldLabel, texts.fieldValue, texts.deal, texts.task],
        'contact card',
      );
      expect(await card.locator('option', { hasText: texts.nextStage }).count()).toBeGreaterThan(0);
      expect(await timeline.getByRole('link', { name: texts.fileName }).getAttribute('href')).toMatch(
        /^\/api\/v1\/files\/[0-9a-f]{24}$/,
      );
      await page.screenshot({ path: '/tmp/xss-timeline.png', animations: 'disabled' });
      await expectInert(watched, 'conversation');

      // The colleague's mention in the bell, with their name.
      await page.getByRole('button', { name: /^Уведомления: \d+ непрочитанных$/ }).click();
      const bell = page.getByRole('region', { name: 'Уведомления' });
      await bell.getByText(`${texts.colleague} упомянул(а) вас`).waitFor();
      await expectInert(watched, 'notifications');
      await page.keyboard.press('Escape');

      // A canned response after '/': offered as text, put into the reply as text, sent as text.
      const composer = page.getByRole('textbox', { name: 'Напишите ответ…' });
      await composer.fill(`/xss${suffix}`);
      const offered = page.getByRole('listbox', { name: 'Шаблоны ответов' });
      await offered.getByText(`/xss${suffix}`, { exact: false }).first().waitFor();
      expect(await offered.innerText()).toContain(`Ответ ${IMG} для`);
      await composer.press('Enter');
      const rendered = `Ответ ${IMG} для ${texts.name}`;
      await expect.poll(() => composer.inputValue()).toBe(rendered);
      await composer.press('Enter');
      await timeline.locator('[data-message]', { hasText: rendered }).waitFor();
      await expectInert(watched, 'reply');

      // The deal over its board: its card, the stages' columns, the board's card with the client and the task.
      await page.goto(`${api.baseUrl}/#/deals/${deal.body.id}`);
      const sheet = page.getByRole('dialog', { name: 'Сделка' });
      await sheet.getByRole('heading', { name: texts.deal }).waitFor();
      await sheet.getByRole('link', { name: texts.name }).waitFor();
      await expectReadable(sheet, [texts.deal, texts.name], 'deal sheet');
      const boardCard = page.locator('[data-stage]').locator(`[data-deal="${deal.body.id}"]`);
      // The board loads its columns behind the sheet: under CI's load once more than the default 5 s.
      await boardCard.waitFor({ timeout: 15_000 });
      await expectReadable(boardCard, [texts.deal, texts.name, texts.task], 'deal on the board');
      for (const stage of [texts.stage, texts.nextStage]) {
        await page.getByRole('heading', { name: stage, exact: true }).waitFor();
      }
      expect(await page.locator('option', { hasText: texts.pipeline }).count()).toBeGreaterThan(0);
      await expectInert(watched, 'deals');

      // The tasks list, and the contact's own page.
      await page.goto(`${api.baseUrl}/#/tasks`);
      const taskRow = page.locator(`[data-task="${task.body.id}"]`).first();
      await taskRow.waitFor();
      await expectReadable(taskRow, [texts.task], 'tasks');
      await expectInert(watched, 'tasks');
      await page.goto(`${api.baseUrl}/#/contacts/${contactId}`);
      await page.getByRole('heading', { name: texts.name }).first().waitFor();
      await expectInert(watched, 'contact page');

      // Where a company is picked by its name: the segment builder.
      await page.goto(`${api.baseUrl}/#/campaigns/segments/new`);
      await page.getByRole('button', { name: /Добавить условие/ }).click();
      await page.getByRole('combobox', { name: 'Поле условия 1' }).selectOption('company');
      const companies = await page
        .getByRole('combobox', { name: 'Значение условия 1' })
        .locator('option')
        .allInnerTexts();
      expect(companies).toContain(texts.company);
      await expectInert(watched, 'segment builder');

      // The canned responses' settings.
      await page.goto(`${api.baseUrl}/#/settings/canned`);
      await page.getByText(texts.canned).first().waitFor();
      await expectInert(watched, 'canned settings');
    } finally {
      await watched.close();
    }
  }, 60_000);

  it('should catch a payload that does get in: run in a page without the policy, refused and reported in the inbox', async () => {
    const watched = await watchedPage(browser);
    const { page, problems, dialogs } = watched;
    try {
      // Had a field been rendered as markup, in a page with no policy of its own: it runs.
      await page.setContent(`<p>${IMG}</p><p>${SVG}</p>`);
      await expect.poll(() => page.evaluate('window.__xss')).toBe(1);
      await expect.poll(() => dialogs).toEqual(['alert: 1']);
      expect(await page.evaluate<string[]>(INJECTED)).toHaveLength(2);

      // In the inbox the policy refuses the handler, and the watcher hears of it; the element stays.
      await page.goto(api.baseUrl);
      await page.getByLabel('Электронная почта').waitFor();
      await page.evaluate(`document.body.insertAdjacentHTML('beforeend', ${JSON.stringify(IMG)})`);
      await expect
        .poll(() => problems.some((problem) => problem.startsWith('Content Security Policy violation')))
        .toBe(true);
      expect(await page.evaluate('window.__xss')).toBeUndefined();
      expect(await page.evaluate<string[]>(INJECTED)).toHaveLength(1);
    } finally {
      await watched.close();
    }
  });

  it.skipIf(Boolean(unavailable))(
    'should show a hostile mail’s sender, subject and attachment as text and its HTML inert',
    async () => {
      const admin = await api.as('admin');
      let account: TestMailbox | undefined;
      try {
        account = await connectTestMailbox(admin, dovecot!);
        const sender = clientAddress();
        const texts = {
          sender: `Анна ${SVG}`,
          subject: `Смета ${SCRIPT}`,
          attachment: `смета ${IMG}.txt`,
        };
        await dovecot!.append(
          account.mailbox,
          await composeMail({
            from: { name: texts.sender, address: sender },
            to: account.mailbox.address,
            subject: texts.subject,
            text: 'Смета во вложении',
            html: [
              '<p>Смета <b>во вложении</b></p>',
              SCRIPT,
              IMG,
              SVG,
              `<a id="link" href="${LINK}">Открыть смету</a>`,
              `<iframe src="${LINK}"></iframe>`,
            ].join('\n'),
            attachments: [{ filename: texts.attachment, content: 'Смета: 4 200 000 ₽', contentType: 'text/plain' }],
          }),
        );
        const conversation = await waitUntil('the mail’s conversation', async () => {
          const found = await conversationModel(api.db).findOne({ channel: 'email' }).lean();
          return found ?? undefined;
        });
        const conversationId = conversation._id.toHexString();

        const watched = await watchedPage(browser);
        const { page } = watched;
        try {
          await page.setViewportSize({ width: 1366, height: 1200 });
          await signIn(page, `${api.baseUrl}/#/inbox/${conversationId}`, api.users.admin.email);
          const timeline = page.getByRole('region', { name: 'История общения' });
          const mail = timeline.locator('article.email');
          await mail.getByRole('heading', { name: texts.subject }).waitFor({ timeout: 10_000 });
          await mail.getByRole('link', { name: texts.attachment }).waitFor({ timeout: 10_000 });
          await expectReadable(mail, [texts.sender, texts.subject, texts.attachment], 'mail');
          await expectReadable(page.locator('[data-conversation]'), [texts.sender], 'conversation list');
          await expectInert(watched, 'mail, short');

          await mail.getByRole('button', { name: 'Показать письмо целиком' }).click();
          const frame = mail.locator('iframe.html');
          expect(await frame.getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
          const html = frame.contentFrame();
          await html.getByText('во вложении').waitFor();
          expect(
            await html.locator('script, img, svg, iframe, [onerror], [onload], a[href^="javascript:" i]').count(),
          ).toBe(0);
          await expectInert(watched, 'mail, whole');
        } finally {
          await watched.close();
        }
      } finally {
        await account?.smtp.close();
      }
    },
    60_000,
  );
});
