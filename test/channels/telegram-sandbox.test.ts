import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { randomSandboxToken } from '../../bot/telegram/sandbox/sandbox-bot.js';
import { TelegramSandbox } from '../../bot/telegram/sandbox/telegram-sandbox.js';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * The parts of the sandbox (bot/telegram/sandbox/) only the demo uses: flood control and webhook
 * delivery. The Bot API methods themselves are covered through the test stand-in
 * (telegram-bot-api.test.ts), which is the same sandbox.
 */
describe('TelegramSandbox', () => {
  const servers: Server[] = [];
  const sandboxes: TelegramSandbox[] = [];

  afterEach(async () => {
    for (const sandbox of sandboxes.splice(0)) sandbox.close();
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function serve(sandbox: TelegramSandbox): Promise<string> {
    sandboxes.push(sandbox);
    const server = createServer((req, res) => void sandbox.handle(req, res, req.url ?? '/'));
    servers.push(server);
    return listen(server);
  }

  it('should answer 429 with retry_after past its sends per second, as Telegram does', async () => {
    const sandbox = new TelegramSandbox({ sendsPerSecond: 2 });
    const token = randomSandboxToken();
    sandbox.addBot({ token });
    const root = await serve(sandbox);
    const send = (text: string) =>
      fetch(`${root}/bot${token}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: 42, text }),
      });
    expect((await send('one')).status).toBe(200);
    expect((await send('two')).status).toBe(200);
    const third = await send('three');
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
  });

  it('should post updates to the webhook with the secret token, in order, until it answers 2xx', async () => {
    const received: { secret: string | undefined; body: { update_id: number; message?: { text: string } } }[] = [];
    let refuse = 1;
    const hook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
        res.statusCode = refuse-- > 0 ? 500 : 200;
        res.end();
      });
    });
    servers.push(hook);
    const hookUrl = await listen(hook);
    const sandbox = new TelegramSandbox({ deliverToWebhook: true });
    const token = randomSandboxToken();
    const bot = sandbox.addBot({ token });
    const root = await serve(sandbox);
    const set = await fetch(`${root}/bot${token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${hookUrl}/hooks/telegram/1`, secret_token: 'demo-secret_1' }),
    });
    expect(await set.json()).toEqual({ ok: true, result: true });
    const user = { id: 777, first_name: 'Анна' };
    bot.userWrites(user, 'первое');
    bot.userWrites(user, 'второе');
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(3);
    // The first answer was a 500: the same update again, then the next.
    expect(received.map((delivery) => delivery.body.message?.text)).toEqual(['первое', 'первое', 'второе']);
    expect(received.every((delivery) => delivery.secret === 'demo-secret_1')).toBe(true);
    expect(received[0]!.body.update_id).toBeLessThan(received[2]!.body.update_id);
    // The hook has the last update before the sandbox has its 200: it is dropped a moment later.
    await expect.poll(() => bot.pendingUpdates(), { timeout: 5_000 }).toBe(0);
    const badHook = await fetch(`${root}/bot${token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'ftp://example.org/hook' }),
    });
    expect(badHook.status).toBe(400);
  });
});
