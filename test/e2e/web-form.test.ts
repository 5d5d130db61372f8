import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { randomMobile } from '../api/contacts-test-data.js';
import { launchChromium, openPage, serveApp, type ErrorWatchingPage, type ServedApp } from './harness.js';

/**
 * A web form's snippet on a plain page of another site (its own origin), in Chromium: the script
 * renders the form in the page's language, sends the answers with the visit's UTM, referrer and
 * landing page, shows the thank-you text, and the lead is in the CRM.
 */
describe('web form snippet on a site page', () => {
  let api: TestApi;
  let admin: ApiClient;
  let browser: Browser;
  let site: ServedApp;
  let form: { id: string; snippet: string };
  const pages: ErrorWatchingPage[] = [];

  beforeAll(async () => {
    const app = express();
    // The company's site: a plain page with the snippet pasted in, in the language the path names.
    app.get('/:lang/proekty', (request, response) => {
      const lang = request.params.lang === 'en' ? 'en' : 'ru';
      response
        .type('html')
        .send(
          `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>ЭкоДом</title></head>` +
            `<body><h1>ЭкоДом</h1>${form.snippet}</body></html>`,
        );
    });
    app.get('/favicon.ico', (_request, response) => void response.status(204).end());
    [api, browser, site] = await Promise.all([startTestApi(), launchChromium(), serveApp(app)]);
    const pipelines = await ensureDefaultPipelines(api.db);
    admin = await api.as('admin');
    const created = await admin.post('/forms', {
      name: 'Консультация',
      fields: [
        {
          key: 'name',
          label: { ru: 'Имя', en: 'Name' },
          type: 'text',
          required: true,
          mapTo: { type: 'contact-name' },
        },
        {
          key: 'phone',
          label: { ru: 'Телефон', en: 'Phone' },
          type: 'phone',
          required: true,
          mapTo: { type: 'contact-phone' },
        },
        { key: 'question', label: { ru: 'Ваш вопрос', en: 'Your question' }, type: 'textarea' },
      ],
      pipelineId: String(pipelines.leads!._id),
      thankYou: { ru: 'Спасибо! Перезвоним в течение часа.', en: 'Thank you! We will call you back within an hour.' },
      allowedOrigins: [site.url],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    form = created.body;
  });

  afterEach(async () => {
    const problems = pages.flatMap((opened) => opened.problems);
    await Promise.all(pages.splice(0).map((opened) => opened.close()));
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await api?.close();
  });

  async function leadOf(national: string) {
    const [contact] = (await admin.get(`/contacts?q=${encodeURIComponent(`+7${national}`)}`)).body.items;
    const timeline = await admin.get(`/contacts/${contact.id}/timeline`);
    const leads = timeline.body.items.filter((item: { kind: string }) => item.kind === 'lead');
    const deals = (await admin.get(`/deals?contactId=${contact.id}`)).body.items;
    return { contact, leads, deals };
  }

  it('should take a submission on a Russian page and show the thank-you text', async () => {
    const opened = await openPage(browser);
    pages.push(opened);
    const { page } = opened;
    const landing = `${site.url}/ru/proekty?utm_source=yandex&utm_medium=cpc&utm_campaign=karkas`;
    await page.goto(landing, { referer: 'https://yandex.ru/search/?text=eco+house' });
    const phone = randomMobile();
    await page.getByLabel('Имя').fill('Алексей Морозов');
    await page.getByLabel('Телефон').fill(`8 ${phone}`);
    await page.getByLabel('Ваш вопрос').fill('Сколько стоит дом 100 м²?');
    await page.getByRole('button', { name: 'Отправить' }).click();
    await page.getByText('Спасибо! Перезвоним в течение часа.').waitFor();

    const { contact, leads, deals } = await leadOf(phone);
    expect(contact).toMatchObject({
      name: 'Алексей Морозов',
      source: 'form:Консультация',
      utm: { source: 'yandex', medium: 'cpc', campaign: 'karkas' },
      language: 'ru',
    });
    expect(deals).toHaveLength(1);
    expect(leads).toHaveLength(1);
    expect(leads[0].lead).toMatchObject({
      landingPage: landing,
      referrer: 'https://yandex.ru/search/?text=eco+house',
      answers: expect.arrayContaining([
        { key: 'question', label: { ru: 'Ваш вопрос', en: 'Your question' }, value: 'Сколько стоит дом 100 м²?' },
      ]),
    });
  });

  it('should speak English on an English page and point at a wrong phone before sending', async () => {
    const opened = await openPage(browser);
    pages.push(opened);
    const { page } = opened;
    await page.goto(`${site.url}/en/proekty`);
    await page.getByLabel('Name').fill('Jane Doe');
    await page.getByLabel('Phone').fill('12');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Please check the phone number').waitFor();
    const phone = randomMobile();
    await page.getByLabel('Phone').fill(`+7${phone}`);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you! We will call you back within an hour.').waitFor();
    const { contact, leads } = await leadOf(phone);
    expect(contact).toMatchObject({ name: 'Jane Doe', language: 'en' });
    expect(leads).toHaveLength(1);
  });
});
