import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyModels } from '../../server/companies/company-models.js';
import { contactModels } from '../../server/contacts/contact-models.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import type { PipelineRecord } from '../../server/pipelines/pipeline-model.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

/** A valid 10-digit INN (organisation) with its check digit, different every call. */
function randomInn(): string {
  const digits = Array.from({ length: 9 }, () => randomInt(10));
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = (digits.reduce((sum, digit, i) => sum + digit * weights[i]!, 0) % 11) % 10;
  return [...digits, check].join('');
}

describe('leads', () => {
  let api: TestApi;
  let operator: ApiClient;
  let pipelines: Record<string, PipelineRecord>;
  const id = (key: string) => String(pipelines[key]!._id);

  beforeAll(async () => {
    api = await startTestApi();
    pipelines = await ensureDefaultPipelines(api.db);
    operator = await api.as('operator');
  });
  afterAll(() => api?.close());

  const newLead = async () => {
    const response = await operator.post('/deals', {
      title: 'Заявка с сайта: окна в дом',
      pipelineId: id('leads'),
      amount: 90000,
    });
    expect(response.status).toBe(201);
    return response.body;
  };

  it('should qualify a lead, and close one as unqualified with a reason', async () => {
    const lead = await newLead();
    const qualified = await operator.post(`/leads/${lead.id}/qualify`);
    expect(qualified.body).toMatchObject({ stageId: 'qualified', status: 'open' });
    const other = await newLead();
    const closed = await operator.post(`/leads/${other.id}/unqualify`, { reason: 'Нецелевой запрос' });
    expect(closed.body).toMatchObject({ stageId: 'unqualified', status: 'lost', lostReason: 'Нецелевой запрос' });
    const refused = await operator.post(`/leads/${other.id}/convert`, {
      pipelineId: id('sales'),
      contact: { name: 'X' },
    });
    expect(refused.status).toBe(409);
  });

  it('should convert a lead retried twice into one contact, one company and one deal', async () => {
    const lead = await newLead();
    const phone = `+7 916 ${randomInt(100, 999)}-${randomInt(10, 99)}-${randomInt(10, 99)}`;
    const body = {
      pipelineId: id('sales'),
      contact: { name: 'Ирина Соколова', phones: [phone] },
      company: { name: 'ООО «Тёплый дом»', inn: randomInn() },
    };
    const first = await operator.post(`/leads/${lead.id}/convert`, body);
    expect(first.status).toBe(200);
    const second = await operator.post(`/leads/${lead.id}/convert`, body);
    const third = await operator.post(`/leads/${lead.id}/convert`, body);
    for (const response of [second, third]) {
      expect(response.status).toBe(200);
      expect(response.body.contact.id).toBe(first.body.contact.id);
      expect(response.body.company.id).toBe(first.body.company.id);
      expect(response.body.deal.id).toBe(first.body.deal.id);
    }
    const { deal, lead: closed, contact, company } = first.body;
    expect(deal).toMatchObject({
      pipelineId: id('sales'),
      stageId: 'data-collection',
      amount: 90000,
      contactId: contact.id,
      companyId: company.id,
      sourceLeadId: lead.id,
      ownerId: api.users.operator.id,
    });
    expect(contact.companyId).toBe(company.id);
    expect(closed).toMatchObject({ status: 'won', stageId: 'converted', contactId: contact.id });
    expect(closed.conversion).toMatchObject({ contactId: contact.id, companyId: company.id, dealId: deal.id });

    const Deal = await dealModel(api.db);
    expect(await Deal.countDocuments({ sourceLeadId: lead.id })).toBe(1);
    const { Contact } = contactModels(api.db);
    expect(await Contact.countDocuments({ 'phones.e164': contact.phones[0].e164 })).toBe(1);
    const { Company } = companyModels(api.db);
    expect(await Company.countDocuments({ inn: body.company.inn })).toBe(1);
  });

  it('should reuse the contact recorded by a first attempt even when it has only a name', async () => {
    const lead = await newLead();
    const body = { pipelineId: id('sales'), contact: { name: 'Пётр без телефона' } };
    const [a, b] = [
      await operator.post(`/leads/${lead.id}/convert`, body),
      await operator.post(`/leads/${lead.id}/convert`, body),
    ];
    expect(b.body.contact.id).toBe(a.body.contact.id);
    const { Contact } = contactModels(api.db);
    expect(await Contact.countDocuments({ name: 'Пётр без телефона' })).toBe(1);
  });

  it('should refuse to convert into a leads pipeline or a closed stage, and a deal that is not a lead', async () => {
    const lead = await newLead();
    const contact = { name: 'Анна' };
    expect((await operator.post(`/leads/${lead.id}/convert`, { pipelineId: id('leads'), contact })).status).toBe(400);
    expect(
      (await operator.post(`/leads/${lead.id}/convert`, { pipelineId: id('sales'), stageId: 'won', contact })).status,
    ).toBe(400);
    const deal = await operator.post('/deals', { title: 'Сделка', pipelineId: id('sales') });
    expect((await operator.post(`/leads/${deal.body.id}/convert`, { pipelineId: id('sales'), contact })).status).toBe(
      409,
    );
    expect((await operator.post(`/leads/${deal.body.id}/qualify`)).status).toBe(409);
  });
});
