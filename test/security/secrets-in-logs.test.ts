import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../server/boot/start-app.js';
import { loadConfig } from '../../server/config/config.js';
import { freePort } from '../../server/free-port.js';
import { createLogger } from '../../server/observability/logger.js';
import { createUser } from '../../server/users/create-user.js';
import { startSmtpCapture, type SmtpCapture } from '../stand-ins/smtp-capture.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import {
  messagePayload,
  randomWamid,
  signedWebhook,
  startWhatsappGraphApi,
  whatsappMessage,
  type WhatsappGraphApi,
} from '../stand-ins/whatsapp-graph-api.js';

/**
 * The whole app started with known secrets and driven through what touches them: a failed and a
 * good sign-in, channel accounts created and read, webhooks with bad signatures and tokens, sends
 * the provider stand-ins refuse, a mailbox that cannot be reached, a model that does not answer.
 * Every log line (the app's own pino logger, at trace level) and every API answer is then searched
 * for each secret: none may appear.
 */

const random = (bytes = 24) => randomBytes(bytes).toString('base64url');

const SECRETS = {
  telegramToken: `${randomInt(10 ** 8, 10 ** 9)}:AAH${random()}`,
  telegramWebhookSecret: random(),
  whatsappAccessToken: `EAAG${random(32)}`,
  whatsappAppSecret: randomBytes(16).toString('hex'),
  whatsappVerifyToken: random(),
  smtpPassword: `smtp-${random()}`,
  channelSecretsKey: randomBytes(32).toString('base64'),
  openaiApiKey: `sk-${random(32)}`,
  metricsToken: random(),
  adminPassword: `admin-${random()}`,
  wrongPassword: `guess-${random()}`,
  guessedApiToken: `fi_${random(32)}`,
};

interface Answer {
  what: string;
  status: number;
  text: string;
}

