import { Types, type Connection } from 'mongoose';
import { isDuplicateKeyError } from '../../contacts/is-duplicate-key-error.js';
import { sentDigestModel } from './sent-digest-model.js';

/** How long a claim holds: longer than an SMTP send may take (nodemailer's timeouts add up to ~95 s). */
export const DIGEST_CLAIM_MS = 10 * 60_000;

/**
 * Takes the digest of `week` for one person, or says it is not ours to send: sent already, or
 * being sent by another run right now. The upsert matches only a record nobody holds; when the
 * record exists but is held or sent, the upsert's insert meets the unique (week, user) index.
 */
export async function claimDigest(
  db: Connection,
  week: string,
  user: { id: string; email: string },
  now: Date,
): Promise<boolean> {
  const SentDigest = await sentDigestModel(db);
  const userId = new Types.ObjectId(user.id);
  try {
    await SentDigest.updateOne(
      {
        week,
        userId,
        status: 'sending',
        $or: [{ claimedAt: { $exists: false } }, { claimedAt: { $lt: new Date(now.getTime() - DIGEST_CLAIM_MS) } }],
      },
      { $set: { claimedAt: now, email: user.email }, $setOnInsert: { week, userId, status: 'sending' } },
      { upsert: true },
    );
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

export async function markDigestSent(db: Connection, week: string, userId: string, messageId: string): Promise<void> {
  const SentDigest = await sentDigestModel(db);
  await SentDigest.updateOne(
    { week, userId: new Types.ObjectId(userId) },
    { $set: { status: 'sent', sentAt: new Date(), messageId }, $unset: { claimedAt: 1 } },
  );
}

/** A send that failed lets go of its claim, so the job's retry can take it at once. */
export async function releaseDigest(db: Connection, week: string, userId: string): Promise<void> {
  const SentDigest = await sentDigestModel(db);
  await SentDigest.updateOne(
    { week, userId: new Types.ObjectId(userId), status: 'sending' },
    { $unset: { claimedAt: 1 } },
  );
}
