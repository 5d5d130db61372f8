import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../server/http/create-http-app.js';
import { startTestApi, TEST_PASSWORD } from '../api/api-harness.js';
import { buildInbox, launchChromium, openPage, serveApp, type ErrorWatchingPage, type ServedApp } from './harness.js';

const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const SIGN_IN_URL = '/api/v1/auth/login';
const CREDENTIALS = { email: 'anna.petrova@example.ru', password: 'correct horse battery' };

/**
 * The accounts API's answers for a signed-out browser (no session; sign-out accepted), so the page
 * can be tested on its own; the real API is exercised in inbox-session.test.ts.
 */
function withSessionApi(mount?: (app: Express) => void): (app: Express) => void {
  return (app) => {
    app.get('/api/v1/auth/session', (_request, response) => {
      response.json({ user: null });
    });
    app.post('/api/v1/auth/logout', (_request, response) => {
      response.status(204).end();
    });
    // The Inbox section, shown first after sign-in, lists conversations: none here.
    app.get('/api/v1/conversations', (_request, response) => {
      response.json({ items: [] });
    });
    mount?.(app);
  };
}

describe('inbox login page', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'inbox-e2e-'));
  let browser: Browser;
  let served: ServedApp;
  let opened: ErrorWatchingPage | undefined;

  beforeAll(async () => {
    buildInbox(inboxDir);
    mkdirSync(ARTIFACTS, { recursive: true });
    [browser, served] = await Promise.all([
      launchChromium(),
      serveApp(createHttpApp({ inboxDir, mount: withSessionApi() }), { realtime: true }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    rmSync(inboxDir, { recursive: true, force: true });
  });

  afterEach(async () => {
    const problems = opened?.problems ?? [];
    await opened?.close();
    opened = undefined;
    expect(problems).toEqual([]);
  });

  async function open(url: string, expectedErrorUrl?: string): Promise<Page> {
    opened = await openPage(browser, expectedErrorUrl);
    await opened.page.goto(url);
    return opened.page;
  }

  /** The page's scrolling width: wider than the viewport means the layout does not fit. */
  function pageWidth(page: Page): Promise<number> {
    return page.evaluate<number>('document.documentElement.scrollWidth');
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    // Finished transitions: a hover or a selection captured half-way looks like a glitch.
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true, animations: 'disabled' });
  }

  it('should render in Russian by default', async () => {
    const page = await open(served.url);
    await page.getByRole('heading', { level: 1, name: 'Вход в аккаунт' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.title()).toBe('Вход · Funnel Inbox');
    expect(await page.getByText('Funnel Inbox', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('Все разговоры с клиентами и вся воронка продаж — в одном окне').isVisible()).toBe(
      true,
    );
    expect(await page.getByLabel('Электронная почта').isVisible()).toBe(true);
    expect(await page.getByLabel('Пароль', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Войти', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Русский' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'login-ru.png');
  });

  it('should run under a Content-Security-Policy that refuses injected inline script, and report it', async () => {
    const page = await open(served.url);
    await page.getByRole('heading', { level: 1, name: 'Вход в аккаунт' }).waitFor();
    const policy = (await page.request.get(served.url)).headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self';");
    // The page itself caused no report so far: the build fits the policy.
    expect(opened?.problems).toEqual([]);

    // What an injected <script> would do: refused by the browser, and the harness hears of it.
    await page.evaluate(`(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injectedRan = true';
      document.head.append(script);
    })()`);
    await expect.poll(() => opened?.problems.length).toBeGreaterThan(0);
    expect(await page.evaluate('window.injectedRan')).toBeUndefined();
    expect(opened?.problems.some((problem) => /Content Security Policy violation: script-src-elem/.test(problem))).toBe(
      true,
    );
    opened?.problems.splice(0);
  });

  it('should switch to English and keep the choice after a reload', async () => {
    const page = await open(served.url);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to your account' }).waitFor();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in to your account' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.title()).toBe('Sign in · Funnel Inbox');
    expect(await page.getByLabel('E-mail').isVisible()).toBe(true);
    expect(await page.getByLabel('Password', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'login-en.png');
  });

  it('should show what is wrong when the form is incomplete, without calling the server', async () => {
    const page = await open(served.url);
    const signInRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith(SIGN_IN_URL)) signInRequests.push(request.url());
    });
    const email = page.getByLabel('Электронная почта');

    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await page.getByText('Введите электронную почту').waitFor();
    expect(await page.getByText('Введите пароль').isVisible()).toBe(true);
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(':focus').getAttribute('id')).toBe('login-email');

    await email.fill('anna@example');
    await page.getByText('Проверьте адрес: он должен выглядеть как anna@company.ru').waitFor();
    await page.getByLabel('Пароль', { exact: true }).fill(CREDENTIALS.password);
    await page.getByText('Введите пароль').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    expect(await page.locator(':focus').getAttribute('id')).toBe('login-email');
    expect(signInRequests).toEqual([]);
  });

  it('should say that sign-in is not available yet while the server has no accounts API', async () => {
    const page = await open(served.url, SIGN_IN_URL);
    await page.getByLabel('Электронная почта').fill(CREDENTIALS.email);
    await page.getByLabel('Пароль', { exact: true }).fill(CREDENTIALS.password);
    const answer = page.waitForResponse((response) => response.url().endsWith(SIGN_IN_URL));
    await page.getByRole('button', { name: 'Войти', exact: true }).click();

    expect((await answer).status()).toBe(404);
    await page.getByText('Вход пока недоступен: сервис учётных записей появится в следующем обновлении').waitFor();
    expect(await page.getByRole('button', { name: 'Войти', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, 'login-error.png');
  });

  it('should tell a wrong password from too many attempts, in the chosen language', async () => {
    const answers = [401, 429];
    const app = createHttpApp({
      inboxDir,
      mount: withSessionApi((app) =>
        app.post(SIGN_IN_URL, (_request, response) => {
          response.status(answers.shift() ?? 500).json({ error: { code: 'refused', message: 'Refused' } });
        }),
      ),
    });
    const refusing = await serveApp(app);
    try {
      const page = await open(refusing.url, SIGN_IN_URL);
      await page.getByLabel('Электронная почта').fill(CREDENTIALS.email);
      await page.getByLabel('Пароль', { exact: true }).fill('wrong password');
      await page.getByRole('button', { name: 'Войти', exact: true }).click();
      await page.getByText('Неверная электронная почта или пароль').waitFor();

      await page.getByRole('button', { name: 'Войти', exact: true }).click();
      await page.getByText('Слишком много попыток, попробуйте позже').waitFor();
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByText('Too many attempts, try again later').waitFor();
    } finally {
      await refusing.close();
    }
  });

  // The signed-in frame loads presence, notifications and its sections' data: the real API serves it.
  it('should sign in to the app frame and move between its sections', async () => {
    const api = await startTestApi({ inboxDir });
    try {
      const anna = await api.createUser({ role: 'operator', name: 'Анна Петрова' });
      const page = await open(api.baseUrl);
      await page.getByLabel('Электронная почта').fill(anna.email);
      await page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Войти', exact: true }).click();

      const rail = page.getByRole('navigation', { name: 'Разделы' });
      await rail.waitFor();
      const labels = await rail.getByRole('link').allInnerTexts();
      // Flows and Settings are for managers and admins: an operator's rail leaves them out. Reports
      // are there: an operator sees their own figures.
      expect(labels.map((label) => label.trim())).toEqual([
        'Входящие',
        'Контакты',
        'Сделки',
        'Задачи',
        'Поиск',
        'Отчёты',
      ]);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Входящие');
      expect(await page.getByText('Анна Петрова').first().isVisible()).toBe(true);
      expect(await page.getByText('Оператор', { exact: true }).first().isVisible()).toBe(true);

      await rail.getByRole('link', { name: 'Задачи' }).click();
      await page.getByRole('heading', { level: 1, name: 'Задачи' }).waitFor();
      expect(new URL(page.url()).hash).toBe('#/tasks');
      expect(await rail.getByRole('link', { name: 'Задачи' }).getAttribute('aria-current')).toBe('page');
      expect(await page.title()).toBe('Задачи · Funnel Inbox');
      await screenshot(page, 'frame-ru.png');

      // A 360 px phone: the rail turns into a tab bar and nothing scrolls sideways.
      await page.setViewportSize({ width: 360, height: 740 });
      expect(await pageWidth(page)).toBe(360);
      // Six sections: four tabs and "More".
      expect(await rail.getByRole('link', { name: 'Задачи' }).isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Ещё' }).isVisible()).toBe(true);
      await screenshot(page, 'frame-ru-360.png');

      await page.getByRole('button', { name: 'Выйти' }).click();
      await page.getByRole('heading', { level: 1, name: 'Вход в аккаунт' }).waitFor();
      expect(await pageWidth(page)).toBe(360);
      await screenshot(page, 'login-ru-360.png');
      expect(opened?.problems).toEqual([]);
    } finally {
      await opened?.close();
      opened = undefined;
      await api.close();
    }
  });
});
