import { once } from 'node:events';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface CapturedMail {
  /** The envelope: MAIL FROM and RCPT TO as the client sent them. */
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpCapture {
  host: string;
  port: number;
  mails(): CapturedMail[];
  /** The next RCPT TO is answered with this reply, e.g. `550 5.1.1 User unknown` (RFC 5321 4.2). */
  failNextRecipient(code: number, text: string): void;
  /** Waits for the n-th captured mail (1-based). */
  waitForMail(count: number, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

/**
 * An SMTP server (nodemailer's smtp-server) that accepts mail from one login and keeps it, for
 * tests of what the app sends. Plain SMTP with AUTH PLAIN/LOGIN on loopback, no STARTTLS.
 */
export async function startSmtpCapture(login: { username: string; password: string }): Promise<SmtpCapture> {
  const captured: CapturedMail[] = [];
  const waiters: (() => void)[] = [];
  let nextRefusal: { code: number; text: string } | undefined;

  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === login.username && auth.password === login.password) {
        callback(null, { user: auth.username });
        return;
      }
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const refusal = nextRefusal;
      nextRefusal = undefined;
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            captured.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              raw,
              parsed,
            });
            for (const wake of waiters.splice(0)) wake();
            callback();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('The SMTP stand-in is not listening on TCP');

  return {
    host: '127.0.0.1',
    port: address.port,
    mails: () => [...captured],
    failNextRecipient(code, text) {
      nextRefusal = { code, text };
    },
    async waitForMail(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (captured.length < count) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for mail #${count} (got ${captured.length})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 200);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return captured[count - 1]!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
