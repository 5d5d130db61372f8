import { Readable } from 'node:stream';
import { Types } from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import type { SendContext } from '../../bot/channels/channel-adapter.js';
import { outboundMessageSchema } from '../../bot/channels/channel-events.js';
import { createEmailAdapter, type EmailAccount } from '../../bot/email/email-adapter.js';
import { emailSettingsSchema } from '../../bot/email/email-schemas.js';
import { startSmtpCapture, type SmtpCapture } from '../stand-ins/smtp-capture.js';

/**
 * A marketing mail's unsubscribe link as the mail program receives it: sent by the e-mail adapter
 * through nodemailer to the SMTP capture stand-in and read back with mailparser.
 */

const ADDRESS = 'news@ecodom.test';
const UNSUBSCRIBE = `https://crm.example.ru/u/${new Types.ObjectId().toHexString()}.email.q1w2e3r4t5y6u7i8o9p0aZ`;

function account(smtp: SmtpCapture): EmailAccount {
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
      smtpPort: smtp.port,
      smtpSecure: false,
      username: ADDRESS,
    }),
    secrets: { password: 'app-password-1' },
  };
}

function context(chatId: string, lastInbound?: unknown): SendContext {
  return {
    chatId,
    messageId: new Types.ObjectId().toHexString(),
    openFile: async () => Readable.from([Buffer.from('x')]),
    fileUrl: () => 'https://files.example/f',
    lastInbound: async () =>
      lastInbound ? { externalMessageId: '<last@client.test>', content: lastInbound } : undefined,
  };
}

describe('email unsubscribe link', () => {
  let smtp: SmtpCapture | undefined;
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });

  it('should carry List-Unsubscribe with one-click POST and a footer link in the text and HTML parts', async () => {
    smtp = await startSmtpCapture({ username: ADDRESS, password: 'app-password-1' });
    const message = outboundMessageSchema.parse({
      text: 'Скидка 10% на каркасные дома до конца месяца.',
      email: { subject: 'Осеннее предложение', html: '<html><body><p>Скидка <b>10%</b></p></body></html>' },
      unsubscribeUrl: UNSUBSCRIBE,
    });
    await createEmailAdapter().send(message, context('anna@client.test'), account(smtp));

    const [mail] = smtp.mails();
    expect(mail!.to).toEqual(['anna@client.test']);
    const raw = mail!.raw.toString('utf8').replace(/\r\n[ \t]+/g, ' ');
    expect(raw).toContain(`List-Unsubscribe: <${UNSUBSCRIBE}>`);
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail!.parsed.text).toContain(`Отписаться от рассылки / Unsubscribe: ${UNSUBSCRIBE}`);
    expect(mail!.parsed.text).toMatch(/^Скидка 10% на каркасные дома/);
    expect(mail!.parsed.html).toMatch(
      new RegExp(
        `<p>Скидка <b>10%</b></p><p [^>]*><a href="${UNSUBSCRIBE.replace(/\./g, '\\.')}">[^<]+</a></p></body>`,
      ),
    );
  });

  it('should leave an operator’s reply without unsubscribe headers or footer', async () => {
    smtp = await startSmtpCapture({ username: ADDRESS, password: 'app-password-1' });
    const answered = {
      kind: 'email',
      subject: 'Дом',
      from: { address: 'anna@client.test' },
      messageId: '<last@client.test>',
      references: [],
    };
    await createEmailAdapter().send({ text: 'Ответ' }, context('<last@client.test>', answered), account(smtp));
    const [mail] = smtp.mails();
    expect(mail!.raw.toString('utf8')).not.toMatch(/List-Unsubscribe/i);
    expect(mail!.parsed.text?.trim()).toBe('Ответ');
  });
});
