import { once } from 'node:events';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface CapturedMail {
  /** The envelope: MAIL FROM and RCPT TO as the client sent them. */
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** Date.now() when the mail was taken: rate checks read it. */
  at: number;
}

export interface SmtpCapture {
  host: string;
  port: number;
  mails(): CapturedMail[];
  /** The next RCPT TO is answered with this reply, e.g. `550 5.1.1 User unknown` (RFC 5321 4.2). */
  failNextRecipient(code: number, text: string): void;
  /**
   * Stalls the next mail after its data has arrived, before it is kept and answered: released, it
   * is kept; if its client hangs up first (a killed sender), it is dropped as a server would.
   */
  holdNextMail(): { arrived: Promise<void>; abandoned: Promise<void>; release(): void };
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
  const holds: { arrive: () => void; abandon: () => void; released: Promise<void> }[] = [];
  // Sessions whose client hung up, by id, so a held mail knows its sender is gone.
  const closed = new Map<string, () => void>();

  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // The app keeps pooled SMTP sessions open between mails: stopping drops them, as a restart would.
    closeTimeout: 200,
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
    onClose(session) {
      closed.get(session.id)?.();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const hold = holds.shift();
        const held = hold
          ? new Promise<boolean>((resolve) => {
              hold.arrive();
              closed.set(session.id, () => resolve(false));
              void hold.released.then(() => resolve(true));
            })
          : Promise.resolve(true);
        held
          .then((keep) => {
            closed.delete(session.id);
            if (keep) return simpleParser(raw);
            hold?.abandon();
            return undefined;
          })
          .then((parsed) => {
            if (!parsed) return callback(new Error('The client is gone'));
            captured.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              raw,
              parsed,
              at: Date.now(),
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
    holdNextMail() {
      let arrive = () => {};
      let abandon = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const abandoned = new Promise<void>((resolve) => (abandon = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ arrive, abandon, released });
      return { arrived, abandoned, release };
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
