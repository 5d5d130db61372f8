import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';

/** Bytes that sniff as PNG: the signature and an IHDR chunk are enough for file-type. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);

/** The headers every answer carries, whatever its kind (helmet's, with the values chosen in server/http). */
const EVERYWHERE = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()',
};

const INBOX_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join(';');

const API_POLICY =
  "default-src 'none';style-src 'unsafe-inline';img-src 'self' data:;base-uri 'none';form-action 'none';frame-ancestors 'none'";

const FILE_POLICY = [
  "default-src 'none'",
  "img-src 'self' data:",
  "media-src 'self'",
  "style-src 'unsafe-inline'",
  "object-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join(';');

const SCRIPT_POLICY = "default-src 'none';frame-ancestors 'none'";

function demoPolicy(widgetOrigin: string): string {
  const socket = widgetOrigin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    `script-src 'self' ${widgetOrigin}`,
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: ${widgetOrigin}`,
    `media-src 'self' ${widgetOrigin}`,
    `connect-src 'self' ${widgetOrigin} ${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join(';');
}

interface Expected {
  status: number;
  policy: string;
  resourcePolicy: 'same-origin' | 'cross-origin';
  frameOptions: 'DENY' | 'SAMEORIGIN';
}

describe('security headers', () => {
  const inboxDir = mkdtempSync(join(tmpdir(), 'headers-inbox-'));
  const widgetDir = mkdtempSync(join(tmpdir(), 'headers-widget-'));
  let api: TestApi;
  let admin: ApiClient;
  let fileId: string;

  beforeAll(async () => {
    writeFileSync(join(inboxDir, 'index.html'), '<!doctype html><title>inbox</title>');
    writeFileSync(join(widgetDir, 'widget.js'), 'void 0;\n');
    api = await startTestApi({ inboxDir, widgetDir });
    admin = await api.as('admin');
    const uploaded = await fetch(`${api.baseUrl}/api/v1/files`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie ?? '',
        'x-csrf-token': admin.csrfToken ?? '',
        'content-type': 'image/png',
        'x-file-name': 'pixel.png',
      },
      body: PNG,
    });
    expect(uploaded.status).toBe(201);
    fileId = ((await uploaded.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await api?.close();
    rmSync(inboxDir, { recursive: true, force: true });
    rmSync(widgetDir, { recursive: true, force: true });
  });

  async function expectHeaders(path: string, expected: Expected, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${api.baseUrl}${path}`, init);
    expect(response.status, path).toBe(expected.status);
    const headers = Object.fromEntries(response.headers);
    expect(headers, path).toMatchObject({
      ...EVERYWHERE,
      'content-security-policy': expected.policy,
      'cross-origin-resource-policy': expected.resourcePolicy,
      'x-frame-options': expected.frameOptions,
    });
    expect(headers['x-powered-by'], path).toBeUndefined();
    return response;
  }

  const inbox = (status = 200): Expected => ({
    status,
    policy: INBOX_POLICY,
    resourcePolicy: 'same-origin',
    frameOptions: 'DENY',
  });
  const apiAnswer = (status: number): Expected => ({
    status,
    policy: API_POLICY,
    resourcePolicy: 'same-origin',
    frameOptions: 'DENY',
  });

  it('should put the inbox policy on the inbox page, its client-side routes and health checks', async () => {
    const page = await expectHeaders('/', inbox());
    expect(await page.text()).toContain('<title>inbox</title>');
    await expectHeaders('/contacts/123', inbox());
    await expectHeaders('/healthz', inbox());
  });

  it('should put the API policy on JSON answers, signed in or not, and on API errors', async () => {
    await expectHeaders('/api/v1/auth/session', apiAnswer(200));
    await expectHeaders('/api/v1/auth/me', apiAnswer(200), {
      headers: { cookie: admin.cookie ?? '' },
    });
    await expectHeaders('/api/v1/auth/me', apiAnswer(401));
    await expectHeaders('/api/v1/no-such-endpoint', apiAnswer(404));
    await expectHeaders('/api/v1/auth/login', apiAnswer(400), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    await expectHeaders('/api/docs', apiAnswer(200));
  });

  it('should keep its headers on errors outside the API: a refused webhook, a bad file link', async () => {
    const webhook = await fetch(`${api.baseUrl}/hooks/telegram/000000000000000000000000`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(webhook.status).toBeGreaterThanOrEqual(400);
    expect(webhook.headers.get('content-security-policy')).toBe(INBOX_POLICY);
    expect(webhook.headers.get('x-content-type-options')).toBe('nosniff');
    // The unsubscribe page keeps its own, stricter policy (server/consent/unsubscribe-router.ts).
    const unsubscribe = await fetch(`${api.baseUrl}/u/not-a-token`);
    expect(unsubscribe.status).toBe(400);
    expect(unsubscribe.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(unsubscribe.headers.get('x-frame-options')).toBe('DENY');
    await expectHeaders(`/files/${fileId}/9999999999/forged`, {
      status: 404,
      policy: FILE_POLICY,
      resourcePolicy: 'cross-origin',
      frameOptions: 'SAMEORIGIN',
    });
  });

  it('should let any site load widget.js and a web form’s embed.js, and no one frame them as a page', async () => {
    const script = await expectHeaders('/widget.js', {
      status: 200,
      policy: SCRIPT_POLICY,
      resourcePolicy: 'cross-origin',
      frameOptions: 'DENY',
    });
    expect(script.headers.get('access-control-allow-origin')).toBe('*');
    // A web form's script is an API route that says so itself (server/forms/form-routes.ts).
    const form = await fetch(`${api.baseUrl}/api/v1/forms/000000000000000000000000/embed.js`);
    expect(form.status).toBe(404);
    expect(form.headers.get('content-type')).toMatch(/javascript/);
    expect(form.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(form.headers.get('content-security-policy')).toBe(API_POLICY);
  });

  it('should let the demo page load the widget, its socket and its files from PUBLIC_URL', async () => {
    const channel = await admin.post('/channels', { type: 'webchat', name: 'Сайт', allowedOrigins: [api.baseUrl] });
    expect(channel.status).toBe(201);
    const publicOrigin = new URL(api.app.config.publicUrl).origin;
    const demo = await expectHeaders(`/demo?channel=${channel.body.id}`, {
      status: 200,
      policy: demoPolicy(publicOrigin),
      resourcePolicy: 'same-origin',
      frameOptions: 'DENY',
    });
    expect(await demo.text()).toContain(`src="${publicOrigin}/widget.js"`);
  });

  it('should serve signed file links to other sites and the inbox’s file URLs to the inbox only', async () => {
    const signed = await expectHeaders(api.app.services.fileLinks.path(fileId), {
      status: 200,
      policy: FILE_POLICY,
      resourcePolicy: 'cross-origin',
      frameOptions: 'SAMEORIGIN',
    });
    expect(signed.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await signed.arrayBuffer()).equals(PNG)).toBe(true);
    const own = await expectHeaders(
      `/api/v1/files/${fileId}`,
      { status: 200, policy: FILE_POLICY, resourcePolicy: 'same-origin', frameOptions: 'SAMEORIGIN' },
      { headers: { cookie: admin.cookie ?? '' } },
    );
    expect(own.headers.get('content-type')).toBe('image/png');
    await expectHeaders(`/api/v1/files/${fileId}`, {
      status: 401,
      policy: FILE_POLICY,
      resourcePolicy: 'same-origin',
      frameOptions: 'SAMEORIGIN',
    });
  });

  it('should add upgrade-insecure-requests only where PUBLIC_URL is https', async () => {
    const { securityHeaders } = await import('../../server/http/security-headers.js');
    const policyOf = (publicUrl: string, path: string) => {
      const headers = new Map<string, string>();
      const res = {
        setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
        removeHeader: () => undefined,
      };
      securityHeaders({ publicUrl })({ path } as never, res as never, () => undefined);
      return headers.get('content-security-policy') ?? '';
    };
    expect(policyOf('https://inbox.example.ru', '/')).toBe(`${INBOX_POLICY};upgrade-insecure-requests`);
    expect(policyOf('http://localhost:3000', '/')).toBe(INBOX_POLICY);
    expect(policyOf('https://inbox.example.ru', '/demo')).toBe(demoPolicy('https://inbox.example.ru'));
  });
});
