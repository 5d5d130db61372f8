import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../api/api-harness.js';
import { startFrontDoorApp, type FrontDoorApp } from '../bot/front-door-fixture.js';
import { waitUntil } from '../wait-until.js';

const SITE = 'https://okna-site.example';

/**
 * A flow started by a site form (`form.submitted`, by the form's name), on the whole app: the
 * form's submission, the lead it makes, the flow worker. The simulator showed such flows starting;
 * live, no form ever started one.
 */
describe('form.submitted trigger', () => {
  let app: FrontDoorApp;
  let admin: ApiClient;

  beforeAll(async () => {
    app = await startFrontDoorApp();
    admin = await app.api.as('admin');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it("should start a flow when its form is sent, and not for another form", async () => {
    const suffix = randomBytes(3).toString('hex');
    const formName = `Замер ${suffix}`;
    const flowId = `measurement-form-${suffix}`;
    const yaml = `id: ${flowId}
name: { ru: Заявка на замер, en: Measurement request }
version: 1
triggers:
  - { type: form.submitted, form: ${formName} }
steps:
  - { id: mark, type: addTag, tags: [form-${suffix}] }
`;
    const uploaded = await admin.put(`/flows/${flowId}`, { yaml });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    const pipelines = (await admin.get('/pipelines')).body.items as { id: string; kind: string }[];
    const fields = [
      { key: 'name', label: { ru: 'Имя', en: 'Name' }, type: 'text', required: true, mapTo: { type: 'contact-name' } },
      { key: 'phone', label: { ru: 'Телефон', en: 'Phone' }, type: 'phone', mapTo: { type: 'contact-phone' } },
    ];
    const forms: string[] = [];
    for (const name of [formName, `Другая форма ${suffix}`]) {
      const created = await admin.post('/forms', {
        name,
        fields,
        pipelineId: pipelines[0]!.id,
        thankYou: { ru: 'Спасибо!', en: 'Thank you!' },
        allowedOrigins: [SITE],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      forms.push(created.body.id);
    }
    const phones: string[] = [];
    for (const formId of forms) {
      const phone = `+7916${randomInt(1_000_000, 9_999_999)}`;
      phones.push(phone);
      const sent = await fetch(`${app.api.baseUrl}/api/v1/forms/${formId}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', origin: SITE },
        body: JSON.stringify({ name: 'Ирина', phone }),
      });
      expect(sent.status, await sent.text()).toBeLessThan(300);
    }
    const contactOf = async (phone: string) =>
      (await admin.get(`/contacts?q=${encodeURIComponent(phone)}`)).body.items[0] as
        { id: string; tags: string[] } | undefined;
    const tagged = await waitUntil('the form flow tags the contact', async () => {
      const contact = await contactOf(phones[0]!);
      return contact?.tags.includes(`form-${suffix}`) ? contact : undefined;
    });
    const runs = (await admin.get(`/contacts/${tagged.id}/flow-runs`)).body.items as { flowId: string }[];
    expect(runs.filter((run) => run.flowId === flowId)).toHaveLength(1);
    // The other form's lead is a lead like any other, and no submission of this form.
    const other = await waitUntil('the other form makes its contact', () => contactOf(phones[1]!));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await contactOf(phones[1]!))?.tags ?? other.tags).not.toContain(`form-${suffix}`);
  });
});
