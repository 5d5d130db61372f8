import { randomBytes, randomInt } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import { contactModels, type ContactRecord, type StoredIdentity } from '../../server/contacts/contact-models.js';
import { identityKey, type Channel } from '../../server/contacts/normalize-identity.js';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { segmentModel } from '../../server/segments/segment-model.js';

/** How a test contact can be reached: each key adds that way (an identity on an account, a phone, an e-mail). */
export interface ContactReach {
  telegram?: { accountId: string; userId: number };
  whatsapp?: { accountId: string; phone: string };
  phone?: string;
  email?: string;
  optedOut?: Channel[];
}

function identity(channel: Channel, accountId: string, externalId: string): StoredIdentity {
  return { channel, accountId, externalId, key: identityKey({ channel, accountId, externalId }) };
}

/** A phone number no other test contact has. */
export function uniquePhone(): string {
  return `+79${randomInt(10 ** 8, 10 ** 9)}`;
}

/**
 * Writes contacts straight to the store (thousands in one insert), tagged `tag` so a segment
 * can select exactly them. Answers their ids in the order given.
 */
export async function insertContacts(db: Connection, tag: string, reaches: ContactReach[]): Promise<Types.ObjectId[]> {
  const now = new Date();
  const rows: ContactRecord[] = reaches.map((reach, index) => {
    const identities: StoredIdentity[] = [];
    if (reach.telegram) identities.push(identity('telegram', reach.telegram.accountId, String(reach.telegram.userId)));
    if (reach.whatsapp) identities.push(identity('whatsapp', reach.whatsapp.accountId, reach.whatsapp.phone));
    const phone = reach.phone ?? reach.whatsapp?.phone;
    return {
      _id: new Types.ObjectId(),
      status: 'active',
      name: index % 7 === 0 ? '' : `Клиент ${index}`,
      phones: phone ? [{ raw: phone, e164: phone }] : [],
      emails: reach.email ? [reach.email] : [],
      identities,
      teamIds: [],
      tags: [tag],
      customFields: {},
      consent: Object.fromEntries((reach.optedOut ?? []).map((channel) => [channel, { status: 'opted-out', at: now }])),
      createdAt: now,
      updatedAt: now,
    };
  });
  for (let start = 0; start < rows.length; start += 1000)
    await contactModels(db).Contact.collection.insertMany(rows.slice(start, start + 1000));
  return rows.map((row) => row._id);
}

/** A filter segment of everyone tagged `tag`. */
export async function tagSegment(db: Connection, tag: string, createdById: string): Promise<string> {
  const segment = await segmentModel(db).create({
    name: `Тег ${tag}`,
    kind: 'filter',
    definition: { match: 'all', conditions: [{ field: 'tag', op: 'has', value: tag }] },
    createdById: new Types.ObjectId(createdById),
  });
  return segment._id.toHexString();
}

/** A conversation in which the person last wrote at `lastInboundAt` (the WhatsApp service window's start). */
export async function conversationWith(
  db: Connection,
  input: { contactId: Types.ObjectId; accountId: string; channel: string; chatId: string; lastInboundAt: Date },
): Promise<void> {
  await conversationModel(db).create({
    contactId: input.contactId,
    channel: input.channel,
    channelAccountId: new Types.ObjectId(input.accountId),
    chatId: input.chatId,
    status: 'open',
    handler: 'human',
    teamIds: [],
    lastMessageAt: input.lastInboundAt,
    lastInboundAt: input.lastInboundAt,
    unreadCount: 0,
    priority: 'none',
    labels: [],
  });
}

export function randomTag(): string {
  return `t-${randomBytes(4).toString('hex')}`;
}

/** The most sends any window of `windowMs` holds, from send times in ms. */
export function maxInWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
