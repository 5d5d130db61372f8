import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Types } from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import type { SendContext } from '../../bot/channels/channel-adapter.js';
import { SendError } from '../../bot/channels/channel-errors.js';
import type { InboundEvent } from '../../bot/channels/channel-events.js';
import { createEmailAdapter, type EmailAccount } from '../../bot/email/email-adapter.js';
import { signedEnvelopeRequest } from '../../bot/email/email-envelope-signature.js';
import { ourMessageId } from '../../bot/email/email-message-ids.js';
import { emailSettingsSchema } from '../../bot/email/email-schemas.js';
import { readEmail } from '../../bot/email/read-email.js';
import { replySubject } from '../../bot/email/send-email.js';
import { bounceOf, composeMail } from '../stand-ins/client-mail.js';
import { startSmtpCapture, type SmtpCapture } from '../stand-ins/smtp-capture.js';

/** The e-mail adapter's own rules, beyond the shared conformance suite. */

const adapter = createEmailAdapter();
const ADDRESS = 'sales@ecodom.test';

function account(smtp?: SmtpCapture, password = 'app-password-1'): EmailAccount {
  return {
    id: new Types.ObjectId().toHexString(),
    type: 'email',
    name: 'ЭкоДом',
    settings: emailSettingsSchema.parse({
      address: ADDRESS,
      imapHost: '127.0.0.1',
      imapPort: 9,
      imapSecure: false,
      smtpHost: '127.0.0.1',
      smtpPort: smtp?.port ?? 9,
      smtpSecure: false,
      username: ADDRESS,
    }),
    secrets: { password },
  };
}

async function parse(raw: Buffer | string, owner: EmailAccount): Promise<InboundEvent[]> {
  const { envelope } = await readEmail(Buffer.from(raw), new Date());
  const request = signedEnvelopeRequest(envelope, owner.secrets.password);
  adapter.verify(request, owner);
  return adapter.parse(request, owner);
}

function context(content: unknown, messageId = new Types.ObjectId().toHexString()): SendContext {
  return {
    chatId: '<root@client.test>',
    messageId,
    openFile: async () => Readable.from([Buffer.from('%PDF-1.4\n')]),
    fileUrl: () => 'https://files.example/f',
    lastInbound: async () => ({ externalMessageId: '<last@client.test>', content }),
  };
}

const answered = {
  kind: 'email',
  subject: 'Re: Дом',
  from: { address: 'anna@client.test', name: 'Анна' },
  messageId: '<last@client.test>',
  references: ['<root@client.test>', '<ours@ecodom.test>'],
};

describe('email adapter', () => {
  let smtp: SmtpCapture | undefined;
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });

  it('should answer in the thread: Re: once, In-Reply-To the last mail, References the whole chain', async () => {
    smtp = await startSmtpCapture({ username: ADDRESS, password: 'app-password-1' });
    const owner = account(smtp);
    const messageId = new Types.ObjectId().toHexString();
    const result = await adapter.send({ text: 'Ответ' }, context(answered, messageId), owner);
    const [mail] = smtp.mails();
    expect(result.externalMessageId).toBe(ourMessageId(messageId, owner.id, ADDRESS));
    expect(mail!.parsed.messageId).toBe(result.externalMessageId);
    expect(mail!.parsed.subject).toBe('Re: Дом');
    expect(mail!.parsed.inReplyTo).toBe('<last@client.test>');
    expect(mail!.parsed.references).toEqual(['<root@client.test>', '<ours@ecodom.test>', '<last@client.test>']);
    expect(mail!.to).toEqual(['anna@client.test']);
    expect(replySubject('RE: Отв: Re: Смета')).toBe('Re: Смета');
  });

  it('should fail a send permanently when the SMTP login is refused, and transiently when nobody answers', async () => {
    smtp = await startSmtpCapture({ username: ADDRESS, password: 'app-password-1' });
    const refused = await adapter
      .send({ text: 'x' }, context(answered), account(smtp, 'wrong'))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SendError);
    expect((refused as SendError).kind).toBe('permanent');
    expect((refused as SendError).retryable).toBe(false);

    const down = await adapter.send({ text: 'x' }, context(answered), account()).catch((error: unknown) => error);
    expect((down as SendError).kind).toBe('transient');
  });

  it('should fail permanently on a 5xx refusal that is not a dead mailbox', async () => {
    smtp = await startSmtpCapture({ username: ADDRESS, password: 'app-password-1' });
    smtp.failNextRecipient(550, '5.7.1 Message rejected as spam');
    const error = await adapter.send({ text: 'x' }, context(answered), account(smtp)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'permanent', providerCode: '5.7.1' });
  });

  it('should refuse to send with nothing to answer', async () => {
    const error = await adapter.send({ text: 'x' }, context(undefined), account()).catch((e: unknown) => e);
    expect((error as SendError).kind).toBe('permanent');
  });

  it('should tell auto-replies by their headers, and a person’s mail that says Auto-Submitted: no', async () => {
    const owner = account();
    const kinds = async (headers: Record<string, string>) => {
      const [event] = await parse(
        await composeMail({ from: 'anna@client.test', to: ADDRESS, subject: 's', text: 't', headers }),
        owner,
      );
      return event?.type === 'message' && event.content.kind === 'email' ? Boolean(event.content.autoReply) : undefined;
    };
    expect(await kinds({ 'Auto-Submitted': 'auto-replied' })).toBe(true);
    expect(await kinds({ 'X-Autorespond': 'yes' })).toBe(true);
    expect(await kinds({ Precedence: 'bulk' })).toBe(true);
    expect(await kinds({ 'Auto-Submitted': 'no' })).toBe(false);
    expect(await kinds({})).toBe(false);
  });

  it('should read a bounce of our mail as its failure, and ignore delays and bounces of mail not ours', async () => {
    const owner = account();
    const ours = ourMessageId(new Types.ObjectId().toHexString(), owner.id, ADDRESS);
    const failed = await parse(
      bounceOf({ to: ADDRESS, recipient: 'gone@client.test', returnedMessageId: ours }),
      owner,
    );
    expect(failed).toEqual([
      expect.objectContaining({ type: 'status', status: 'failed', externalMessageId: ours, error: expect.anything() }),
    ]);
    const delayed = bounceOf({ to: ADDRESS, recipient: 'slow@client.test', returnedMessageId: ours }).replace(
      'Action: failed',
      'Action: delayed',
    );
    expect(await parse(delayed, owner)).toEqual([]);
    const notOurs = bounceOf({ to: ADDRESS, recipient: 'x@client.test', returnedMessageId: '<other@elsewhere.test>' });
    expect(await parse(notOurs, owner)).toEqual([]);
  });

  it('should skip the mailbox’s own mail and give a mail without Message-ID a stable id of its bytes', async () => {
    const owner = account();
    const own = await composeMail({ from: ADDRESS, to: 'anna@client.test', subject: 'copy', text: 'копия' });
    expect(await parse(own, owner)).toEqual([]);

    const anonymous = [
      'From: Анна <anna@client.test>',
      `To: ${ADDRESS}`,
      'Subject: no id',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `тело ${randomBytes(4).toString('hex')}`,
    ].join('\r\n');
    const [first] = await parse(anonymous, owner);
    const [second] = await parse(anonymous, owner);
    expect(first?.type === 'message' && first.externalMessageId).toMatch(/^<[0-9a-f]{64}@hash\.invalid>$/);
    expect(second?.type === 'message' && second.externalMessageId).toBe(
      first?.type === 'message' && first.externalMessageId,
    );
  });
});
