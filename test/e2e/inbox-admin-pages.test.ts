import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { newMember, newTeamWithChannel, visitorWrites } from '../api/inbox-fixture.js';
import { buildInbox, launchChromium, openPage, signIn } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** `<input type="datetime-local">` text for a moment, in the browser's (and this process's) zone. */
function localInput(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function screenshots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `inbox-admin-${name}.png`), animations: 'disabled' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(ARTIFACTS, `inbox-admin-${name}-phone.png`), animations: 'disabled' });
  await page.setViewportSize({ width: 1366, height: 768 });
}

/**
 * The Settings, Tasks and Contacts sections against the whole app in real Chromium: an admin sets
 * up people, a team, a site chat and a canned response; an operator works their day and tasks; a
 * manager finds contacts and imports a file with a bad row. Any console error fails the test.
 */
describe('inbox admin pages', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'admin-pages-inbox-'));
  let browser: Browser;
  let api: TestApi;
  const suffix = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    buildInbox(inboxDir);
    [browser, api] = await Promise.all([launchChromium(), startTestApi({ inboxDir })]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  it('should let an admin add a person and a team, connect a site chat, copy its snippet and add a canned response', async () => {
    // The one refusal this test provokes on purpose: a site address the server does not take.
    const session = await openPage(browser, '/api/v1/channels');
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.baseUrl });
      await signIn(page, api.baseUrl, api.users.admin.email);
      await page.getByRole('link', { name: 'Настройки' }).click();

      const email = `olga-${suffix}@ecodom.example`;
      await page.getByRole('button', { name: 'Добавить сотрудника' }).click();
      const userForm = page.getByRole('form', { name: 'Новый сотрудник' });
      await userForm.getByLabel('Имя', { exact: true }).fill('Ольга Смирнова');
      await userForm.getByLabel('E-mail').fill('not-an-address');
      await userForm.getByLabel('Пароль').fill('short');
      await userForm.getByRole('button', { name: 'Добавить' }).click();
      await userForm.getByText('Адрес должен выглядеть как anna@company.ru').waitFor();
      await userForm.getByText('Пароль — не короче 8 знаков').waitFor();
      await userForm.getByLabel('E-mail').fill(email);
      await userForm.getByLabel('Пароль').fill('green-house-2026');
      await userForm.getByRole('combobox', { name: /^Роль/ }).selectOption('operator');
      await userForm.getByRole('button', { name: 'Добавить' }).click();
      await page.locator(`[data-user="${email}"]`).waitFor();
      const created = (await (await api.as('admin')).get(`/users?q=${encodeURIComponent(email)}`)).body.items[0];
      expect(created).toMatchObject({ name: 'Ольга Смирнова', role: 'operator', active: true });

      await page.getByRole('link', { name: 'Команды' }).click();
      const teamName = `Продажи ${suffix}`;
      await page.getByLabel('Новая команда').fill(teamName);
      await page.getByRole('button', { name: 'Создать команду' }).click();
      const team = page.locator(`[data-team="${teamName}"]`);
      await team.getByText('участников: 0').waitFor();
      await team.getByRole('button', { name: 'Участники' }).click();
      await team.getByRole('checkbox', { name: /Ольга Смирнова/ }).check();
      await team.getByText('участников: 1').waitFor();
      await screenshots(page, 'teams');

      await page.getByRole('link', { name: 'Каналы' }).click();
      await page.getByText('Каналов пока нет').waitFor();
      await page.getByRole('button', { name: 'Подключить канал' }).click();
      const channelForm = page.getByRole('form', { name: 'Новый канал' });
      await channelForm.getByLabel('Название', { exact: true }).fill('Сайт ЭкоДом');
      await channelForm.getByLabel('Адреса сайтов').fill('not a site');
      await channelForm.getByRole('button', { name: 'Подключить' }).click();
      // The server's own words, in the inbox's language, beside the field they are about.
      await channelForm.getByText('Это не адрес сайта (вида https://shop.example): not a site').waitFor();
      await channelForm.getByLabel('Адреса сайтов').fill('https://ecodom.example');
      await channelForm.getByRole('checkbox', { name: teamName }).check();
      await channelForm.getByRole('button', { name: 'Подключить' }).click();
      const channel = page.locator('[data-channel="Сайт ЭкоДом"]');
      const snippet = await channel.locator('[data-snippet]').textContent();
      expect(snippet).toMatch(
        /^<script src="http:\/\/[^/"]+\/widget\.js" data-channel="[0-9a-f]{24}" async><\/script>$/,
      );
      await channel.getByRole('button', { name: 'Копировать' }).click();
      await channel.getByRole('button', { name: 'Скопировано' }).waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(snippet);
      await screenshots(page, 'channels');

      await page.getByRole('link', { name: 'Быстрые ответы' }).click();
      await page.getByRole('button', { name: 'Новый ответ' }).click();
      const cannedForm = page.getByRole('form', { name: 'Новый быстрый ответ' });
      await cannedForm.getByLabel('Сокращение').fill(`privet-${suffix}`);
      await cannedForm.getByLabel('Текст на русском').fill('Здравствуйте, ');
      await cannedForm.getByRole('button', { name: '{{contact.name}}' }).click();
      await cannedForm.getByLabel('Текст на русском').press('End');
      await cannedForm.getByLabel('Текст на русском').pressSequentially('! Меня зовут ');
      await cannedForm.getByRole('button', { name: '{{agent.name}}' }).click();
      await expect
        .poll(() => cannedForm.locator('[data-canned-preview]').textContent())
        .toBe('Здравствуйте, Анна Петрова! Меня зовут Test admin');
      await cannedForm.getByRole('button', { name: 'Создать' }).click();
      await page.locator(`[data-canned="privet-${suffix}"]`).waitFor();
      await screenshots(page, 'canned');

      await page.getByRole('link', { name: 'Сотрудники' }).click();
      await page.locator(`[data-user="${email}"]`).getByText(teamName).waitFor();
      await screenshots(page, 'users');

      // Exports are the admin's: the file comes from POST /exports and is handed to the browser.
      await page.getByRole('link', { name: 'Контакты' }).click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Экспорт CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      await page.getByText(/^Выгружено контактов: \d+$/).waitFor();

      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  }, 90_000);

  it('should show an operator their day and let them create a task and mark it done', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const admin = await api.as('admin');
    for (const text of ['Здравствуйте! Сколько стоит дом 120 м²?', 'Можно приехать на объект в субботу?']) {
      const { conversation } = await visitorWrites(api, channelId, text);
      expect((await admin.patch(`/conversations/${conversation.id}`, { assigneeId: operator.user?.id })).status).toBe(
        200,
      );
    }
    const overdue = await operator.post('/tasks', {
      title: `Отправить смету ${suffix}`,
      dueAt: new Date(Date.now() - 26 * 3600_000).toISOString(),
    });
    expect(overdue.status).toBe(201);

    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 768 });
      await signIn(page, api.baseUrl, operator.user?.email ?? '');
      await page.getByRole('link', { name: 'Задачи' }).click();
      const day = page.getByRole('region', { name: 'Мой день' });
      await expect.poll(() => day.locator('[data-count="assigned"] strong').textContent()).toBe('2');
      expect(await day.locator('[data-count="waiting"] strong').textContent()).toBe('2');
      expect(await day.locator('[data-count="overdue"] strong').textContent()).toBe('1');
      await day.getByText('Сколько стоит дом 120 м²?').waitFor();
      await page
        .locator('[data-task]', { hasText: `Отправить смету ${suffix}` })
        .getByText(/просрочено/)
        .waitFor();

      const title = `Перезвонить по смете ${suffix}`;
      const due = new Date(Date.now() + 24 * 3600_000);
      due.setHours(11, 30, 0, 0);
      await page.getByRole('button', { name: 'Новая задача' }).click();
      const form = page.getByRole('form', { name: 'Новая задача' });
      await form.getByRole('button', { name: 'Создать' }).click();
      await form.getByText('Напишите, что нужно сделать').waitFor();
      await form.getByLabel('Что сделать').fill(title);
      await form.getByLabel('Срок').fill(localInput(due));
      await form.getByLabel('Контакт').fill('Посетитель');
      await form
        .getByRole('button', { name: /Посетитель сайта/ })
        .first()
        .click();
      await form.getByRole('button', { name: 'Создать' }).click();
      const row = page.locator('[data-task]', { hasText: title });
      await row.getByRole('button', { name: /Разговор: Посетитель сайта/ }).waitFor();
      const stored = (await operator.get(`/tasks?q=${encodeURIComponent(title)}`)).body.items[0];
      expect(stored).toMatchObject({ title, assigneeId: operator.user?.id, done: false });
      expect(new Date(stored.dueAt).getTime()).toBe(due.getTime());
      expect(stored.contactId).toMatch(/^[0-9a-f]{24}$/);

      await page.getByRole('tab', { name: 'По датам' }).click();
      await page.getByRole('heading', { name: /Просрочено/ }).waitFor();
      await page.getByRole('heading', { name: /Завтра/ }).waitFor();
      await screenshots(page, 'tasks');

      await page.getByRole('tab', { name: 'Мои' }).click();
      await page.getByRole('checkbox', { name: `Отметить выполненной: ${title}` }).check();
      await page.getByRole('checkbox', { name: `Вернуть в работу: ${title}` }).waitFor();
      await page.getByRole('checkbox', { name: `Отметить выполненной: Отправить смету ${suffix}` }).check();
      await expect.poll(() => day.locator('[data-count="overdue"] strong').textContent()).toBe('0');
      expect((await operator.get(`/tasks/${stored.id}`)).body.done).toBe(true);

      await row.getByRole('button', { name: /Разговор: Посетитель сайта/ }).click();
      await page.waitForURL(/#\/inbox\/[0-9a-f]{24}$/);
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  }, 90_000);

  it('should let a manager search contacts, open one and import a CSV with a bad row', async () => {
    const manager = await api.as('manager');
    const phone = `+7916${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const created = await manager.post('/contacts', {
      name: `Иван Сидоров ${suffix}`,
      phones: [phone],
      tags: ['выставка'],
      source: 'expo',
    });
    expect(created.status).toBe(201);

    const session = await openPage(browser);
    const { page } = session;
    try {
      await page.setViewportSize({ width: 1366, height: 768 });
      await signIn(page, api.baseUrl, api.users.manager.email);
      await page.getByRole('link', { name: 'Контакты' }).click();
      await page.getByLabel('Поиск').fill(phone.slice(-7));
      const found = page.locator(`[data-contact="${created.body.id}"]`);
      await found.waitFor();
      await expect.poll(() => page.locator('[data-contact]').count()).toBe(1);
      await page.getByLabel('Поиск').fill(`Сидоров ${suffix}`);
      await page.getByLabel('Тег').fill('выставка');
      await found.waitFor();
      await page.getByLabel('Тег').fill('нет-такого-тега');
      await page.getByText('Никого не нашли').waitFor();
      await page.getByLabel('Тег').fill('');
      await found.getByRole('link', { name: `Иван Сидоров ${suffix}` }).click();
      await page.getByRole('heading', { name: `Иван Сидоров ${suffix}` }).waitFor();
      await page.getByText('Клиент ещё не писал').waitFor();
      await screenshots(page, 'contact');
      await page.getByRole('link', { name: 'Все контакты' }).click();
      await page.getByLabel('Поиск').fill('');

      await page.getByRole('button', { name: 'Импорт' }).click();
      const csv = [
        'Имя;Телефон;E-mail',
        `Мария Иванова ${suffix};+7 916 555-${suffix.length}1-2${suffix.length};maria-${suffix}@example.ru`,
        `Пётр ${suffix};12;not-an-email`,
        `Анна ${suffix};8 (916) 777-12-${String(Math.floor(Math.random() * 90) + 10)};`,
      ].join('\n');
      await page
        .getByLabel('Выбрать файл')
        .setInputFiles({ name: 'expo.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByText('Строк с данными: 3.').waitFor();
      expect(await page.getByLabel('Поле для столбца «Телефон»').inputValue()).toBe('phone');
      expect(await page.getByLabel('Поле для столбца «E-mail»').inputValue()).toBe('email');
      await page.getByRole('button', { name: 'Загрузить' }).click();
      await page.getByRole('progressbar', { name: 'Ход импорта' }).waitFor();
      await page.locator('[data-import-status="done"]').waitFor();
      expect(await page.locator('[data-import-status]').textContent()).toMatch(/новых 2, уже были 0, отклонено 1/);
      await page.locator('[data-rejected-row="3"]').waitFor();
      const rejectedCsv = page.getByRole('link', { name: 'Скачать отклонённые (CSV)' });
      expect(await rejectedCsv.getAttribute('href')).toMatch(/^\/api\/v1\/imports\/[0-9a-f]{24}\/rejected\.csv$/);
      await page.locator('[data-contact]', { hasText: `Мария Иванова ${suffix}` }).waitFor();
      await screenshots(page, 'import');

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Contacts' }).first().waitFor();
      await page.getByRole('heading', { name: 'Rejected rows' }).waitFor();
      expect(session.problems).toEqual([]);
    } finally {
      await session.close();
    }
  }, 90_000);
});
