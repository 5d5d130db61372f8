import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactModels } from '../../server/contacts/contact-models.js';
import { contactInputSchema } from '../../server/contacts/contact-schemas.js';
import { findOrCreateContact } from '../../server/contacts/find-or-create-contact.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { randomEmail, randomId, randomMobile, spelledOut } from './contacts-test-data.js';

describe('contacts: deduplication', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should keep one contact for one phone written three ways', async () => {
    const national = randomMobile();
    const first = await manager.post('/contacts', { name: 'Иван Петров', phones: [spelledOut(national)] });
    expect(first.status).toBe(201);
    expect(first.body.phones).toEqual([{ raw: spelledOut(national), e164: `+7${national}` }]);

    for (const spelling of [`8${national}`, national]) {
      const again = await manager.post('/contacts', { name: 'Иван', phones: [spelling] });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('duplicate_contact');
      expect(again.body.error.details).toEqual({
        existingContactId: first.body.id,
        matchedOn: [`phone:+7${national}`],
      });
    }
    const found = await manager.get(`/contacts?q=${national}`);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });

  it('should treat one e-mail in two cases as the same contact', async () => {
    const email = randomEmail();
    const first = await manager.post('/contacts', { name: 'Anna', emails: [email.toUpperCase()] });
    expect(first.status).toBe(201);
    expect(first.body.emails).toEqual([email]);
    const again = await manager.post('/contacts', { name: 'Anna', emails: [` ${email} `] });
    expect(again.status).toBe(409);
    expect(again.body.error.details.existingContactId).toBe(first.body.id);
  });

  it('should find a contact by a channel identity and by the phone of a WhatsApp identity', async () => {
    const telegramId = String(Date.now());
    const national = randomMobile();
    const first = await manager.post('/contacts', {
      name: 'Ольга',
      phones: [national],
      identities: [{ channel: 'telegram', accountId: 'bot1', externalId: telegramId }],
    });
    expect(first.status).toBe(201);
    const sameTelegram = await manager.post('/contacts', {
      identities: [{ channel: 'telegram', accountId: 'bot1', externalId: telegramId }],
    });
    expect(sameTelegram.status).toBe(409);
    // WhatsApp sends the number without '+' (wa_id): it is the same person as the phone.
    const sameWhatsapp = await manager.post('/contacts', {
      identities: [{ channel: 'whatsapp', externalId: `7${national}` }],
    });
    expect(sameWhatsapp.body.error.details).toEqual({
      existingContactId: first.body.id,
      matchedOn: [`phone:+7${national}`],
    });
    // Another bot account is another identity.
    const otherBot = await manager.post('/contacts', {
      identities: [{ channel: 'telegram', accountId: 'bot2', externalId: telegramId }],
    });
    expect(otherBot.status).toBe(201);
  });

  it('should link the new keys and return the existing contact with onDuplicate return-existing', async () => {
    const national = randomMobile();
    const email = randomEmail();
    const first = await manager.post('/contacts', { name: 'Пётр', phones: [national] });
    const linked = await manager.post('/contacts', {
      name: 'Пётр Иванов',
      phones: [`8 ${national}`],
      emails: [email],
      onDuplicate: 'return-existing',
    });
    expect(linked.status).toBe(200);
    expect(linked.body.id).toBe(first.body.id);
    expect(linked.body.name).toBe('Пётр');
    expect(linked.body.emails).toEqual([email]);
    expect(linked.body.phones).toHaveLength(1);
  });

  it('should let exactly one of several simultaneous creates of one person win', async () => {
    const national = randomMobile();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => manager.post('/contacts', { name: `Гонка ${i}`, phones: [national] })),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 201)) {
      expect(loser.status).toBe(409);
      expect(loser.body.error.details.existingContactId).toBe(created[0]!.body.id);
    }
  });

  it('should free the keys of a deleted contact for a new one', async () => {
    const national = randomMobile();
    const first = await manager.post('/contacts', { name: 'Удалённый', phones: [national] });
    expect((await manager.delete(`/contacts/${first.body.id}`)).status).toBe(204);
    expect((await manager.get(`/contacts/${first.body.id}`)).status).toBe(404);
    const second = await manager.post('/contacts', { name: 'Новый', phones: [national] });
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('should refuse on update a phone another contact has', async () => {
    const taken = randomMobile();
    const holder = await manager.post('/contacts', { name: 'Holder', phones: [taken] });
    const other = await manager.post('/contacts', { name: 'Other', phones: [randomMobile()] });
    const patched = await manager.patch(`/contacts/${other.body.id}`, { phones: [`8${taken}`] });
    expect(patched.status).toBe(409);
    expect(patched.body.error.details.existingContactId).toBe(holder.body.id);
  });

  it('should have the store refuse a second active holder of a phone, an e-mail or an identity', async () => {
    const { Contact } = contactModels(api.db);
    await Contact.init();
    const phone = { raw: '1', e164: `+7${randomMobile()}` };
    const email = randomEmail();
    const identity = { channel: 'webchat' as const, externalId: randomId(), key: `["webchat","","${randomId()}"]` };
    const keys = [{ phones: [phone] }, { emails: [email] }, { identities: [identity] }];
    for (const key of keys) {
      await Contact.create({ name: 'A', ...key });
      await expect(Contact.create({ name: 'B', ...key })).rejects.toMatchObject({ code: 11000 });
      // Merged and deleted contacts keep their data but leave the unique indexes.
      await Contact.create({ name: 'C', status: 'merged', ...key });
      await Contact.create({ name: 'D', status: 'deleted', ...key });
    }
    // Contacts without any phone, e-mail or identity do not collide on an empty key.
    await Contact.create([{ name: 'E' }, { name: 'F' }]);
  });

  describe('findOrCreateContact', () => {
    it('should create once and then return the same contact, linking what is new', async () => {
      const actor = { id: api.users.manager.id, name: 'Test manager', teamIds: [] };
      const national = randomMobile();
      const input = contactInputSchema.parse({ name: 'Лид', phones: [national] });
      const first = await findOrCreateContact({ db: api.db }, input, actor);
      expect(first.created).toBe(true);
      const email = randomEmail();
      const again = await findOrCreateContact(
        { db: api.db },
        contactInputSchema.parse({ name: 'Лид', phones: [`+7${national}`], emails: [email] }),
        actor,
      );
      expect(again).toMatchObject({ created: false, contact: { id: first.contact.id, emails: [email] } });
      const system = await findOrCreateContact(
        { db: api.db },
        contactInputSchema.parse({ identities: [{ channel: 'webchat', externalId: randomId() }] }),
        null,
      );
      expect(system.created).toBe(true);
      expect(system.contact.ownerId).toBeUndefined();
    });
  });
});
