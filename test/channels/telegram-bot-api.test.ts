import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';

let standIn: TelegramBotApiStandIn;

beforeEach(async () => {
  standIn = await startTelegramBotApi();
});

afterEach(async () => {
  await standIn.close();
});

async function call(
  method: string,
  init: RequestInit = {},
  token = standIn.token,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${standIn.apiRoot}/bot${token}/${method}`, { method: 'POST', ...init });
  return { status: response.status, body: await response.json() };
}

function json(body: unknown): RequestInit {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

describe('telegram bot api stand-in', () => {
  it('should answer 401 Unauthorized to a wrong token and 404 to an unknown method', async () => {
    expect(await call('getMe', {}, '1:wrong')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect((await call('noSuchMethod')).status).toBe(404);
    expect(await call('getMe')).toMatchObject({ status: 200, body: { ok: true, result: { is_bot: true } } });
  });

  it('should take parameters as JSON, urlencoded, query string and standard multipart', async () => {
    await call('sendMessage', json({ chat_id: 5, text: 'json' }));
    await call('sendMessage', { body: new URLSearchParams({ chat_id: '5', text: 'form' }) });
    await fetch(`${standIn.apiRoot}/bot${standIn.token}/sendMessage?chat_id=5&text=query`);
    const form = new FormData();
    form.set('chat_id', '5');
    form.set('caption', 'multipart');
    form.set('document', new Blob([Buffer.from('%PDF-1.7')]), 'offer.pdf');
    const answer = await call('sendDocument', { body: form });
    expect(answer.body).toMatchObject({ ok: true, result: { message_id: 4, document: { file_name: 'offer.pdf' } } });
    expect(standIn.sent()).toMatchObject([
      { text: 'json', messageId: 1 },
      { text: 'form', messageId: 2 },
      { text: 'query', messageId: 3 },
      { mediaKind: 'document', caption: 'multipart', fileName: 'offer.pdf', fileBytes: 8, messageId: 4 },
    ]);
  });

  it('should answer Bad Request the way Telegram words it', async () => {
    expect((await call('sendMessage', json({ chat_id: 5, text: '' }))).body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message text is empty',
    });
    expect((await call('sendMessage', json({ chat_id: '@nobody', text: 'Hi' }))).body).toMatchObject({
      description: 'Bad Request: chat not found',
    });
  });

  it('should fail the next send like Telegram flood control does', async () => {
    standIn.failNextWithRateLimit(7);
    expect(await call('sendMessage', json({ chat_id: 5, text: 'Hi' }))).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
    });
    expect((await call('sendMessage', json({ chat_id: 5, text: 'Hi' }))).status).toBe(200);
    expect(standIn.sent()).toHaveLength(1);
    expect(standIn.sentAt()).toHaveLength(1);
  });

  it('should hold a long poll until an update arrives and forget updates below the offset', async () => {
    const polling = call('getUpdates', json({ timeout: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const id = standIn.pushUpdate({
      message: { message_id: 1, date: 1, chat: { id: 5, type: 'private' }, text: 'hi' },
    });
    expect((await polling).body).toMatchObject({ ok: true, result: [{ update_id: id }] });
    expect(standIn.pendingUpdates()).toBe(1);
    expect((await call('getUpdates', json({ offset: id + 1 }))).body).toEqual({ ok: true, result: [] });
    expect(standIn.pendingUpdates()).toBe(0);
  });

  it('should end an older long poll with 409 when a newer one starts, and refuse polling while a webhook is set', async () => {
    const older = call('getUpdates', json({ timeout: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const newer = call('getUpdates', json({ timeout: 0 }));
    expect((await older).status).toBe(409);
    expect((await newer).body).toEqual({ ok: true, result: [] });
    await call('setWebhook', json({ url: 'https://example.com/hook', secret_token: 'abc' }));
    expect((await call('getUpdates')).status).toBe(409);
  });

  it('should serve a registered file under /file/bot<token>/<file_path>', async () => {
    standIn.addFile('file-1', 'hello', 'text/plain');
    const { body } = await call('getFile', json({ file_id: 'file-1' }));
    const path = z.object({ result: z.object({ file_path: z.string() }) }).parse(body).result.file_path;
    const response = await fetch(`${standIn.apiRoot}/file/bot${standIn.token}/${path}`);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('hello');
    expect((await fetch(`${standIn.apiRoot}/file/bot${standIn.token}/nothing/here`)).status).toBe(404);
  });

  it('should hold a send until released and not record it when the client disconnected first', async () => {
    const dropped = standIn.holdNextSend();
    const aborted = new AbortController();
    const lost = call('sendMessage', { ...json({ chat_id: 5, text: 'lost' }), signal: aborted.signal }).catch(
      () => 'aborted',
    );
    await dropped.arrived;
    aborted.abort();
    expect(await lost).toBe('aborted');
    await dropped.abandoned;
    dropped.release();

    const held = standIn.holdNextSend();
    const kept = call('sendMessage', json({ chat_id: 5, text: 'kept' }));
    await held.arrived;
    expect(standIn.sent()).toEqual([]);
    held.release();
    expect((await kept).status).toBe(200);
    expect(standIn.sent()).toMatchObject([{ text: 'kept' }]);
  });

  it('should let close() end connections a client keeps alive', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${standIn.apiRoot}/bot${standIn.token}/getUpdates?timeout=30`, { agent: false }, () =>
        resolve(),
      );
      req.on('error', reject);
      req.end();
      setTimeout(resolve, 50);
    });
    const started = Date.now();
    await standIn.close();
    expect(Date.now() - started).toBeLessThan(1000);
    standIn = await startTelegramBotApi();
  });
});
