import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/free-port.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { smsruApiId, startSmsruApi, type SmsruApi } from '../stand-ins/smsru-api.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { buildInbox, launchChromium, openPage, signIn } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const PUBLIC_URL = 'https://crm.example.ru';

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `campaigns-${name}.png`), animations: 'disabled', fullPage: true });
}

/**
 * The marketer's "done when" in real Chromium against the whole app, with the Telegram Bot API and
 * SMS.ru stand-ins: builds a segment and watches its live count, writes a broadcast for Telegram
 * and SMS (a personalisation variable, a URL button, the SMS counter, a cost), launches it, watches
 * the progress bar reach 100 % and reads the results; a launch the server refuses (422) says why in
 * the form. Any console error fails the test.
 */
describe('inbox campaigns', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'campaigns-inbox-'));
  const tag = `весна-${randomBytes(3).toString('hex')}`;
  let browser: Browser;
  let api: TestApi;
  let admin: ApiClient;
  let telegram: TelegramBotApiStandIn;
  let smsru: SmsruApi;
  let botId: string;
  const botSecret = randomBytes(18).toString('base64url');
  /** The Telegram user id of the first client: she answers the broadcast. */
  const annaChatId = randomInt(10 ** 8, 10 ** 9);
  /** The phones of the six tagged clients, for the static list. */
  const phones: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    const smsruPort = await freePort();
    telegram = await startTelegramBotApi();
    [browser, api] = await Promise.all([
      launchChromium(),
      startTestApi({
        inboxDir,
        env: {
          PUBLIC_URL,
          TELEGRAM_API_ROOT: telegram.apiRoot,
          SMSRU_API_ROOT: `http://127.0.0.1:${smsruPort}`,
          // A Redis database of the suite's own, so no other suite's workers take this app's jobs.
          REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}`,
        },
      }),
    ]);
    admin = await api.as('admin');
    const apiId = smsruApiId();
    const bot = await admin.post('/channels', {
      type: 'telegram',
      name: 'ЭкоДом бот',
      token: telegram.token,
      webhookSecret: botSecret,
    });
    expect(bot.status, JSON.stringify(bot.body)).toBe(201);
    botId = bot.body.id;
    const sms = await admin.post('/channels', { type: 'sms', name: 'SMS', provider: 'smsru', apiId, from: 'EcoStroy' });
    expect(sms.status, JSON.stringify(sms.body)).toBe(201);
    smsru = await startSmsruApi({ apiId, port: smsruPort, webhookVia: api.baseUrl });

    // Six clients carry the campaign's tag: three started the Telegram bot, three have only a phone.
    // Two more without the tag stay out of the segment.
    const people = [
      { name: 'Анна Смирнова', telegram: true },
      { name: 'Борис Орлов', telegram: true },
      { name: 'Вера Ким', telegram: true },
      { name: 'Глеб Зайцев', telegram: false },
      { name: 'Дарья Белова', telegram: false },
      { name: '', telegram: false },
    ];
    for (const [index, person] of people.entries()) {
      const telegramId = String(index === 0 ? annaChatId : randomInt(10 ** 8, 10 ** 9));
      const phone = `+79${randomInt(10 ** 8, 10 ** 9)}`;
      phones.push(phone);
      const created = await admin.post('/contacts', {
        ...(person.name ? { name: person.name } : {}),
        phones: [phone],
        ...(person.telegram ? { identities: [{ channel: 'telegram', accountId: botId, externalId: telegramId }] } : {}),
        tags: [tag],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    // The marketer's own card, hers to see, for the test send.
    const own = await admin.post('/contacts', {
      name: 'Мария Тестова',
      phones: [`+79${randomInt(10 ** 8, 10 ** 9)}`],
      identities: [{ channel: 'telegram', accountId: botId, externalId: String(randomInt(10 ** 8, 10 ** 9)) }],
      ownerId: api.users.marketer.id,
    });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    for (const name of ['Егор Чужой', 'Жанна Мимо']) {
      const created = await admin.post('/contacts', {
        name,
        phones: [`+79${randomInt(10 ** 8, 10 ** 9)}`],
        tags: ['другое'],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await smsru?.close();
    await telegram?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should let a marketer build a segment, launch a broadcast on Telegram and SMS, watch it reach 100 % and read the results', async () => {
    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 900 });
      await signIn(page, api.baseUrl, api.users.marketer.email);
      await page.getByRole('link', { name: 'Рассылки', exact: true }).click();
      await page.getByText('Рассылок пока нет').waitFor();

      // --- The segment: a tag, with the count live beside the conditions.
      await page.getByRole('navigation', { name: 'Разделы рассылок' }).getByRole('link', { name: 'Сегменты' }).click();
      await page.getByRole('link', { name: 'Новый сегмент' }).click();
      const builder = page.getByRole('form', { name: 'Условия сегмента' });
      await builder.getByLabel('Название').fill('Весенняя акция');
      await expect.poll(() => builder.getByLabel('Поле условия 1').inputValue()).toBe('tag');
      await builder.getByLabel('Значение условия 1').fill('нет-такого-тега');
      const count = page.getByTestId('segment-count');
      await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('0');
      await builder.getByLabel('Значение условия 1').fill(tag);
      await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('6');
      // A second condition narrows it: those the bot can write to.
      await builder.getByRole('button', { name: 'Добавить условие' }).click();
      await builder.getByLabel('Поле условия 2').selectOption('channel');
      await builder.getByLabel('Значение условия 2').selectOption('telegram');
      await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('3');
      await builder.getByLabel('Удалить условие 2').click();
      await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('6');
      await page.getByTestId('segment-preview').getByText('Анна Смирнова').waitFor();
      await screenshot(page, 'segment');
      await builder.getByRole('button', { name: 'Сохранить сегмент' }).click();
      await builder.getByRole('status').getByText('Сегмент «Весенняя акция» сохранён').waitFor();

      // --- The broadcast: Telegram first, SMS for the rest.
      await page.getByRole('link', { name: 'Сделать рассылку по сегменту' }).click();
      const composer = page.getByRole('form', { name: 'Рассылка' });
      await composer.getByTestId('audience').getByText('Контактов в сегменте сейчас: 6').waitFor();
      await composer.getByLabel('Название').fill('Весна: скидка на окна');
      const text = composer.getByRole('tabpanel').getByLabel('Текст');
      await text.fill('Здравствуйте, ');
      await text.press('End');
      await composer.getByRole('button', { name: 'Вставить в текст' }).click();
      await text.press('End');
      await text.pressSequentially('! Весной окна со скидкой 15 %.');
      await expect
        .poll(() => text.inputValue())
        .toBe('Здравствуйте, {{contact.name | default: "друг"}}! Весной окна со скидкой 15 %.');
      await composer.getByRole('button', { name: 'Добавить кнопку' }).click();
      await composer.getByLabel('Текст кнопки 1').fill('Подробнее');
      await composer.getByLabel('Ссылка кнопки 1').fill('https://ecodom.example/spring');

      await composer.getByRole('button', { name: '+ SMS' }).click();
      await composer.getByRole('tab', { name: 'SMS' }).click();
      await composer.getByRole('tabpanel').getByLabel('Текст').fill('Весной окна со скидкой 15 %. ЭкоДом');
      await composer.getByTestId('sms-counter').getByText('SMS: 1 · UCS-2').waitFor();
      await composer.getByLabel('Стоимость рассылки').fill('600');
      await screenshot(page, 'composer');

      // A test to herself first: every variant her card can receive now (Telegram and SMS), counted nowhere.
      const test = composer.getByRole('region', { name: 'Тестовая отправка' });
      await test.getByLabel('Найдите себя среди контактов').fill('Мария');
      await test
        .getByRole('option', { name: /Мария Тестова/ })
        .getByRole('button')
        .click();
      await test.getByRole('button', { name: 'Отправить тест' }).click();
      await test
        .getByRole('status')
        .getByText('Тест отправлен: Мария Тестова', { exact: false })
        .waitFor({ timeout: 10_000 });
      await test.getByText('Telegram: отправлено').waitFor();
      await test.getByText('SMS: отправлено').waitFor();
      await screenshot(page, 'test-send');

      await composer.getByRole('button', { name: 'Запустить' }).click();
      await composer.getByRole('alertdialog').getByText('Контактов в сегменте: 6. Каналы: Telegram, SMS').waitFor();
      await composer.getByRole('button', { name: 'Да, запустить' }).click();

      // --- Its page: the bar moves to 100 % as the stand-ins take the messages.
      const progress = page.getByTestId('broadcast-progress');
      await progress.waitFor();
      await expect
        .poll(() => progress.getByRole('progressbar').getAttribute('aria-valuenow'), { timeout: 30_000 })
        .toBe('100');
      await page.locator('[data-status="completed"]').first().waitFor({ timeout: 10_000 });
      const results = page.getByTestId('broadcast-results');
      await expect.poll(() => results.locator('[data-count="sent"] strong').textContent()).toBe('6');
      await expect.poll(() => results.locator('[data-count="audience"] strong').textContent()).toBe('6');
      const channels = page.getByTestId('broadcast-channels');
      await expect.poll(() => channels.locator('[data-channel="telegram"] td').nth(2).textContent()).toBe('3');
      await expect.poll(() => channels.locator('[data-channel="sms"] td').nth(2).textContent()).toBe('3');
      await page.getByTestId('broadcast-cost').getByText('Стоимость: 600', { exact: false }).waitFor();
      const recipients = page.getByTestId('broadcast-recipients');
      await expect.poll(() => recipients.locator('tbody tr').count(), { timeout: 10_000 }).toBe(6);
      await recipients.getByText('Анна Смирнова').waitFor();
      // Anna answers in Telegram: the broadcast counts her reply and prices it.
      const answered = await fetch(`${api.baseUrl}/hooks/telegram/${botId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': botSecret },
        body: JSON.stringify({
          update_id: randomInt(1_000_000, 2_000_000),
          message: {
            message_id: randomInt(1_000, 100_000),
            date: Math.floor(Date.now() / 1000),
            from: { id: annaChatId, is_bot: false, first_name: 'Анна', last_name: 'Смирнова', language_code: 'ru' },
            chat: { id: annaChatId, first_name: 'Анна', last_name: 'Смирнова', type: 'private' },
            text: 'Интересно! Сколько стоит окно 120×140?',
          },
        }),
      });
      expect(answered.status).toBe(200);
      await expect
        .poll(
          async () => {
            await page.reload();
            return results.locator('[data-count="replied"] strong').textContent();
          },
          { timeout: 20_000, interval: 1_000 },
        )
        .toBe('1');
      await page.getByTestId('broadcast-cost').getByText('один ответ обошёлся в 600,00', { exact: false }).waitFor();
      await expect.poll(() => channels.locator('[data-channel="telegram"] td').nth(5).textContent()).toBe('1');
      await recipients.locator('[data-status="sent"]').first().waitFor();
      await screenshot(page, 'broadcast');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'broadcast-phone');
      await page.setViewportSize({ width: 1366, height: 900 });

      // What the stand-ins received: each recipient once, personalised.
      const telegramTexts = telegram.sent().map((sent) => sent.text ?? '');
      // Three recipients on each channel, plus the test on both.
      expect(telegramTexts.filter((sent) => sent.includes('Весной окна'))).toHaveLength(4);
      expect(telegramTexts.some((sent) => sent.startsWith('Здравствуйте, Анна Смирнова! Весной окна'))).toBe(true);
      expect(smsru.sent().filter((sent) => (sent.text ?? '').includes('Весной окна'))).toHaveLength(4);

      // The list shows it completed, with its counts.
      await page.getByRole('link', { name: 'К списку' }).click();
      const row = page.locator('tr', { hasText: 'Весна: скидка на окна' });
      await row.locator('[data-status="completed"]').waitFor();
      await screenshot(page, 'list');

      // Every word of the page has its English.
      await page.getByRole('button', { name: 'English' }).click();
      await row.getByText('Completed', { exact: true }).waitFor();
      await row.getByRole('link', { name: 'Весна: скидка на окна' }).click();
      await page.getByRole('heading', { name: 'Results' }).waitFor();
      await page
        .getByRole('button', { name: 'Back to the list' })
        .or(page.getByRole('link', { name: 'Back to the list' }))
        .waitFor();
      await screenshot(page, 'broadcast-en');
      await page.goto(`${api.baseUrl}/#/campaigns/broadcasts/new`);
      await page.getByRole('form', { name: 'Broadcast' }).getByText('Channels and their order').waitFor();
      await screenshot(page, 'composer-en');

      expect(session.problems).toEqual([]);
    } catch (error) {
      await screenshot(page, 'failure');
      throw error;
    } finally {
      await session.close();
    }
  }, 120_000);

  it('should show the server’s refusal of a launch in the form, in the marketer’s language', async () => {
    const session = await openPage(browser, '/launch');
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 900 });
      await signIn(page, api.baseUrl, api.users.marketer.email);
      await page.goto(`${api.baseUrl}/#/campaigns/broadcasts/new`);
      const composer = page.getByRole('form', { name: 'Рассылка' });
      await composer.getByLabel('Название').fill('Чат на сайте');
      await composer.getByLabel('Сегмент').selectOption({ label: 'Весенняя акция' });
      // No site chat is connected: the launch is refused with 422.
      await composer.getByRole('button', { name: 'Убрать Telegram' }).click();
      await composer.getByRole('button', { name: '+ Чат на сайте' }).click();
      await composer.getByRole('tabpanel').getByLabel('Текст').fill('Здравствуйте!');
      await composer.getByRole('button', { name: 'Запустить' }).click();
      await composer.getByRole('button', { name: 'Да, запустить' }).click();
      await composer
        .getByTestId('launch-error')
        .getByText('Ни для одного из выбранных каналов не подключён аккаунт', { exact: false })
        .waitFor();
      await screenshot(page, 'launch-refused');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('should make a static list from a CSV file and say which rows matched', async () => {
    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 900 });
      await signIn(page, api.baseUrl, api.users.marketer.email);
      await page.goto(`${api.baseUrl}/#/campaigns/segments`);
      await page.getByRole('button', { name: 'Список из CSV' }).click();
      const panel = page.getByTestId('static-list');
      const csv = [
        'Имя;Телефон',
        `Анна;${phones[0]}`,
        `Глеб;${phones[3]}`,
        'Никто;+79990000000',
        'Ошибка;не телефон',
      ].join('\n');
      await panel.locator('input[type="file"]').setInputFiles({
        name: 'выставка.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv),
      });
      await expect.poll(() => panel.getByLabel('Название').inputValue()).toBe('выставка');
      await panel.getByRole('button', { name: 'Создать список' }).click();
      const report = panel.getByRole('status');
      await report.getByText('найдено контактов: 2', { exact: false }).waitFor({ timeout: 10_000 });
      await report.getByText('не найдено: 1', { exact: false }).waitFor();
      await report.getByText('строк с ошибками: 1', { exact: false }).waitFor();
      await report.getByText('Телефон «не телефон» не распознан', { exact: false }).waitFor();
      const row = page.locator('tr', { hasText: 'выставка' });
      await row.getByText('Список из файла').waitFor();
      await expect.poll(() => row.locator('.size').textContent()).toBe('2');
      // Exports are an admin's right: a marketer is not offered them.
      expect(await page.getByRole('button', { name: 'CSV', exact: true }).count()).toBe(0);
      await screenshot(page, 'static-list');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('should offer an admin the export of a segment as a file', async () => {
    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 900 });
      await signIn(page, api.baseUrl, api.users.admin.email);
      await page.getByRole('link', { name: 'Рассылки', exact: true }).click();
      await page.getByRole('navigation', { name: 'Разделы рассылок' }).getByRole('link', { name: 'Сегменты' }).click();
      await page.getByRole('link', { name: 'Весенняя акция' }).click();
      await page.getByRole('heading', { name: 'Весенняя акция' }).waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Выгрузить CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const lines = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
      // A header and the six tagged clients.
      expect(lines).toHaveLength(7);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('should let a marketer pause and resume a running broadcast, and schedule one and cancel it', async () => {
    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 900 });
      const marketer = await api.as('marketer');
      const segments = (await marketer.get('/segments')).body.items as { id: string; name: string }[];
      const segmentId = segments.find((segment) => segment.name === 'Весенняя акция')!.id;
      const created = await marketer.post('/broadcasts', {
        name: 'Только Telegram',
        segmentId,
        variants: { telegram: { text: 'Новые цвета профиля уже в салоне' } },
        channelOrder: ['telegram'],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      // The bot's first send hangs at the stand-in: the broadcast stays running while it is paused.
      const held = telegram.holdNextSend();
      expect((await marketer.post(`/broadcasts/${created.body.id}/launch`)).status).toBe(200);
      await held.arrived;

      await signIn(page, `${api.baseUrl}/#/campaigns/broadcasts/${created.body.id}`, api.users.marketer.email);
      const heading = page.getByRole('heading', { name: 'Только Telegram' });
      await heading.locator('[data-status="running"]').waitFor();
      await page.getByRole('button', { name: 'Пауза' }).click();
      await heading.locator('[data-status="paused"]').waitFor();
      await screenshot(page, 'paused');
      await page.getByRole('button', { name: 'Продолжить' }).click();
      await heading.locator('[data-status="running"]').waitFor();
      held.release();
      await heading.locator('[data-status="completed"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('broadcast-progress').getByRole('progressbar').getAttribute('aria-valuenow')).toBe(
        '100',
      );

      // Scheduled for tomorrow in the composer, then cancelled before it starts.
      await page.goto(`${api.baseUrl}/#/campaigns/broadcasts/new/${segmentId}`);
      const composer = page.getByRole('form', { name: 'Рассылка' });
      await composer.getByLabel('Название').fill('Завтрашняя');
      await composer.getByRole('tabpanel').getByLabel('Текст').fill('До встречи завтра');
      await composer.getByLabel('В назначенное время').check();
      const tomorrow = new Date(Date.now() + 86_400_000);
      const pad = (value: number) => String(value).padStart(2, '0');
      await composer
        .getByLabel('Дата и время')
        .fill(
          `${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T${pad(tomorrow.getHours())}:${pad(tomorrow.getMinutes())}`,
        );
      await composer.getByRole('button', { name: 'Запланировать' }).click();
      await composer.getByRole('button', { name: 'Да, запустить' }).click();
      const scheduled = page.getByRole('heading', { name: 'Завтрашняя' });
      await scheduled.locator('[data-status="scheduled"]').waitFor();
      await page.getByTestId('broadcast-progress').getByText('начнётся', { exact: false }).waitFor();
      expect(await page.getByRole('button', { name: 'Пауза' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Отменить рассылку' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Да, отменить' }).click();
      await scheduled.locator('[data-status="cancelled"]').waitFor();
      await screenshot(page, 'cancelled');
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  }, 90_000);
});
