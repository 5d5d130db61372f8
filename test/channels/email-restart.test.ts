import { once } from 'node:events';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { composeMail } from '../stand-ins/client-mail.js';
import { dovecotUnavailable, startDovecot, type Dovecot } from '../stand-ins/dovecot.js';
import { waitUntil } from '../wait-until.js';
import { WorkerProcesses } from '../worker-processes.js';
import { clientAddress, connectTestMailbox, type TestMailbox } from './email-test-mailbox.js';

/**
 * The mailbox sync runs in a worker process (ROLE=worker) that is killed with SIGKILL in the
 * middle of reading a mailbox of fifty mails; a new worker takes the mailbox over once the dead
 * one's lease runs out. Every mail must be stored, none twice.
 */

const MAILS = 50;

const unavailable = await dovecotUnavailable();
if (unavailable) console.warn(`e-mail restart test skipped: ${unavailable}`);

describe.skipIf(Boolean(unavailable))(`email sync restart${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let dovecot: Dovecot;
  let api: TestApi;
  let admin: ApiClient;
  let account: TestMailbox | undefined;
  const workers = new WorkerProcesses(() => api);

  beforeAll(async () => {
    dovecot = await startDovecot();
    // A web-only app: the only reader of the mailbox is the worker process this test kills.
    api = await startTestApi({ env: { ROLE: 'web' } });
    admin = await api.as('admin');
  }, 60_000);

  afterAll(async () => {
    workers.killAll();
    await account?.smtp.close();
    await api?.close();
    await dovecot?.stop();
  });

  function storedIds(): Promise<string[]> {
    return api.db
      .collection('messages')
      .find({ channelAccountId: new Types.ObjectId(account!.id), direction: 'in' }, { projection: { externalId: 1 } })
      .toArray()
      .then((rows) => rows.map((row) => String(row.externalId)));
  }

  it('should store every mail exactly once when the worker is killed in the middle of a sync', async () => {
    account = await connectTestMailbox(admin, dovecot);
    const client = clientAddress();
    // A sizeable attachment on each mail keeps the sync busy long enough to be caught half-way.
    const attachment = Buffer.concat([
      Buffer.from('%PDF-1.4\n'),
      Buffer.alloc(200_000, 0x20),
      Buffer.from('\n%%EOF\n'),
    ]);
    const expected: string[] = [];
    for (let index = 0; index < MAILS; index++) {
      const messageId = `<restart-${index}-${Date.now()}@client.test>`;
      expected.push(messageId);
      await dovecot.append(
        account.mailbox,
        await composeMail({
          from: { name: 'Пётр Иванов', address: client },
          to: account.mailbox.address,
          subject: `Письмо ${index + 1}`,
          text: `Текст письма ${index + 1}`,
          messageId,
          attachments: [{ filename: `план-${index + 1}.pdf`, content: attachment, contentType: 'application/pdf' }],
        }),
      );
    }

    const first = workers.start();
    await waitUntil(
      'a few mails to be stored',
      async () => ((await storedIds()).length >= 5 ? true : undefined),
      60_000,
    );
    first.kill('SIGKILL');
    await once(first, 'exit');
    const storedAtKill = (await storedIds()).length;
    expect(storedAtKill).toBeLessThan(MAILS);

    workers.start();
    // The killed worker's lease on the mailbox runs out (15 s), then the new worker reads on.
    const ids = await waitUntil(
      'every mail to be stored',
      async () => {
        const stored = await storedIds();
        return stored.length >= MAILS ? stored : undefined;
      },
      90_000,
    );
    // A little longer: a mail read twice would show up now.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const final = await storedIds();
    expect(final).toHaveLength(MAILS);
    expect(new Set(final)).toEqual(new Set(expected));
    expect(ids.length).toBe(MAILS);

    const conversations = await api.db
      .collection('conversations')
      .countDocuments({ channelAccountId: new Types.ObjectId(account.id) });
    expect(conversations).toBe(MAILS);
    expect(await api.db.collection('contacts').countDocuments({ emails: client })).toBe(1);
    // Each attachment kept once: a mail read again after the crash keeps only what was still pending.
    const files = await api.db.collection('files').countDocuments({ fileName: /^план-/ });
    expect(files).toBe(MAILS);
    const record = await api.db.collection('channelaccounts').findOne({ _id: new Types.ObjectId(account.id) });
    expect(record?.mailboxCursor).toMatchObject({ mailbox: 'INBOX', lastUid: MAILS });
  }, 180_000);
});
