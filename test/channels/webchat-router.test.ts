import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedUploadSchema } from '../../bot/webchat/stored-upload.js';
import { createWebchatRouter } from '../../bot/webchat/webchat-router.js';
import type { WebchatAccount } from '../../bot/webchat/visitor-backend.js';
import { serveApp, type ServedApp } from '../e2e/harness.js';
import { createMemoryVisitorBackend, type MemoryVisitorBackend } from './fixtures/webchat-memory-backend.js';

const SITE = 'https://shop.example';
const VISITOR = 'v_cm91dGVyX3Zpc2l0b3JfMQ';
const IMAGE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

describe('webchat router', () => {
  const widgetDir = mkdtempSync(join(tmpdir(), 'widget-router-'));
  let backend: MemoryVisitorBackend;
  let account: WebchatAccount;
  let served: ServedApp;
  let demoChannel: string | undefined;

  beforeAll(async () => {
    writeFileSync(join(widgetDir, 'widget.js'), '(()=>{})();');
    backend = createMemoryVisitorBackend({ demoChannelId: () => demoChannel });
    account = backend.addAccount({ allowedOrigins: [SITE] });
    const app = express();
    app.use(createWebchatRouter(backend, { widgetDir }));
    served = await serveApp(app);
  });

  afterAll(async () => {
    await served?.close();
    rmSync(widgetDir, { recursive: true, force: true });
  });

  function upload(options: {
    origin?: string;
    channelId?: string;
    visitorId?: string;
    type?: string;
    name?: string;
    body?: Buffer;
  }) {
    const {
      origin = SITE,
      channelId = account.id,
      visitorId = VISITOR,
      type = 'image/png',
      name = encodeURIComponent('план участка.png'),
    } = options;
    return fetch(`${served.url}/hooks/webchat/${channelId}/files?visitorId=${visitorId}`, {
      method: 'POST',
      headers: { ...(origin ? { origin } : {}), 'content-type': type, ...(name ? { 'x-file-name': name } : {}) },
      body: options.body ?? IMAGE,
    });
  }

  it('should serve the widget to any site, cached briefly', async () => {
    const response = await fetch(`${served.url}/widget.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await response.text()).toBe('(()=>{})();');
  });

  it('should embed the widget in the demo page with one tag', async () => {
    const page = await (await fetch(`${served.url}/demo?channel=${account.id}`)).text();
    expect(page).toContain(`<script src="/widget.js" data-channel="${account.id}" async></script>`);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('<html lang="ru">');
    expect(page).toContain('Дома из клееного бруса под ключ');
    const english = await (await fetch(`${served.url}/demo?channel=${account.id}&lang=en`)).text();
    expect(english).toContain('<html lang="en">');
  });

  it('should take the demo channel from the backend when the page does not name one', async () => {
    demoChannel = undefined;
    expect((await fetch(`${served.url}/demo`)).status).toBe(404);
    demoChannel = account.id;
    expect(await (await fetch(`${served.url}/demo`)).text()).toContain(`data-channel="${account.id}"`);
    const injected = await (
      await fetch(`${served.url}/demo?channel=${encodeURIComponent('"><script>alert(1)</script>')}`)
    ).text();
    expect(injected).not.toContain('<script>alert(1)');
  });

  it('should answer the upload preflight for an allowed site only', async () => {
    const preflight = (origin: string) =>
      fetch(`${served.url}/hooks/webchat/${account.id}/files?visitorId=${VISITOR}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-file-name',
        },
      });
    const allowed = await preflight(SITE);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type, x-file-name');
    const refused = await preflight('https://elsewhere.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('should keep an uploaded file and answer what the widget sends on', async () => {
    const response = await upload({});
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    const stored = storedUploadSchema.parse(await response.json());
    expect(stored).toMatchObject({
      kind: 'image',
      mimeType: 'image/png',
      fileName: 'план участка.png',
      size: IMAGE.length,
    });
    expect(backend.uploads.get(stored.fileId)?.bytes).toEqual(IMAGE);
  });

  it('should refuse bad uploads with a status and a coded error', async () => {
    const cases: [Parameters<typeof upload>[0], number, string][] = [
      [{ channelId: 'site-unknown' }, 404, 'unknown_channel'],
      [{ origin: '' }, 401, 'origin_required'],
      [{ origin: 'https://elsewhere.example' }, 403, 'origin_not_allowed'],
      [{ visitorId: 'nobody' }, 400, 'bad_visitor_id'],
      [{ name: '' }, 400, 'file_name_required'],
      [{ name: '%E0%A4%A' }, 400, 'bad_file_name'],
      [{ body: Buffer.alloc(0) }, 400, 'empty_file'],
      [{ type: 'application/x-msdownload' }, 415, 'unsupported_file_type'],
      [{ body: Buffer.alloc(1024 * 1024 + 1) }, 413, 'file_too_large'],
      [{ body: Buffer.alloc(21 * 1024 * 1024) }, 413, 'file_too_large'],
    ];
    for (const [options, status, code] of cases) {
      const response = await upload(options);
      const body: unknown = await response.json();
      expect({ status: response.status, body }, JSON.stringify(options).slice(0, 80)).toMatchObject({
        status,
        body: { error: { code, message: expect.any(String) } },
      });
    }
    expect(backend.uploads.size).toBe(1);
  });
});
