import { createServer, type Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiRouter } from '../../server/api/create-api-router.js';
import type { ApiServices } from '../../server/api/api-services.js';
import { defineRoute, type AnyRoute, type AuthUser } from '../../server/api/define-route.js';
import type { Role } from '../../server/auth/permissions.js';

/** The router's own behaviour, on routes made for this test; who is signed in comes from a header. */
describe('createApiRouter', () => {
  const written: unknown[] = [];
  const routes: AnyRoute[] = [
    defineRoute({
      method: 'post',
      path: '/things',
      summary: 'create a thing',
      tag: 'test',
      access: 'contacts.write',
      status: 201,
      body: z.strictObject({ name: z.string().min(1).max(50), size: z.number().int().optional() }),
      handler: async ({ body }) => {
        written.push(body);
        return { ok: true, body };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/open',
      summary: 'public',
      tag: 'test',
      access: 'public',
      handler: async () => ({ hi: 1 }),
    }),
    defineRoute({
      method: 'get',
      path: '/boom',
      summary: 'fails',
      tag: 'test',
      access: 'authenticated',
      handler: async () => {
        throw new Error('secret internal detail');
      },
    }),
  ];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    const authenticate = async (req: express.Request): Promise<AuthUser | undefined> => {
      const role = req.get('x-test-role') as Role | undefined;
      return role ? { id: 'u1', name: 'Test', email: 't@example.com', role, teamIds: [] } : undefined;
    };
    const services = { logger: pino({ level: 'silent' }) } as unknown as ApiServices;
    app.use('/api/v1', createApiRouter(routes, authenticate, services));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: string, role?: Role) =>
    fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(role ? { 'x-test-role': role } : {}) },
      body,
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { error?: { code: string; message: string; details?: unknown } },
    }));

  it('should create with a valid body and the right role', async () => {
    const response = await post(JSON.stringify({ name: 'Окно', size: 2 }), 'operator');
    expect(response.status).toBe(201);
  });

  it('should answer 401 to anonymous and 403 to a role without the permission, writing nothing', async () => {
    const before = written.length;
    expect((await post(JSON.stringify({ name: 'x' }))).status).toBe(401);
    const refused = await post(JSON.stringify({ name: 'x' }), 'marketer');
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('forbidden');
    expect(written.length).toBe(before);
  });

  it('should reject unknown fields, wrong types and $-keys with a 400 naming the field', async () => {
    const unknown = await post(JSON.stringify({ name: 'x', color: 'red' }), 'admin');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.error?.details)).toContain('color');
    const wrongType = await post(JSON.stringify({ name: 5 }), 'admin');
    expect(wrongType.status).toBe(400);
    expect(JSON.stringify(wrongType.body.error?.details)).toContain('name');
    const operator = await post(JSON.stringify({ name: { $gt: '' } }), 'admin');
    expect(operator.status).toBe(400);
    expect(operator.body.error?.message).toContain('name/$gt');
  });

  it("should word zod's messages in the language the request accepts, English by default", async () => {
    const details = async (language?: string) => {
      const response = await fetch(`${base}/things`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-test-role': 'admin',
          ...(language ? { 'accept-language': language } : {}),
        },
        body: JSON.stringify({ name: '', size: 'два', color: 'red' }),
      });
      const body = (await response.json()) as {
        error: { message: string; details: { path: string; message: string }[] };
      };
      return { message: body.error.message, details: body.error.details };
    };
    const russian = {
      message: 'В запросе есть неверные или неизвестные поля',
      details: [
        { in: 'body', path: 'name', message: 'Не может быть пустым' },
        { in: 'body', path: 'size', message: 'Ожидается число, а получено: текст' },
        { in: 'body', path: '', message: 'Неизвестный ключ: "color"' },
      ],
    };
    expect(await details('ru')).toEqual(russian);
    expect(await details('ru-RU,ru;q=0.9,en-US;q=0.8')).toEqual(russian);
    const english = {
      message: 'The request has invalid or unknown fields',
      details: [
        { in: 'body', path: 'name', message: 'Too small: expected string to have >=1 characters' },
        { in: 'body', path: 'size', message: 'Invalid input: expected number, received string' },
        { in: 'body', path: '', message: 'Unrecognized key: "color"' },
      ],
    };
    expect(await details('en')).toEqual(english);
    expect(await details('de-DE')).toEqual(english);
    expect(await details()).toEqual(english);
  });

  it('should refuse malformed JSON and oversized bodies with 400 and 413', async () => {
    expect((await post('{"name": ', 'admin')).status).toBe(400);
    const big = await post(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), 'admin');
    expect(big.status).toBe(413);
    expect(big.body.error?.code).toBe('payload_too_large');
  });

  it('should hide internal errors behind a 500 with a generic message', async () => {
    const response = await fetch(`${base}/boom`, { headers: { 'x-test-role': 'admin' } });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).not.toContain('secret');
  });

  it('should serve public routes without a session', async () => {
    expect((await fetch(`${base}/open`)).status).toBe(200);
  });
});
