import type { Types } from 'mongoose';
import type { ApiServices } from '../../api/api-services.js';
import type { AuthUser } from '../../api/define-route.js';
import { userModels } from '../../users/user-models.js';
import { claimDigest, markDigestSent, releaseDigest } from './claim-digest.js';
import { digestContent } from './digest-content.js';
import { resolveDigestMailer } from './digest-mailer.js';
import { digestWeek } from './digest-week.js';
import { renderDigestMail } from './render-digest-mail.js';
import { sentDigestModel } from './sent-digest-model.js';
import { workspaceTimeZone } from './workspace-time-zone.js';

/** Who gets the digest: the people who review the work. */
export const DIGEST_ROLES = ['admin', 'manager'] as const;

export interface DigestRun {
  week: string;
  recipients: number;
  sent: number;
  /** Sent already by an earlier run, or being sent by another one right now. */
  skipped: number;
  /** Nothing to send with (no SYSTEM_SMTP_URL, no mailbox): the digest waits for one. */
  noMailer?: true;
}

/** Some mails of a run could not be sent; the job's retry sends those (and only those). */
export class DigestSendError extends Error {
  readonly code = 'digest_send_failed';
  constructor(
    readonly failed: string[],
    cause: unknown,
  ) {
    super(`The weekly digest could not be sent to ${failed.join(', ')}`, { cause });
    this.name = 'DigestSendError';
  }
}

interface Recipient {
  _id: Types.ObjectId;
  name: string;
  email: string;
  role: (typeof DIGEST_ROLES)[number];
  teamIds: Types.ObjectId[];
  language?: string | null;
}

/** The person the reports are computed as: a manager or an admin sees every figure of the workspace. */
function asReader(user: Recipient): AuthUser {
  return {
    id: user._id.toHexString(),
    name: user.name,
    email: user.email,
    role: user.role,
    teamIds: user.teamIds.map((id) => id.toHexString()),
  };
}

/**
 * Sends the weekly digest of the last whole week before `now` (workspace time zone) to every
 * active manager and admin, each in their language, once per person and week however often it
 * runs: each mail is claimed in `sent_digests` first and marked sent after the SMTP server took it.
 */
export async function sendWeeklyDigest(
  services: ApiServices,
  options: { now?: Date; env?: NodeJS.ProcessEnv } = {},
): Promise<DigestRun> {
  const timeZone = await workspaceTimeZone(services.db);
  const week = digestWeek(options.now ?? new Date(), timeZone);
  const { User } = userModels(services.db);
  const everyone = await User.find(
    { active: true, role: { $in: DIGEST_ROLES } },
    { name: 1, email: 1, role: 1, teamIds: 1, language: 1 },
  )
    .sort({ _id: 1 })
    .lean<Recipient[]>();
  const SentDigest = await sentDigestModel(services.db);
  const done = new Set(
    (await SentDigest.find({ week: week.key, status: 'sent' }, { userId: 1 }).lean()).map((record) =>
      record.userId.toHexString(),
    ),
  );
  const due = everyone.filter((user) => !done.has(user._id.toHexString()));
  const run: DigestRun = {
    week: week.key,
    recipients: everyone.length,
    sent: 0,
    skipped: everyone.length - due.length,
  };
  if (due.length === 0) return run;

  const mailer = await resolveDigestMailer(services, options.env);
  if (!mailer) {
    services.logger.warn({ week: week.key }, 'weekly digest not sent: set SYSTEM_SMTP_URL or connect a mailbox');
    return { ...run, noMailer: true };
  }
  const failed: string[] = [];
  let lastError: unknown;
  try {
    const content = await digestContent(services, asReader(due[0]!), week, timeZone);
    const reportsUrl = `${services.config.publicUrl}/#/reports/funnel?from=${week.days.from}&to=${week.days.to}`;
    const host = new URL(services.config.publicUrl).hostname;
    for (const user of due) {
      const id = user._id.toHexString();
      if (!(await claimDigest(services.db, week.key, { id, email: user.email }, new Date()))) {
        run.skipped += 1;
        continue;
      }
      const mail = renderDigestMail(
        content,
        { name: user.name, language: user.language === 'en' ? 'en' : 'ru' },
        reportsUrl,
      );
      const messageId = `<digest-${week.key}-${id}@${host}>`;
      try {
        await mailer.send({ to: { name: user.name, address: user.email }, ...mail, messageId });
      } catch (error) {
        await releaseDigest(services.db, week.key, id);
        failed.push(user.email);
        lastError = error;
        continue;
      }
      await markDigestSent(services.db, week.key, id, messageId);
      run.sent += 1;
    }
  } finally {
    mailer.close();
  }
  services.logger.info({ ...run, via: mailer.describe, failed: failed.length }, 'weekly digest');
  if (failed.length > 0) throw new DigestSendError(failed, lastError);
  return run;
}