describe('secrets in logs and API answers', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'secrets-'));
  const lines: string[] = [];
  const answers: Answer[] = [];
  let app: App;
  let closed = false;
  let baseUrl: string;
  let telegram: TelegramBotApiStandIn;
  let whatsapp: WhatsappGraphApi;
  let smtp: SmtpCapture;
  let sessionId = '';
  let csrfToken = '';
  const phoneNumberId = String(randomInt(10 ** 13, 10 ** 14));
  const adminEmail = `admin-${random(4)}@secrets.test`;

  /** A request whose answer is kept for the search (Set-Cookie aside: the session cookie is its whole point). */
  async function call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (sessionId) headers.cookie = `sid=${sessionId}`;
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    let body: string | Buffer | undefined;
    if (Buffer.isBuffer(init.body) || typeof init.body === 'string') body = init.body;
    else if (init.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.body);
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    const shownHeaders = [...response.headers].filter(([name]) => name !== 'set-cookie');
    answers.push({
      what: `${method} ${path}`,
      status: response.status,
      text: `${JSON.stringify(shownHeaders)}\n${text}`,
    });
    const setCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith('sid='));
    if (setCookie) sessionId = setCookie.slice(4).split(';')[0] ?? '';
    const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
    return { status: response.status, json };
  }

  beforeAll(async () => {
    telegram = await startTelegramBotApi({ token: SECRETS.telegramToken });
    whatsapp = await startWhatsappGraphApi({ phoneNumberId, accessToken: SECRETS.whatsappAccessToken });
    smtp = await startSmtpCapture({ username: 'sales@secrets.test', password: SECRETS.smtpPassword });
    const [port, closedPort] = await Promise.all([freePort(), freePort()]);
    const config = loadConfig({
      PORT: String(port),
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'trace',
      LOG_FORMAT: 'json',
      CHANNEL_SECRETS_KEY: SECRETS.channelSecretsKey,
      METRICS_TOKEN: SECRETS.metricsToken,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      WHATSAPP_GRAPH_URL: whatsapp.graphUrl,
      // A model that never answers: the bot falls back, and its failure is logged.
      OPENAI_API_KEY: SECRETS.openaiApiKey,
      OPENAI_BASE_URL: `http://127.0.0.1:${closedPort}/v1`,
      OPENAI_TIMEOUT_MS: '500',
      ...(process.env.MONGODB_URI ? { MONGODB_URI: process.env.MONGODB_URI } : {}),
    });
    const logger = createLogger(config, { destination: { write: (line: string) => void lines.push(line) } });
    app = await startApp(config, logger);
    baseUrl = `http://127.0.0.1:${port}`;
    await createUser(app.database.mongoose.connection, {
      name: 'Админ',
      email: adminEmail,
      password: SECRETS.adminPassword,
      role: 'admin',
    });
  }, 60_000);

  afterAll(async () => {
    if (!closed) await app?.close();
    await Promise.all([whatsapp?.close(), smtp?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should keep every secret out of the logs and the API answers', async () => {
    // Sign-in: a wrong password, then the right one.
    const refused = await call('POST', '/api/v1/auth/login', {
      body: { email: adminEmail, password: SECRETS.wrongPassword },
    });
    expect(refused.status).toBe(401);
    const signedIn = await call('POST', '/api/v1/auth/login', {
      body: { email: adminEmail, password: SECRETS.adminPassword },
    });
    expect(signedIn.status).toBe(200);
    csrfToken = signedIn.json.csrfToken;
    expect(sessionId.length).toBeGreaterThan(20);

    // Channel accounts: created, listed, read.
    const bot = await call('POST', '/api/v1/channels', {
      body: {
        type: 'telegram',
        name: 'Бот',
        token: SECRETS.telegramToken,
        webhookSecret: SECRETS.telegramWebhookSecret,
      },
    });
    expect(bot.status, JSON.stringify(bot.json)).toBe(201);
    const number = await call('POST', '/api/v1/channels', {
      body: {
        type: 'whatsapp',
        name: 'WhatsApp',
        phoneNumberId,
        accessToken: SECRETS.whatsappAccessToken,
        appSecret: SECRETS.whatsappAppSecret,
        verifyToken: SECRETS.whatsappVerifyToken,
      },
    });
    expect(number.status, JSON.stringify(number.json)).toBe(201);
    const closedImap = await freePort();
    const mailbox = await call('POST', '/api/v1/channels', {
      body: {
        type: 'email',
        name: 'Почта',
        address: 'sales@secrets.test',
        imapHost: '127.0.0.1',
        imapPort: closedImap,
        imapSecure: false,
        smtpHost: smtp.host,
        smtpPort: smtp.port,
        smtpSecure: false,
        username: 'sales@secrets.test',
        password: SECRETS.smtpPassword,
      },
    });
    expect(mailbox.status, JSON.stringify(mailbox.json)).toBe(201);
    expect((await call('GET', '/api/v1/channels')).status).toBe(200);
    for (const id of [bot.json.id, number.json.id, mailbox.json.id]) {
      expect((await call('GET', `/api/v1/channels/${id}`)).status).toBe(200);
    }

    // Webhooks: a wrong Telegram secret, a WhatsApp body signed with another secret, the WhatsApp
    // handshake with a wrong and with the right verify token (the token is in the query string).
    const telegramUpdate = (text: string, chatId: number) => ({
      update_id: randomInt(10 ** 6, 10 ** 7),
      message: {
        message_id: randomInt(1, 10 ** 6),
        date: Math.floor(Date.now() / 1000),
        from: { id: chatId, is_bot: false, first_name: 'Анна' },
        chat: { id: chatId, first_name: 'Анна', type: 'private' },
        text,
      },
    });
    const chatId = randomInt(10 ** 8, 10 ** 9);
    const forged = await call('POST', `/hooks/telegram/${bot.json.id}`, {
      body: telegramUpdate('подделка', chatId),
      headers: { 'x-telegram-bot-api-secret-token': `${SECRETS.telegramWebhookSecret}x` },
    });
    expect(forged.status).toBe(401);
    const payload = messagePayload(
      phoneNumberId,
      { waId: '79990001122', name: 'Олег' },
      whatsappMessage.text('Привет'),
    );
    const rawBody = Buffer.from(JSON.stringify(payload));
    const badSignature = createHmac('sha256', 'not the app secret').update(rawBody).digest('hex');
    const unsigned = await call('POST', `/hooks/whatsapp/${number.json.id}`, {
      body: rawBody,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${badSignature}` },
    });
    expect(unsigned.status).toBe(401);
    const handshake = (token: string) =>
      `/hooks/whatsapp/${number.json.id}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
    expect((await call('GET', handshake('wrong-verify-token'))).status).toBe(403);
    expect((await call('GET', handshake(SECRETS.whatsappVerifyToken))).status).toBe(200);

    // Good inbound messages open a conversation on each channel.
    const telegramIn = await call('POST', `/hooks/telegram/${bot.json.id}`, {
      body: telegramUpdate('Здравствуйте, сколько стоит дом?', chatId),
      headers: { 'x-telegram-bot-api-secret-token': SECRETS.telegramWebhookSecret },
    });
    expect(telegramIn.status).toBe(200);
    const otherChatId = randomInt(10 ** 8, 10 ** 9);
    const otherIn = await call('POST', `/hooks/telegram/${bot.json.id}`, {
      body: telegramUpdate('А рассрочка есть?', otherChatId),
      headers: { 'x-telegram-bot-api-secret-token': SECRETS.telegramWebhookSecret },
    });
    expect(otherIn.status).toBe(200);
    const signed = signedWebhook(
      SECRETS.whatsappAppSecret,
      messagePayload(
        phoneNumberId,
        { waId: '79990001122', name: 'Олег' },
        whatsappMessage.text('Привет'),
        randomWamid(),
      ),
    );
    const whatsappIn = await call('POST', `/hooks/whatsapp/${number.json.id}`, {
      body: signed.rawBody,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': String(signed.headers['x-hub-signature-256']),
      },
    });
    expect(whatsappIn.status).toBe(200);

    // Replies the providers refuse: a bot the person blocked, an access token Meta no longer takes.
    const conversations = await call('GET', '/api/v1/conversations?limit=50');
    const conversationsOn = (channel: string) =>
      (conversations.json.items as { id: string; channel: string }[])
        .filter((item) => item.channel === channel)
        .map((item) => item.id);
    const conversationOn = (channel: string) => conversationsOn(channel)[0]!;
    telegram.failNextWithBlocked();
    whatsapp.failNextWith(190, 401, { details: 'Error validating access token' });
    const replies = [
      { conversation: conversationOn('telegram'), reply: await send(conversationOn('telegram')) },
      { conversation: conversationOn('whatsapp'), reply: await send(conversationOn('whatsapp')) },
    ];
    for (const { conversation, reply } of replies) {
      await expect
        .poll(
          async () => {
            const page = await call('GET', `/api/v1/conversations/${conversation}/messages?limit=50`);
            return (page.json.items as { id: string; status: string }[]).find((item) => item.id === reply)?.status;
          },
          { timeout: 15_000, interval: 200 },
        )
        .toBe('failed');
    }

    // Telegram out of reach: the network error of a call to /bot<token>/sendMessage is logged.
    await telegram.close();
    const unreachable = await send(conversationsOn('telegram')[1]!);
    await expect
      .poll(() => lines.some((line) => line.includes('job failed') && line.includes('"queue"')), { timeout: 20_000 })
      .toBe(true);
    expect(unreachable).toBeTruthy();

    // Credentials sent where they are wrong or not needed.
    expect(
      (await call('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${SECRETS.guessedApiToken}` } }))
        .status,
    ).toBe(401);
    expect(
      (await call('GET', '/metrics', { headers: { authorization: `Bearer ${SECRETS.metricsToken}` } })).status,
    ).toBe(200);
    expect((await call('GET', `/metrics?token=${SECRETS.metricsToken}`)).status).toBe(401);

    // The mailbox's sync meets a closed port and says so in the log.
    await expect.poll(() => lines.some((line) => line.includes('e-mail sync error')), { timeout: 15_000 }).toBe(true);

    await app.close();
    closed = true;
    const log = lines.join('');
    // The capture is real: the lines of what was done above are there.
    expect(log).toContain('hub.verify_token=');
    expect(lines.length).toBeGreaterThan(20);

    const secrets: [string, string][] = [...Object.entries(SECRETS), ['sessionId', sessionId]];
    for (const [name, secret] of secrets) {
      for (const variant of new Set([secret, encodeURIComponent(secret)])) {
        const inLog = lines.filter((line) => line.includes(variant));
        expect(inLog, `${name} in the log`).toEqual([]);
        const inAnswers = answers.filter((answer) => answer.text.includes(variant)).map((answer) => answer.what);
        expect(inAnswers, `${name} in an API answer`).toEqual([]);
      }
    }
    // Redacted, not dropped: the log still says what was called.
    expect(log).toContain('hub.verify_token=[redacted]');
  }, 90_000);

  async function send(conversationId: string): Promise<string> {
    const reply = await call('POST', `/api/v1/conversations/${conversationId}/messages`, {
      body: { text: 'Добрый день! Пришлём смету сегодня.' },
    });
    expect(reply.status, JSON.stringify(reply.json)).toBe(202);
    return reply.json.id;
  }
});

describe('configuration errors', () => {
  it('should name a wrong secret variable without repeating its value, and hide passwords in URLs', () => {
    const badKey = `${randomBytes(20).toString('base64')}`;
    const badToken = 'short-token';
    let message = '';
    try {
      loadConfig({
        CHANNEL_SECRETS_KEY: badKey,
        METRICS_TOKEN: badToken,
        MONGODB_URI: 'mongodb://app:hunter2-secret@db.example:27017/app?authSource=admin&x=',
        PORT: 'eighty',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('CHANNEL_SECRETS_KEY (value hidden): must be 32 random bytes');
    expect(message).toContain('METRICS_TOKEN (value hidden)');
    expect(message).toContain("PORT = 'eighty'");
    expect(message).not.toContain(badKey);
    expect(message).not.toContain(badToken);
    expect(message).not.toContain('hunter2-secret');
  });
});
