import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';

describe('telegram webhook registration', () => {
  let telegram: TelegramBotApiStandIn;
  let api: TestApi;
  let admin: ApiClient;

  beforeAll(async () => {
    telegram = await startTelegramBotApi();
    api = await startTestApi({
      env: { TELEGRAM_API_ROOT: telegram.apiRoot, PUBLIC_URL: 'https://inbox.ecodom.example' },
    });
    admin = await api.as('admin');
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await telegram?.close();
  });

  it('should point Telegram at the public HTTPS webhook with the secret token when a bot is connected', async () => {
    const created = await admin.post('/channels', {
      type: 'telegram',
      name: 'ЭкоДом бот',
      token: telegram.token,
      webhookSecret: 'ecodom-secret-2026',
    });
    expect(created.status).toBe(201);
    expect(created.body.webhookUrl).toBe(`https://inbox.ecodom.example/hooks/telegram/${created.body.id}`);
    expect(created.body.webhookStatus).toMatchObject({ state: 'registered' });
    expect(telegram.webhook()).toMatchObject({ url: created.body.webhookUrl, secretToken: 'ecodom-secret-2026' });
    expect((await admin.get(`/channels/${created.body.id}`)).body.webhookStatus.state).toBe('registered');
  });

  it('should register the new secret when an admin changes it', async () => {
    const created = await admin.post('/channels', { type: 'telegram', name: 'Бот 2', token: telegram.token });
    const patched = await admin.patch(`/channels/${created.body.id}`, { webhookSecret: 'rotated-secret-1' });
    expect(patched.status).toBe(200);
    expect(patched.body.webhookStatus.state).toBe('registered');
    expect(telegram.webhook().secretToken).toBe('rotated-secret-1');
  });

  it("should show a failed registration with Telegram's reason instead of failing the connection", async () => {
    // A token BotFather has revoked: well-formed, refused by Telegram with 401.
    const revoked = `999999:${'R'.repeat(35)}`;
    const created = await admin.post('/channels', { type: 'telegram', name: 'Бот 3', token: revoked });
    expect(created.status).toBe(201);
    expect(created.body.webhookStatus.state).toBe('failed');
    expect(created.body.webhookStatus.error).toMatch(/Unauthorized/i);
  });

  it('should not register a bot set to polling', async () => {
    const created = await admin.post('/channels', {
      type: 'telegram',
      name: 'Бот для разработки',
      token: telegram.token,
      mode: 'polling',
    });
    expect(created.body.webhookStatus.state).toBe('polling');
    await admin.delete(`/channels/${created.body.id}`);
  });
});
