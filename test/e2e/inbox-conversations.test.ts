import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Types } from 'mongoose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationModel, type ConversationRecord } from '../../server/messaging/conversation-model.js';
import { messageModel } from '../../server/messaging/message-model.js';
import { startTestApi, TEST_PASSWORD, type TestApi } from '../api/api-harness.js';
import { buildInbox, buildWidget, launchChromium, openPage } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** The widget's host element; Playwright's locators reach into its open shadow root. */
const WIDGET = 'funnel-chat-widget';

/**
 * The operators' Inbox section against the whole app: a site visitor writes, the conversation
 * shows up live in the signed-in admin's list, the admin answers from the conversation view and
 * the visitor gets the answer in the widget.
 */
describe('inbox conversations', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'conversations-inbox-'));
  const widgetDir = mkdtempSync(join(tmpdir(), 'conversations-widget-'));
  let browser: Browser;
  let api: TestApi;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    await buildWidget(widgetDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir, widgetDir })]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
    rmSync(widgetDir, { recursive: true, force: true });
  });

  it('should show a visitor’s message live, open it, reply and see the reply reach the widget as sent', async () => {
    const admin = await api.as('admin');
    const channel = await admin.post('/channels', { type: 'webchat', name: 'Сайт', allowedOrigins: [api.baseUrl] });
    expect(channel.status).toBe(201);
    const question = `Сколько стоят окна в дом из бруса? ${Math.random().toString(36).slice(2, 8)}`;
    const answer = 'Добрый день! Пришлите размеры проёмов — посчитаем за час.';

    const inbox = await openPage(browser);
    const visitor = await openPage(browser);
    try {
      const page = inbox.page;
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.goto(api.baseUrl);
      await page.getByLabel('Электронная почта').fill(api.users.admin.email);
      await page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Войти', exact: true }).click();
      const list = page.getByRole('region', { name: 'Разговоры' });
      await list.getByText('Разговоров нет').waitFor();
      await page.getByText('Выберите разговор слева').waitFor();

      await visitor.page.goto(`${api.baseUrl}/demo?channel=${channel.body.id}`);
      await visitor.page.getByRole('button', { name: 'Открыть чат' }).click();
      const chat = visitor.page.getByRole('dialog', { name: 'Напишите нам' });
      await expect.poll(() => chat.getByText(/^Онлайн/).isVisible(), { timeout: 10_000 }).toBe(true);
      const input = chat.getByRole('textbox', { name: 'Напишите сообщение…' });
      await input.fill(question);
      const sentAt = Date.now();
      await input.press('Enter');

      // No reload: the socket's push puts the new conversation in the list, with its unread badge.
      // Well under a second on an idle machine (the ingest bench times webhook → socket); the bound
      // here leaves room for a CI machine running the other suites beside two browsers.
      const item = list.locator('[data-conversation]').first();
      await item.getByLabel('1 непрочитанных').waitFor({ timeout: 5_000 });
      expect(Date.now() - sentAt).toBeLessThan(5_000);
      expect(await item.getByTitle('Чат на сайте').count()).toBe(1);
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-conversations-list.png'), animations: 'disabled' });

      await item.click();
      const timeline = page.getByRole('region', { name: 'История общения' });
      await timeline.locator('[data-message]', { hasText: question }).waitFor();
      expect(page.url()).toMatch(/#\/inbox\/[0-9a-f]{24}$/);
      expect(await item.getByLabel('1 непрочитанных').count()).toBe(0);
      // Read on the server too: a reload does not bring the badge back.
      const openedId = page.url().split('/').pop()!;
      await expect
        .poll(async () => (await admin.get(`/conversations/${openedId}`)).body.unreadCount, { timeout: 5_000 })
        .toBe(0);
      await timeline.getByText('Сегодня').waitFor();
      // The site chat's conversation starts with the front-door bot; the operator's reply takes it over.
      await page.getByText('Отвечает бот').waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-conversations-open.png'), animations: 'disabled' });

      const composer = page.getByRole('textbox', { name: 'Напишите ответ…' });
      await composer.fill(answer);
      await composer.press('Enter');
      const reply = page.locator('[data-message]', { hasText: answer });
      await reply.waitFor();
      expect(await composer.inputValue()).toBe('');

      await visitor.page.locator(`${WIDGET} .message.from-company`, { hasText: answer }).waitFor({ timeout: 10_000 });
      await expect
        .poll(() => reply.getAttribute('data-status'), { timeout: 10_000 })
        .toMatch(/^(sent|delivered|read)$/);
      expect(await reply.locator('.tick').getAttribute('title')).toMatch(/^(Отправлено|Доставлено|Прочитано)$/);
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-conversations-reply.png'), animations: 'disabled' });
      await visitor.page.screenshot({
        path: join(ARTIFACTS, 'inbox-conversations-widget.png'),
        animations: 'disabled',
      });

      // Resolving it from the conversation's bar: the list row follows through the socket, and it reopens.
      await page.getByRole('button', { name: 'Решить' }).click();
      await item.getByText('Решён').waitFor({ timeout: 5_000 });
      expect((await admin.get(`/conversations/${openedId}`)).body.status).toBe('resolved');
      await page.getByRole('button', { name: 'Открыть снова' }).click();
      await item.getByText('Открыт').waitFor({ timeout: 5_000 });

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('region', { name: 'Conversation history' }).getByText('Today').waitFor();
      expect(await reply.locator('.tick').getAttribute('title')).toMatch(/^(Sent|Delivered|Read)$/);
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-conversations-en.png'), animations: 'disabled' });
      await page.getByRole('button', { name: 'Русский' }).click();

      // On a phone the conversation is a screen of its own, with the way back to the list.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await list.isVisible()).toBe(false);
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-conversations-phone.png'), animations: 'disabled' });
      await page.getByRole('link', { name: 'К списку разговоров' }).click();
      await list.waitFor();
      expect(await timeline.count()).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-conversations-phone-list.png'), animations: 'disabled' });

      expect(inbox.problems).toEqual([]);
      expect(visitor.problems).toEqual([]);
    } finally {
      await inbox.close();
      await visitor.close();
    }
  }, 60_000);
  it('should render every kind of entry on the contact’s timeline and move between conversations with Alt+↑/↓', async () => {
    const admin = await api.as('admin');
    const suffix = Math.random().toString(36).slice(2, 8);
    const created = await admin.post('/contacts', {
      name: `Ольга Смирнова ${suffix}`,
      phones: ['+7 916 123-45-67'],
      emails: [`olga-${suffix}@example.ru`],
      tags: ['рассрочка'],
      source: 'yandex',
    });
    expect(created.status).toBe(201);
    const contactId = new Types.ObjectId(String(created.body.id));
    // Noon of the day before (the browser shares this zone): 26 hours ago is two days back before 02:00.
    const yesterday = new Date();
    yesterday.setDate(yesterday.getDate() - 1);
    yesterday.setHours(12, 0, 0, 0);
    const now = new Date();
    const base: Pick<ConversationRecord, 'contactId' | 'channelAccountId' | 'status' | 'teamIds'> = {
      contactId,
      channelAccountId: new Types.ObjectId(),
      status: 'open',
      teamIds: [],
    };
    const Conversation = conversationModel(api.db);
    const telegram = await Conversation.create({
      ...base,
      channel: 'telegram',
      chatId: `tg-${suffix}`,
      handler: 'human',
      lastMessageAt: now,
      lastMessage: { direction: 'out', preview: 'Договор отправили' },
      unreadCount: 0,
    });
    const voice = await Conversation.create({
      ...base,
      channel: 'voice',
      chatId: `call-${suffix}`,
      handler: 'human',
      // Just before the Telegram one and after any conversation of an earlier test: next in the list.
      lastMessageAt: new Date(now.getTime() - 1),
      lastMessage: { direction: 'in', preview: '[call in] answered 95s' },
      unreadCount: 0,
    });
    const message = (
      conversation: typeof telegram,
      direction: 'in' | 'out',
      content: Record<string, unknown>,
      extra: Record<string, unknown> = {},
    ) => ({
      conversationId: conversation._id,
      contactId,
      channel: conversation.channel,
      channelAccountId: conversation.channelAccountId,
      direction,
      author: direction === 'in' ? { kind: 'contact' } : { kind: 'user', name: 'Андрей Соколов' },
      content,
      status: direction === 'in' ? 'received' : 'sent',
      createdAt: yesterday,
      ...extra,
    });
    const Message = messageModel(api.db);
    for (const record of [
      message(telegram, 'in', { kind: 'text', text: 'Добрый день! Нужны окна в дом из бруса' }),
      message(voice, 'in', {
        kind: 'call',
        direction: 'in',
        from: '+79161234567',
        to: '+74951204567',
        startedAt: yesterday.toISOString(),
        durationSec: 95,
        outcome: 'answered',
      }),
      message(telegram, 'in', { kind: 'location', latitude: 55.75, longitude: 37.61, name: 'Участок в Истре' }),
      message(telegram, 'in', { kind: 'contact', name: 'Игорь (прораб)', phone: '+7 903 000-11-22' }),
      message(telegram, 'in', {
        kind: 'media',
        media: { kind: 'document', state: 'pending', fileName: 'план.pdf' },
        caption: 'План дома',
      }),
      message(
        telegram,
        'out',
        { kind: 'text', text: 'Когда удобно принять замерщика?' },
        {
          buttons: [{ id: 'sat', text: 'В субботу' }],
          status: 'read',
          createdAt: now,
        },
      ),
      message(telegram, 'in', { kind: 'button', payload: 'sat', text: 'В субботу' }, { createdAt: now }),
      message(
        telegram,
        'in',
        {
          kind: 'email',
          subject: 'Размеры проёмов',
          text: 'Высылаю размеры, см. вложение',
          from: { address: `olga-${suffix}@example.ru`, name: 'Ольга' },
          to: [{ address: 'sales@example.ru' }],
          cc: [],
          messageId: `<${suffix}@example.ru>`,
          references: [],
          attachments: [],
        },
        { channel: 'email', createdAt: now },
      ),
      message(
        telegram,
        'out',
        { kind: 'text', text: 'Договор отправили' },
        {
          status: 'failed',
          failure: { code: 'blocked', reason: 'Bot was blocked by the user' },
          createdAt: now,
        },
      ),
    ]) {
      // Written as stored documents, one by one so their ids keep this order: the timeline sorts by id.
      await Message.collection.insertOne({ ...record, attempts: 0, updatedAt: record.createdAt });
    }
    expect(
      (
        await admin.post('/notes', {
          entity: 'contact',
          entityId: String(contactId),
          text: 'Просит рассрочку на 12 месяцев',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await admin.post('/tasks', {
          title: 'Выехать на замер',
          contactId: String(contactId),
          dueAt: new Date(Date.now() + 86_400_000).toISOString(),
        })
      ).status,
    ).toBe(201);

    const inbox = await openPage(browser);
    try {
      const page = inbox.page;
      // The timeline renders only the rows in view: a tall window holds this whole history at once.
      await page.setViewportSize({ width: 1366, height: 2000 });
      await page.goto(`${api.baseUrl}/#/inbox/${telegram._id.toHexString()}`);
      await page.getByLabel('Электронная почта').fill(api.users.admin.email);
      await page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Войти', exact: true }).click();
      const timeline = page.getByRole('region', { name: 'История общения' });
      await timeline.getByText('Добрый день! Нужны окна в дом из бруса').waitFor();

      await timeline.getByText('Вчера').waitFor();
      for (const text of [
        'Вчера',
        'Сегодня',
        'Входящий звонок',
        'Участок в Истре',
        'Игорь (прораб)',
        'Файл загружается…',
        'План дома',
        'Нажата кнопка',
        'Размеры проёмов',
        'Просит рассрочку на 12 месяцев',
        'Выехать на замер',
      ]) {
        expect(await timeline.getByText(text, { exact: false }).first().isVisible(), text).toBe(true);
      }
      const failed = timeline.locator('[data-message]', { hasText: 'Договор отправили' });
      expect(await failed.locator('.tick').getAttribute('title')).toBe('Не доставлено: Bot was blocked by the user');
      const read = timeline.locator('[data-message]', { hasText: 'Когда удобно принять замерщика?' });
      expect(await read.locator('.tick').getAttribute('title')).toBe('Прочитано');
      const card = page.getByRole('complementary', { name: 'Клиент и сделки' });
      await card.getByText('+7 916 123-45-67').waitFor();
      expect(await card.getByText('рассрочка').isVisible()).toBe(true);
      expect(await card.getByText('yandex').isVisible()).toBe(true);
      await page.screenshot({
        path: join(ARTIFACTS, 'inbox-conversations-kinds.png'),
        animations: 'disabled',
        fullPage: false,
      });

      await timeline.getByText('Входящий звонок').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'inbox-conversations-kinds-top.png'), animations: 'disabled' });

      // Alt+↓ opens the next conversation in the list: the call record's, which takes no reply.
      await page.keyboard.press('Alt+ArrowDown');
      await expect.poll(() => new URL(page.url()).hash).toBe(`#/inbox/${voice._id.toHexString()}`);
      await page.getByText('Звонки — это записи: ответить можно в другом канале клиента').waitFor();
      expect(await page.getByRole('textbox', { name: 'Напишите ответ…' }).count()).toBe(0);
      await page.keyboard.press('Alt+ArrowUp');
      await expect.poll(() => new URL(page.url()).hash).toBe(`#/inbox/${telegram._id.toHexString()}`);
      await page.getByRole('textbox', { name: 'Напишите ответ…' }).waitFor();
      expect(inbox.problems).toEqual([]);
    } finally {
      await inbox.close();
    }
  }, 60_000);
});
