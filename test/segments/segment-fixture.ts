import { Types, type Connection } from 'mongoose';
import { contactModels, type ContactRecord } from '../../server/contacts/contact-models.js';
import { identityKey, type Channel } from '../../server/contacts/normalize-identity.js';
import { dealModel, type DealStatus } from '../../server/deals/deal-model.js';
import { conversationModel } from '../../server/messaging/conversation-model.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** A whole contact as stored, with the schema's defaults, for writing straight to the collection. */
export function contactDoc(fields: Partial<ContactRecord> & { identityChannels?: Channel[] }): ContactRecord {
  const { identityChannels = [], ...rest } = fields;
  const now = new Date();
  return {
    _id: new Types.ObjectId(),
    status: 'active',
    name: '',
    phones: [],
    emails: [],
    identities: identityChannels.map((channel) => {
      const externalId = `${channel}-${new Types.ObjectId().toHexString()}`;
      return { channel, externalId, key: identityKey({ channel, externalId }) };
    }),
    teamIds: [],
    tags: [],
    customFields: {},
    consent: {},
    createdAt: now,
    updatedAt: now,
    ...rest,
  };
}

/** Writes contacts as given (createdAt included, which mongoose's timestamps would overwrite). */
export async function insertContactDocs(db: Connection, docs: ContactRecord[]): Promise<void> {
  for (let start = 0; start < docs.length; start += 1000)
    await contactModels(db).Contact.collection.insertMany(docs.slice(start, start + 1000));
}

export interface DealFixture {
  contactId: Types.ObjectId;
  pipelineId: Types.ObjectId;
  stageId: string;
  status: DealStatus;
}

/** Deals with just what segments read (contact, pipeline, stage, status), written in one insert. */
export async function insertDeals(db: Connection, deals: DealFixture[]): Promise<void> {
  const Deal = await dealModel(db);
  const now = new Date();
  await Deal.collection.insertMany(
    deals.map((deal) => ({
      title: 'Сделка',
      amount: 0,
      currency: 'RUB',
      ownerId: new Types.ObjectId(),
      customFields: {},
      stageHistory: [],
      copies: [],
      createdBy: { kind: 'automation', id: 'test' },
      revision: 0,
      createdAt: now,
      updatedAt: now,
      ...deal,
    })),
  );
}

/** Conversations whose last message was at the given moment, one per entry, written in one insert. */
export async function insertConversations(
  db: Connection,
  conversations: { contactId: Types.ObjectId; lastMessageAt: Date }[],
): Promise<void> {
  const Conversation = conversationModel(db);
  await Conversation.init();
  await Conversation.collection.insertMany(
    conversations.map(({ contactId, lastMessageAt }) => ({
      contactId,
      channel: 'telegram',
      channelAccountId: new Types.ObjectId(),
      chatId: new Types.ObjectId().toHexString(),
      status: 'open',
      handler: 'human',
      teamIds: [],
      lastMessageAt,
      unreadCount: 0,
      priority: 'none',
      labels: [],
      createdAt: lastMessageAt,
      updatedAt: lastMessageAt,
    })),
  );
}
