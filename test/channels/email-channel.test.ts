import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { bounceOf, composeMail } from '../stand-ins/client-mail.js';
import { dovecotUnavailable, startDovecot, type Dovecot } from '../stand-ins/dovecot.js';
import { waitUntil } from '../wait-until.js';
import { clientAddress, connectTestMailbox, type TestMailbox } from './email-test-mailbox.js';

/**
 * The e-mail channel through the whole running app: mail put into a real dovecot mailbox with
 * IMAP APPEND is read by the app's mailbox sync, replies go out over SMTP to a smtp-server
 * stand-in that keeps what it gets.
 */

interface Message {
  id: string;
  direction: 'in' | 'out';
  status: string;
  externalId?: string;
  failure?: { code: string; reason: string };
  content: {
    kind: string;
    subject?: string;
    text?: string;
    full?: boolean;
    autoReply?: boolean;
    messageId?: string;
    attachments?: { state: string; url?: string; mimeType?: string; fileName?: string; kind: string }[];
  };
}

const unavailable = await dovecotUnavailable();
if (unavailable) console.warn(`e-mail channel tests skipped: ${unavailable}`);

describe.skipIf(Boolean(unavailable))(`email channel${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let dovecot: Dovecot;
  let api: TestApi;
  let admin: ApiClient;
  const mailboxes: TestMailbox[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    admin = await api.as('admin');
  });
  afterEach(async () => {
    for (const mailbox of mailboxes.splice(0)) await mailbox.smtp.close();
  });
  afterAll(async () => {
    await api?.close();
    await dovecot?.stop();
  });

  async function connect(): Promise<TestMailbox> {
    const mailbox = await connectTestMailbox(admin, dovecot);
    mailboxes.push(mailbox);
    return mailbox;
  }

  function inboundCount(account: TestMailbox): Promise<number> {
    return api.db
      .collection('messages')
      .countDocuments({ channelAccountId: new Types.ObjectId(account.id), direction: 'in' });
  }

  /** Waits until the account has `count` inbound messages; answers the newest one's conversation id. */
  async function waitForInbound(account: TestMailbox, count: number): Promise<string> {
    const newest = await waitUntil(`${count} inbound mails on ${account.mailbox.address}`, async () => {
      if ((await inboundCount(account)) < count) return undefined;
      return api.db
        .collection('messages')
        .findOne({ channelAccountId: new Types.ObjectId(account.id), direction: 'in' }, { sort: { _id: -1 } });
    });
    return newest!.conversationId.toHexString();
  }

  async function messagesOf(conversationId: string): Promise<Message[]> {
    const page = await admin.get(`/conversations/${conversationId}/messages?limit=100`);
    expect(page.status).toBe(200);
    return page.body.items;
  }

  async function reply(conversationId: string, text: string): Promise<Message> {
    const queued = await admin.post(`/conversations/${conversationId}/messages`, { text });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    return waitUntil(`reply ${queued.body.id} to be sent`, async () => {
      const found = (await messagesOf(conversationId)).find((message) => message.id === queued.body.id);
      return found?.status === 'sent' ? found : undefined;
    });
  }

  it('should keep a thread of three mails as one conversation on one contact, in order', async () => {
    const account = await connect();
    const client = clientAddress();
    await dovecot.append(
      account.mailbox,
      await composeMail({
        from: { name: 'Анна Смирнова', address: client },
        to: account.mailbox.address,
        subject: 'Дом 120 м²',
        text: 'Здравствуйте! Сколько стоит дом 120 м² под ключ?',
        messageId: '<first-question@client.test>',
      }),
    );
    const conversationId = await waitForInbound(account, 1);

    const answer = await reply(conversationId, 'Добрый день! От 4,2 млн ₽. Когда удобно созвониться?');
    const sent = await account.smtp.waitForMail(1);
    expect(sent.to).toEqual([client]);
    expect(sent.from).toBe(account.mailbox.address);
    expect(sent.parsed.subject).toBe('Re: Дом 120 м²');
    expect(sent.parsed.inReplyTo).toBe('<first-question@client.test>');
    expect([sent.parsed.references].flat()).toEqual(['<first-question@client.test>']);
    // Our Message-ID is what the reply is known by: statuses and the client's answer refer to it.
    expect(sent.parsed.messageId).toBe(answer.externalId);

    await dovecot.append(
      account.mailbox,
      await composeMail({
        from: { name: 'Анна Смирнова', address: client },
        to: account.mailbox.address,
        subject: 'Re: Дом 120 м²',
        text: [
          'В субботу после 12 удобно.',
          '',
          'Отправлено с iPhone',
          '',
          `сб, 1 мар. 2025 г. в 12:00, ЭкоДом <${account.mailbox.address}>:`,
          '> Добрый день! От 4,2 млн ₽. Когда удобно созвониться?',
        ].join('\n'),
        messageId: '<second-answer@client.test>',
        inReplyTo: answer.externalId,
        references: ['<first-question@client.test>', answer.externalId!],
      }),
    );
    expect(await waitForInbound(account, 2)).toBe(conversationId);

    const conversations = await api.db
      .collection('conversations')
      .find({ channelAccountId: new Types.ObjectId(account.id) })
      .toArray();
    expect(conversations).toHaveLength(1);
    const contactId = conversations[0]!.contactId.toHexString();
    const contact = await admin.get(`/contacts/${contactId}`);
    expect(contact.body).toMatchObject({ name: 'Анна Смирнова', emails: [client], source: 'email' });
    expect(await api.db.collection('contacts').countDocuments({ emails: client })).toBe(1);

    const timeline = await admin.get(`/contacts/${contactId}/timeline?limit=50`);
    expect(timeline.status).toBe(200);
    const messages = (timeline.body.items as { message?: Message }[])
      .flatMap((item) => (item.message ? [item.message] : []))
      .reverse();
    expect(messages.map((message) => [message.direction, message.content.kind])).toEqual([
      ['in', 'email'],
      ['out', 'text'],
      ['in', 'email'],
    ]);
    expect(messages[0]!.content).toMatchObject({
      subject: 'Дом 120 м²',
      text: 'Здравствуйте! Сколько стоит дом 120 м² под ключ?',
      full: false,
    });
    // The timeline shows the new words; the quoted history and the phone's signature wait behind "show full".
    expect(messages[2]!.content).toMatchObject({
      subject: 'Re: Дом 120 м²',
      text: 'В субботу после 12 удобно.',
      full: true,
    });
    const full = await admin.get(`/conversations/${conversationId}/messages/${messages[2]!.id}/email`);
    expect(full.status).toBe(200);
    expect(full.body.text).toContain('> Добрый день! От 4,2 млн ₽.');
    expect(full.body.references).toEqual(['<first-question@client.test>', answer.externalId]);
  });

  it('should give the inbox an HTML mail with its scripts, handlers and javascript: links taken out', async () => {
    const account = await connect();
    await dovecot.append(
      account.mailbox,
      await composeMail({
        from: clientAddress(),
        to: account.mailbox.address,
        subject: 'Смета',
        text: 'Смета во вложении',
        html: [
          '<p onclick="alert(1)">Смета <b>во вложении</b></p>',
          '<script>document.title = "pwned"</script>',
          '<img src="x" onerror="alert(2)">',
          '<img src="https://tracker.example/open.gif?u=42" alt="logo">',
          '<a href="javascript:alert(3)">Открыть</a>',
          '<a href="https://ecodom.example/price">Прайс</a>',
          '<iframe src="https://evil.example/"></iframe>',
          '<form action="https://evil.example/"><input name="card"></form>',
          '<div style="background:url(https://tracker.example/bg.gif);color:#c00">красный</div>',
        ].join('\n'),
      }),
    );
    const conversationId = await waitForInbound(account, 1);
    const [message] = await messagesOf(conversationId);
    expect(message!.content).toMatchObject({ kind: 'email', subject: 'Смета', text: 'Смета во вложении', full: true });
    expect(JSON.stringify(message)).not.toMatch(/<script|onerror|javascript:/i);

    const full = await admin.get(`/conversations/${conversationId}/messages/${message!.id}/email`);
    expect(full.status).toBe(200);
    const html: string = full.body.html;
    expect(html).toContain('Смета <b>во вложении</b>');
    expect(html).toContain('href="https://ecodom.example/price"');
    expect(html).toContain('color:#c00');
    for (const inert of [
      /<script/i,
      /\bon\w+\s*=/i,
      /javascript:/i,
      /<iframe/i,
      /<form/i,
      /<input/i,
      /tracker\.example/,
    ]) {
      expect(html).not.toMatch(inert);
    }
  });

  it('should mark a reply failed with the reason when its bounce comes back, and store no message', async () => {
    const account = await connect();
    const client = clientAddress();
    await dovecot.append(
      account.mailbox,
      await composeMail({
        from: client,
        to: account.mailbox.address,
        subject: 'Вопрос',
        text: 'Есть готовые проекты?',
      }),
    );
    const conversationId = await waitForInbound(account, 1);
    const answer = await reply(conversationId, 'Да, пришлю каталог.');
    const before = await admin.get(`/conversations/${conversationId}`);

    await dovecot.append(
      account.mailbox,
      bounceOf({ to: account.mailbox.address, recipient: client, returnedMessageId: answer.externalId! }),
    );
    const failed = await waitUntil('the reply to be marked failed', async () => {
      const found = (await messagesOf(conversationId)).find((message) => message.id === answer.id);
      return found?.status === 'failed' ? found : undefined;
    });
    expect(failed.failure).toMatchObject({ code: '5.1.1' });
    expect(failed.failure!.reason).toContain('User unknown');
    expect(await inboundCount(account)).toBe(1);
    const after = await admin.get(`/conversations/${conversationId}`);
    expect(after.body).toMatchObject({ unreadCount: before.body.unreadCount, lastMessage: before.body.lastMessage });
  });

  it('should keep an auto-reply flagged without reopening the conversation or counting it unread', async () => {
    const account = await connect();
    const client = clientAddress();
    await dovecot.append(
      account.mailbox,
      await composeMail({ from: client, to: account.mailbox.address, subject: 'Замер', text: 'Нужен замер окон' }),
    );
    const conversationId = await waitForInbound(account, 1);
    const answer = await reply(conversationId, 'Запишем на четверг?');
    await api.db
      .collection('conversations')
      .updateOne({ _id: new Types.ObjectId(conversationId) }, { $set: { status: 'resolved', resolvedAt: new Date() } });

    await dovecot.append(
      account.mailbox,
      await composeMail({
        from: client,
        to: account.mailbox.address,
        subject: 'Автоответ: Re: Замер',
        text: 'Я в отпуске до 10 марта.',
        inReplyTo: answer.externalId,
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
      }),
    );
    await waitForInbound(account, 2);
    const messages = await messagesOf(conversationId);
    expect(messages[0]!.content).toMatchObject({ kind: 'email', autoReply: true, text: 'Я в отпуске до 10 марта.' });
    const conversation = await admin.get(`/conversations/${conversationId}`);
    expect(conversation.body).toMatchObject({ status: 'resolved', unreadCount: 0 });
    expect(conversation.body.lastMessage.direction).toBe('out');
  });

  it('should keep an attachment through the files API and refuse a type the inbox does not take', async () => {
    const account = await connect();
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 1)]);
    await dovecot.append(
      account.mailbox,
      await composeMail({
        from: clientAddress(),
        to: account.mailbox.address,
        subject: 'Документы',
        text: 'Паспорт объекта и программа',
        attachments: [
          { filename: 'паспорт.pdf', content: pdf, contentType: 'application/pdf' },
          // A program, whatever it calls itself: the bytes say ELF.
          { filename: 'смета.pdf.exe', content: elf, contentType: 'application/pdf' },
        ],
      }),
    );
    const conversationId = await waitForInbound(account, 1);
    const message = await waitUntil('the attachments to be settled', async () => {
      const [found] = await messagesOf(conversationId);
      return found?.content.attachments?.every((attachment) => attachment.state !== 'pending') ? found : undefined;
    });
    const [kept, refused] = message.content.attachments!;
    expect(kept).toMatchObject({ state: 'kept', mimeType: 'application/pdf', fileName: 'паспорт.pdf' });
    expect(refused).toMatchObject({ state: 'failed', fileName: 'смета.pdf.exe' });
    const file = await fetch(`${api.baseUrl}${kept!.url}`, { headers: { cookie: admin.cookie! } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(pdf);
  });

  it('should give mail read after an admin puts the mailbox in a team to that team', async () => {
    const account = await connect();
    const team = await admin.post('/teams', { name: `Почта ${randomInt(1, 1_000_000)}` });
    expect(team.status).toBe(201);
    // The mailbox's reader is running already: the change must reach what it reads next.
    const changed = await admin.patch(`/channels/${account.id}`, { teamIds: [team.body.id] });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    // The change reaches the reader on its next check of the accounts (the cache lasts 5 s).
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await dovecot.append(
      account.mailbox,
      await composeMail({
        from: { name: 'Олег', address: clientAddress() },
        to: account.mailbox.address,
        subject: 'Окна в дом',
        text: 'Нужны окна на второй этаж.',
        messageId: `<team-${randomInt(1, 1_000_000)}@client.test>`,
      }),
    );
    const conversationId = await waitForInbound(account, 1);
    const conversation = await admin.get(`/conversations/${conversationId}`);
    expect(conversation.body.teamIds).toEqual([team.body.id]);
  });

  it('should read mail dropped straight into the maildir and refuse an envelope posted to its webhook path', async () => {
    const account = await connect();
    dovecot.deliverToMaildir(
      account.mailbox,
      await composeMail({ from: clientAddress(), to: account.mailbox.address, subject: 'Привет', text: 'Из maildir' }),
    );
    // A mail delivered while the app idles arrives by IDLE's notice or by the next check.
    const conversationId = await waitForInbound(account, 1);
    expect((await messagesOf(conversationId))[0]!.content.text).toBe('Из maildir');

    const forged = await fetch(`${api.baseUrl}/hooks/email/${account.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'fake' }),
    });
    expect(forged.status).toBe(401);
    expect(await inboundCount(account)).toBe(1);
  });
});
