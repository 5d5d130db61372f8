import { randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../../server/auth/permissions.js';
import { FORM_SUBMISSIONS_PER_IP } from '../../server/forms/form-submission-limit.js';
import { inboundLeadModel } from '../../server/leads/inbound-lead-model.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import type { PipelineRecord } from '../../server/pipelines/pipeline-model.js';
import { startTestApi, type ApiClient, type ApiResponse, type TestApi } from './api-harness.js';
import { randomEmail, randomMobile, spelledOut } from './contacts-test-data.js';

const SITE = 'https://ecodom.example';

function randomIp(): string {
  const byte = () => 1 + Math.floor(Math.random() * 250);
  return `10.${byte()}.${byte()}.${byte()}`;
}

interface SubmitOptions {
  origin?: string | null;
  ip?: string;
  encoding?: 'json' | 'form';
  accept?: string;
  headers?: Record<string, string>;
}

describe('web forms', () => {
  let api: TestApi;
  let admin: ApiClient;
  let pipelines: Record<string, PipelineRecord>;
  const pipelineId = (key: string) => String(pipelines[key]!._id);

  beforeAll(async () => {
    api = await startTestApi();
    pipelines = await ensureDefaultPipelines(api.db);
    admin = await api.as('admin');
    await admin.post('/custom-fields', {
      entity: 'deal',
      key: 'house_area',
      label: { ru: 'Площадь дома', en: 'House area' },
      type: 'text',
    });
  });
  afterAll(() => api?.close());

  const definition = (overrides: Record<string, unknown> = {}) => ({
    name: `Заявка на проект ${randomBytes(3).toString('hex')}`,
    fields: [
      { key: 'name', label: { ru: 'Имя', en: 'Name' }, type: 'text', required: true, mapTo: { type: 'contact-name' } },
      { key: 'phone', label: { ru: 'Телефон', en: 'Phone' }, type: 'phone', mapTo: { type: 'contact-phone' } },
      { key: 'email', label: { ru: 'E-mail' }, type: 'email', mapTo: { type: 'contact-email' } },
      {
        key: 'house',
        label: { ru: 'Какой дом', en: 'Which house' },
        type: 'select',
        options: [
          { value: 'frame', label: { ru: 'Каркасный', en: 'Frame' } },
          { value: 'clt', label: { ru: 'CLT-панели', en: 'CLT panels' } },
        ],
      },
      { key: 'area', label: { ru: 'Площадь, м²' }, type: 'text', mapTo: { type: 'deal-custom', key: 'house_area' } },
      { key: 'budget', label: { ru: 'Бюджет, ₽' }, type: 'text', mapTo: { type: 'deal-amount' } },
      { key: 'comment', label: { ru: 'Комментарий', en: 'Comment' }, type: 'textarea' },
    ],
    pipelineId: pipelineId('leads'),
    thankYou: { ru: 'Спасибо! Архитектор позвонит вам сегодня.', en: 'Thank you! An architect will call you today.' },
    allowedOrigins: [`${SITE}/catalog`],
    ...overrides,
  });

  async function newForm(overrides: Record<string, unknown> = {}) {
    const created = await admin.post('/forms', definition(overrides));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  /** What a site's page sends: its Origin (unless null), an address of its own, JSON or an HTML form's encoding. */
  async function submit(
    formId: string,
    body: Record<string, string>,
    options: SubmitOptions = {},
  ): Promise<ApiResponse> {
    const origin = options.origin === undefined ? SITE : options.origin;
    const headers: Record<string, string> = {
      accept: options.accept ?? 'application/json',
      'x-forwarded-for': options.ip ?? randomIp(),
      'content-type': options.encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
      ...(origin ? { origin } : {}),
      ...options.headers,
    };
    const response = await fetch(`${api.baseUrl}/api/v1/forms/${formId}/submissions`, {
      method: 'POST',
      headers,
      body: options.encoding === 'form' ? new URLSearchParams(body).toString() : JSON.stringify(body),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json');
    return { status: response.status, body: isJson ? JSON.parse(text) : text, headers: response.headers };
  }

  async function contactsByPhone(national: string) {
    const found = await admin.get(`/contacts?q=${encodeURIComponent(`+7${national}`)}`);
    expect(found.status).toBe(200);
    return found.body.items;
  }

  async function dealsOf(contactId: string) {
    return (await admin.get(`/deals?contactId=${contactId}`)).body.items;
  }

  async function leadEntries(contactId: string) {
    const timeline = await admin.get(`/contacts/${contactId}/timeline`);
    expect(timeline.status).toBe(200);
    return timeline.body.items.filter((item: { kind: string }) => item.kind === 'lead');
  }

  it('should be an admin-only permission, forms.manage', async () => {
    expect(can('admin', 'forms.manage')).toBe(true);
    for (const role of ['manager', 'operator', 'marketer'] as const) expect(can(role, 'forms.manage')).toBe(false);
    const manager = await api.as('manager');
    const refused = await manager.post('/forms', definition());
    expect(refused.status).toBe(403);
    expect((await manager.get('/forms')).status).toBe(403);
  });

  it('should say what is wrong with a form definition', async () => {
    const problems = async (body: Record<string, unknown>) => {
      const response = await admin.post('/forms', body);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      return response.body.error.details.map((detail: { message: string }) => detail.message).join('\n');
    };
    const unreachable = definition({
      fields: [{ key: 'name', label: { ru: 'Имя' }, type: 'text', mapTo: { type: 'contact-name' } }],
    });
    expect(await problems(unreachable)).toMatch(/phone or e-mail/);
    const reserved = definition({ fields: [{ key: 'website', label: { ru: 'Сайт' }, type: 'text' }] });
    expect(await problems(reserved)).toMatch(/kept for what the page sends/);
    const badFields = definition({
      fields: [
        { key: 'phone', label: { ru: 'Телефон' }, type: 'text', mapTo: { type: 'contact-phone' } },
        { key: 'house', label: { ru: 'Дом' }, type: 'select' },
        { key: 'Bad key', label: { ru: 'X' }, type: 'text' },
      ],
    });
    const listed = await problems(badFields);
    expect(listed).toMatch(/Only a phone field fills the contact's phone/);
    expect(listed).toMatch(/A select field needs options/);
    expect(listed).toMatch(/lower-case latin letters/);
    expect(await problems(definition({ allowedOrigins: ['ecodom'] }))).toMatch(/Not a site address/);
    expect(await problems(definition({ allowedOrigins: [] }))).toMatch(/at least one site address/);
    expect(await problems(definition({ pipelineId: 'f'.repeat(24) }))).toMatch(/no such pipeline/);
    expect(await problems(definition({ stageId: 'converted' }))).toMatch(/open stage/);
    const unknownCustom = definition({
      fields: [
        { key: 'phone', label: { ru: 'Телефон' }, type: 'phone', mapTo: { type: 'contact-phone' } },
        { key: 'region', label: { ru: 'Регион' }, type: 'text', mapTo: { type: 'contact-custom', key: 'region_x' } },
      ],
    });
    expect(await problems(unknownCustom)).toMatch(/no contact custom field 'region_x'/);
    const marketer = await api.createUser({ role: 'marketer' });
    expect(await problems(definition({ ownerId: marketer.id }))).toMatch(
      /owner must be an active user who works deals/,
    );
  });

  it('should create, show with its snippet, change, list and delete a form', async () => {
    const form = await newForm();
    expect(form).toMatchObject({ active: true, allowedOrigins: [SITE], ownerId: api.users.admin.id });
    expect(form.snippet).toContain(`<div id="funnel-form-${form.id}"></div>`);
    expect(form.snippet).toContain(`src="${form.embedUrl}"`);
    expect(form.embedUrl).toMatch(new RegExp(`/api/v1/forms/${form.id}/embed\\.js$`));
    expect(form.submitUrl).toMatch(new RegExp(`/api/v1/forms/${form.id}/submissions$`));
    expect((await admin.get(`/forms/${form.id}`)).body.snippet).toBe(form.snippet);

    const changed = await admin.patch(`/forms/${form.id}`, { thankYou: { en: 'Thanks!' }, stageId: 'qualified' });
    expect(changed.status).toBe(200);
    expect(changed.body.thankYou).toEqual({ ru: 'Спасибо! Архитектор позвонит вам сегодня.', en: 'Thanks!' });
    expect(changed.body.stageId).toBe('qualified');
    const refused = await admin.patch(`/forms/${form.id}`, { fields: [] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].message).toMatch(/at least one field/);
    expect((await admin.patch(`/forms/${form.id}`, { stageId: null })).body.stageId).toBeUndefined();

    const listed = await admin.get(`/forms?q=${encodeURIComponent(form.name)}`);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([form.id]);
    expect((await admin.delete(`/forms/${form.id}`)).status).toBe(204);
    expect((await admin.get(`/forms/${form.id}`)).status).toBe(404);
    const gone = await submit(form.id, { name: 'Анна', phone: randomMobile() });
    expect(gone.status).toBe(404);
  });

  it('should turn a submission into a contact, a deal and one timeline entry with the visit it came from', async () => {
    const form = await newForm();
    const token = (await admin.post('/auth/tokens', { name: 'inbox', scopes: ['conversations.read'] })).body.token;
    const socket: Socket = connect(`${api.baseUrl}/inbox`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const pushed = new Promise<{ lead: { id: string }; deal: { id: string }; contactCreated: boolean }>((resolve) =>
        socket.once('lead.received', resolve),
      );
      const phone = randomMobile();
      const email = randomEmail();
      const landing = `${SITE}/proekty/karkasnyj-dom?utm_source=yandex&utm_medium=cpc&utm_campaign=spring`;
      const response = await submit(form.id, {
        name: 'Ольга Власова',
        phone: spelledOut(phone),
        email: email.toUpperCase(),
        house: 'frame',
        area: '140',
        budget: '4 500 000',
        comment: 'Хотим дом к осени',
        submission_id: randomBytes(16).toString('hex'),
        language: 'ru',
        utm_source: 'yandex',
        utm_medium: 'cpc',
        utm_campaign: 'spring',
        referrer: 'https://yandex.ru/search/?text=каркасный+дом',
        landing_page: landing,
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ received: true, message: 'Спасибо! Архитектор позвонит вам сегодня.' });
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);

      const [contact, ...others] = await contactsByPhone(phone);
      expect(others).toEqual([]);
      expect(contact).toMatchObject({
        name: 'Ольга Власова',
        emails: [email],
        source: `form:${form.name}`,
        utm: { source: 'yandex', medium: 'cpc', campaign: 'spring' },
        language: 'ru',
        ownerId: api.users.admin.id,
      });
      const [deal, ...moreDeals] = await dealsOf(contact.id);
      expect(moreDeals).toEqual([]);
      expect(deal).toMatchObject({
        title: `${form.name} — Ольга Власова`,
        pipelineId: pipelineId('leads'),
        stageId: 'new',
        amount: 4500000,
        customFields: { house_area: '140' },
        source: `form:${form.name}`,
        createdBy: { kind: 'automation', id: `form:${form.id}` },
      });
      const [entry, ...moreEntries] = await leadEntries(contact.id);
      expect(moreEntries).toEqual([]);
      expect(entry.lead).toMatchObject({
        via: 'form',
        form: { id: form.id, name: form.name },
        source: `form:${form.name}`,
        utm: { source: 'yandex', medium: 'cpc', campaign: 'spring' },
        referrer: 'https://yandex.ru/search/?text=каркасный+дом',
        landingPage: landing,
        contactId: contact.id,
        dealId: deal.id,
      });
      expect(entry.lead.answers).toContainEqual({
        key: 'house',
        label: { ru: 'Какой дом', en: 'Which house' },
        value: 'frame',
      });
      expect(entry.lead.answers).toContainEqual({
        key: 'comment',
        label: { ru: 'Комментарий', en: 'Comment' },
        value: 'Хотим дом к осени',
      });
      const event = await pushed;
      expect(event).toMatchObject({ lead: { id: entry.lead.id }, deal: { id: deal.id }, contactCreated: true });
    } finally {
      socket.disconnect();
    }
  });

  it('should make one lead of the same submission sent twice, and of two sent at once', async () => {
    const form = await newForm();
    const phone = randomMobile();
    const body = { name: 'Пётр', phone, submission_id: randomBytes(16).toString('hex') };
    const first = await submit(form.id, body);
    const again = await submit(form.id, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const twinPhone = randomMobile();
    const twin = {
      name: 'Вера',
      phone: twinPhone,
      comment: 'Одновременно',
      submission_id: randomBytes(16).toString('hex'),
    };
    const both = await Promise.all([submit(form.id, twin), submit(form.id, twin)]);
    expect(both.map((response) => response.status)).toEqual([200, 200]);

    for (const number of [phone, twinPhone]) {
      const contacts = await contactsByPhone(number);
      expect(contacts).toHaveLength(1);
      expect(await dealsOf(contacts[0].id)).toHaveLength(1);
      expect(await leadEntries(contacts[0].id)).toHaveLength(1);
    }

    const headerKey = `order-${randomBytes(8).toString('hex')}`;
    const keyed = await submit(
      form.id,
      { name: 'Ян', phone: randomMobile() },
      { headers: { 'idempotency-key': headerKey } },
    );
    expect(keyed.status).toBe(200);
    const reused = await submit(
      form.id,
      { name: 'Ян', phone: randomMobile() },
      { headers: { 'idempotency-key': headerKey } },
    );
    expect(reused.status).toBe(409);
    expect(reused.body.error.message).toMatch(/Idempotency-Key was already used with a different request/);
  });

  it('should add the lead to the contact a phone already belongs to', async () => {
    const form = await newForm();
    const phone = randomMobile();
    const operator = await api.as('operator');
    const existing = await operator.post('/contacts', {
      name: 'Марина Кузнецова',
      phones: [`8${phone}`],
      source: 'telegram',
    });
    expect(existing.status).toBe(201);
    const email = randomEmail();
    const response = await submit(form.id, { name: 'Марина', phone: spelledOut(phone), email });
    expect(response.status).toBe(200);
    const contacts = await contactsByPhone(phone);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ id: existing.body.id, name: 'Марина Кузнецова', source: 'telegram' });
    expect(contacts[0].emails).toEqual([email]);
    const [deal] = await dealsOf(existing.body.id);
    expect(deal.contactId).toBe(existing.body.id);
    expect(await leadEntries(existing.body.id)).toHaveLength(1);
  });

  it('should thank a bot that fills the honeypot and store nothing', async () => {
    const form = await newForm();
    const phone = randomMobile();
    const response = await submit(form.id, { name: 'Bot', phone, website: 'http://spam.example' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, message: 'Спасибо! Архитектор позвонит вам сегодня.' });
    expect(await contactsByPhone(phone)).toEqual([]);
    const Lead = await inboundLeadModel(api.db);
    expect(await Lead.countDocuments({ formId: form.id })).toBe(0);
  });

  it('should answer 429 once one address sent too many submissions', async () => {
    const form = await newForm();
    const ip = randomIp();
    for (let i = 0; i < FORM_SUBMISSIONS_PER_IP; i++) {
      // Refused answers count too: a flood is a flood.
      expect((await submit(form.id, { phone: 'not a phone' }, { ip })).status).toBe(400);
    }
    const blocked = await submit(form.id, { name: 'Анна', phone: randomMobile() }, { ip });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/^Too many submissions from your address; try again in \d+ min\.$/);
    const russian = await submit(form.id, { phone: randomMobile() }, { ip, headers: { 'accept-language': 'ru' } });
    expect(russian.body.error.message).toMatch(/^Слишком много заявок с вашего адреса: попробуйте через \d+ мин\.$/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await submit(form.id, { name: 'Анна', phone: randomMobile() })).status).toBe(200);
  });

  it('should take a plain HTML form post and show the person a page in their language', async () => {
    const form = await newForm();
    const phone = randomMobile();
    const page = await submit(
      form.id,
      { name: 'John Smith', phone: `+7${phone}`, house: 'clt', language: 'en', landing_page: `${SITE}/en/` },
      { encoding: 'form', accept: 'text/html,application/xhtml+xml' },
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.body).toContain('Thank you! An architect will call you today.');
    expect(page.body).toContain(`href="${SITE}/en/"`);
    const [contact] = await contactsByPhone(phone);
    expect(contact).toMatchObject({ name: 'John Smith', language: 'en' });
    const [entry] = await leadEntries(contact.id);
    expect(entry.lead.answers).toContainEqual({
      key: 'house',
      label: { ru: 'Какой дом', en: 'Which house' },
      value: 'clt',
    });

    const scripted = await submit(form.id, { name: 'Иван', phone: randomMobile() }, { encoding: 'form' });
    expect(scripted.body).toEqual({ received: true, message: 'Спасибо! Архитектор позвонит вам сегодня.' });
    const wrong = await submit(
      form.id,
      { name: '', phone: '123' },
      { encoding: 'form', accept: 'text/html', headers: { 'accept-language': 'ru-RU,ru;q=0.9' } },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('Имя: Заполните это поле');
    expect(wrong.body).toContain('Телефон: Проверьте номер телефона');
  });

  it('should name each wrong answer with a code the page can show', async () => {
    const form = await newForm();
    const wrong = await submit(form.id, { name: 'Анна', phone: '12', email: 'anna@', house: 'brick' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'phone', code: 'invalid_phone' }),
        expect.objectContaining({ path: 'email', code: 'invalid_email' }),
        expect.objectContaining({ path: 'house', code: 'not_an_option' }),
      ]),
    );
    const unreachable = await submit(form.id, { name: 'Анна' }, { headers: { 'accept-language': 'ru' } });
    expect(unreachable.body.error.details).toEqual([
      expect.objectContaining({ path: 'phone', code: 'need_contact', message: 'Оставьте телефон или e-mail' }),
    ]);
    const english = await submit(form.id, { name: 'Анна' });
    expect(english.body.error.details).toEqual([
      expect.objectContaining({ code: 'need_contact', message: 'Please leave a phone number or an e-mail' }),
    ]);
  });

  it('should answer only the sites a form allows', async () => {
    const form = await newForm();
    const preflight = (origin: string) =>
      fetch(`${api.baseUrl}/api/v1/forms/${form.id}/submissions`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, idempotency-key',
        },
      });
    const allowed = await preflight(SITE);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/idempotency-key/);
    const foreign = await preflight('https://copycat.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    const phone = randomMobile();
    const refused = await submit(form.id, { name: 'Анна', phone }, { origin: 'https://copycat.example' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'origin_not_allowed' });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const anonymous = await submit(form.id, { name: 'Анна', phone }, { origin: null });
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.error.code).toBe('origin_required');
    expect(await contactsByPhone(phone)).toEqual([]);
  });

  it('should serve the script the snippet loads, and nothing for a switched-off form', async () => {
    const form = await newForm();
    const script = await fetch(form.embedUrl.replace(/^https?:\/\/[^/]+/, api.baseUrl));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const code = await script.text();
    expect(code).toContain(`"containerId":"funnel-form-${form.id}"`);
    expect(code).toContain('"submitPath":"submissions"');
    expect(code).toContain('Спасибо! Архитектор позвонит вам сегодня.');
    expect(code).toContain('Оставьте телефон или e-mail');

    await admin.patch(`/forms/${form.id}`, { active: false });
    const off = await fetch(`${api.baseUrl}/api/v1/forms/${form.id}/embed.js`);
    expect(off.status).toBe(404);
    expect(await off.text()).toMatch(/^console\.warn/);
    expect((await submit(form.id, { name: 'Анна', phone: randomMobile() })).status).toBe(404);
  });
});
