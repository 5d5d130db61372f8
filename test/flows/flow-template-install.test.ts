import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModels } from '../../server/audit/audit-models.js';
import { customFieldModels } from '../../server/custom-fields/custom-field-models.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';

/** Setting up a workspace that is not the demo from a shipped template, through the API. */
describe('flow template install', () => {
  let api: TestApi;
  let admin: ApiClient;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    admin = await api.as('admin');
    manager = await api.as('manager');
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('should list the shipped templates to admins only', async () => {
    const list = await admin.get('/flows/templates');
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { name: string }) => item.name)).toEqual(['ecostroy', 'realty', 'windows']);
    const realty = list.body.items.find((item: { name: string }) => item.name === 'realty');
    expect(realty).toMatchObject({ installed: false, title: { ru: expect.any(String) } });
    expect(realty.flows.length).toBeGreaterThan(3);
    expect((await manager.get('/flows/templates')).status).toBe(403);
    expect((await manager.post('/flows/templates/realty/install')).status).toBe(403);
    expect((await admin.post('/flows/templates/nope/install')).status).toBe(404);
  });

  it('should set up pipelines, fields, teams and flows once, audited, and change nothing when repeated', async () => {
    const first = await admin.post('/flows/templates/realty/install');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.created.pipelines.length).toBeGreaterThan(0);
    expect(first.body.created.flows.length).toBeGreaterThan(3);
    expect(first.body.keptFlows).toEqual([]);
    const pipelines = (await manager.get('/pipelines')).body.items as { systemKey?: string; lostReasons: string[] }[];
    for (const key of first.body.created.pipelines)
      expect(pipelines.some((pipeline) => pipeline.systemKey === key)).toBe(true);
    const fields = await customFieldModels(api.db).CustomField.countDocuments({});
    expect(fields).toBe(first.body.created.fields.length);

    const again = await admin.post('/flows/templates/realty/install');
    expect(again.status).toBe(200);
    expect(again.body.created).toEqual({
      pipelines: [],
      stages: [],
      lostReasons: [],
      fields: [],
      teams: [],
      flows: [],
    });
    expect([...again.body.keptFlows].sort()).toEqual([...first.body.created.flows].sort());

    const flows = await manager.get('/flows');
    expect(flows.status).toBe(200);
    expect(flows.body.template).toBe('realty');
    expect(flows.body.templateTitle).toEqual({ ru: 'Агентство недвижимости', en: 'Real-estate agency' });
    expect(flows.body.items.map((item: { id: string }) => item.id).sort()).toEqual(
      [...first.body.created.flows].sort(),
    );
    expect(flows.body.items.every((item: { version: number }) => item.version === 1)).toBe(true);
    const listed = await admin.get('/flows/templates');
    expect(listed.body.items.find((item: { name: string }) => item.name === 'realty').installed).toBe(true);
    const audit = await auditModels(api.db).AuditLog.find({ action: 'flow.template.install' }).lean();
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ entity: 'flow-template', entityId: 'realty' });
    expect(String(audit[0]?.actorId)).toBe(api.users.admin.id);
  });

  it("should word a flow's problems in the uploader's language, with their line and column", async () => {
    expect((await admin.post('/flows/templates/realty/install')).status).toBe(200);
    const flowId = `checked-${randomBytes(3).toString('hex')}`;
    const upload = async (steps: string, language?: string) => {
      const response = await fetch(`${api.baseUrl}/api/v1/flows/${flowId}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          cookie: admin.cookie ?? '',
          'x-csrf-token': admin.csrfToken ?? '',
          ...(language ? { 'accept-language': language } : {}),
        },
        body: JSON.stringify({
          yaml: `id: ${flowId}\nname: { ru: Проверка }\nversion: 1\ntriggers: [{ type: manual }]\nsteps:\n${steps}`,
        }),
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as {
        error: { code: string; details: { issues: { line: number; column: number; message: string }[] } };
      };
      expect(error.code).toBe('invalid_flow');
      return error.details.issues.map(({ line, column, message }) => ({ line, column, message }));
    };
    const badDuration =
      '  - { id: greet, type: send, text: { ru: Привет } }\n  - { id: pause, type: wait, for: 3 days }\n';
    expect(await upload(badDuration, 'ru')).toEqual([
      { line: 7, column: 35, message: 'Укажите длительность, например 30m, 2h, 3d, 1w или 1d12h' },
    ]);
    expect(await upload(badDuration)).toEqual([
      { line: 7, column: 35, message: 'Use a duration such as 30m, 2h, 3d, 1w or 1d12h' },
    ]);
    const unknownStep = '  - { id: greet, type: send, text: { ru: Привет }, next: nowhere }\n';
    expect(await upload(unknownStep, 'ru')).toEqual([{ line: 6, column: 58, message: 'Неизвестный шаг "nowhere"' }]);
    expect(await upload(unknownStep, 'en')).toEqual([{ line: 6, column: 58, message: 'Unknown step "nowhere"' }]);
    expect((await manager.get('/flows')).body.items.some((item: { id: string }) => item.id === flowId)).toBe(false);
  });
});
