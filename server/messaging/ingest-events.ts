import { Types } from 'mongoose';
import type { InboundEvent, InboundMessageEvent } from '../../bot/channels/channel-events.js';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { applyDeliveryStatus } from './apply-delivery-status.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { fileModel } from '../files/file-model.js';
import { enqueueMediaFetch } from './media-fetch-queue.js';
import { messageModel, type MessageRecord, type StoredContent } from './message-model.js';
import { previewOf, toConversationView, toMessageView, type MessageView } from './message-views.js';
import { resolveSenderContact } from './resolve-sender-contact.js';

export type IngestServices = Pick<ApiServices, 'db' | 'events' | 'queues' | 'logger'>;

export type IngestOutcome =
  | { type: 'message'; duplicate: boolean; message: MessageView }
  | { type: 'status'; applied: boolean }
  | { type: 'blocked'; conversations: number };

/**
 * The one path every inbound event takes, whatever the channel: stored exactly once (the
 * account + provider message id is a unique key, so redeliveries are absorbed), tied to a
 * contact and a conversation, then announced as a domain event. When this resolves the event is
 * durable, and only then may a webhook answer 200.
 */
export async function ingestEvents(
  services: IngestServices,
  account: LoadedAccount,
  events: InboundEvent[],
): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  // In order: a payload may carry a message and, after it, its own status.
  for (const event of events) {
    switch (event.type) {
      case 'message':
        outcomes.push(await ingestMessage(services, account, event));
        break;
      case 'status':
        outcomes.push({ type: 'status', applied: await applyDeliveryStatus(services, account, event) });
        break;
      case 'blocked':
        outcomes.push({
          type: 'blocked',
          conversations: await markUnreachable(services, account, event.from.externalId, event.at),
        });
        break;
    }
  }
  return outcomes;
}

function storedContent(event: InboundMessageEvent): StoredContent {
  const { content } = event;
  if (content.kind !== 'media') return content;
  const { media } = content;
  // The site chat's files are ours already; everything else is fetched from the provider once, after the ack.
  const kept = media.fileRef.startsWith('kept:') ? media.fileRef.slice('kept:'.length) : undefined;
  return {
    kind: 'media',
    ...(content.caption === undefined ? {} : { caption: content.caption }),
    // Written with the driver, which would store an undefined field as null: only set fields.
    media: {
      kind: media.kind,
      ...(kept && Types.ObjectId.isValid(kept) ? { fileId: new Types.ObjectId(kept) } : { fileRef: media.fileRef }),
      ...(media.mimeType ? { mimeType: media.mimeType } : {}),
      ...(media.fileName ? { fileName: media.fileName } : {}),
      ...(media.size === undefined ? {} : { size: media.size }),
      state: kept ? 'kept' : 'pending',
    },
  };
}

async function openConversation(
  services: IngestServices,
  account: LoadedAccount,
  event: InboundMessageEvent,
): Promise<{ conversation: ConversationRecord; contactCreated: boolean }> {
  const Conversation = conversationModel(services.db);
  const accountId = new Types.ObjectId(account.id);
  const existing = await Conversation.findOne({
    channelAccountId: accountId,
    chatId: event.chatId,
  }).lean<ConversationRecord>();
  if (existing) return { conversation: existing, contactCreated: false };
  const { contactId, created } = await resolveSenderContact(services, account, event.from, {
    source: event.source?.payload ? `${account.type}:${event.source.payload}` : undefined,
    utm: event.source?.utm,
    at: event.sentAt,
  });
  try {
    const conversation = await Conversation.findOneAndUpdate(
      { channelAccountId: accountId, chatId: event.chatId },
      {
        $setOnInsert: {
          contactId,
          channel: account.type,
          channelAccountId: accountId,
          chatId: event.chatId,
          status: 'open',
          handler: 'bot',
          teamIds: account.teamIds.map((id) => new Types.ObjectId(id)),
          lastMessageAt: event.sentAt,
          unreadCount: 0,
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean<ConversationRecord>();
    if (!conversation) throw new Error('The conversation upsert returned nothing');
    return { conversation, contactCreated: created };
  } catch (error) {
    // Two first messages of one chat at once: the other one created the conversation.
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await Conversation.findOne({
      channelAccountId: accountId,
      chatId: event.chatId,
    }).lean<ConversationRecord>();
    if (!winner) throw error;
    return { conversation: winner, contactCreated: false };
  }
}

async function ingestMessage(
  services: IngestServices,
  account: LoadedAccount,
  event: InboundMessageEvent,
): Promise<IngestOutcome> {
  const Message = messageModel(services.db);
  const dedupeKey = `${account.id}|${event.externalMessageId}`;
  const { conversation, contactCreated } = await openConversation(services, account, event);
  const content = await claimKeptFile(services, account, event, conversation, storedContent(event));
  const now = new Date();
  const record: MessageRecord = {
    _id: new Types.ObjectId(),
    conversationId: conversation._id,
    contactId: conversation.contactId,
    channel: account.type,
    channelAccountId: conversation.channelAccountId,
    direction: 'in',
    author: { kind: 'contact', ...(event.from.name ? { name: event.from.name } : {}) },
    content,
    dedupeKey,
    externalId: event.externalMessageId,
    status: 'received',
    attempts: 0,
    sentAt: event.sentAt,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await Message.collection.insertOne(record);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const stored = await Message.findOne({ dedupeKey }).lean<MessageRecord>();
    if (!stored) throw error;
    return { type: 'message', duplicate: true, message: toMessageView(stored) };
  }

  const updated = await conversationModel(services.db)
    .findOneAndUpdate(
      { _id: conversation._id },
      {
        $set: {
          status: 'open',
          lastMessage: { direction: 'in', preview: previewOf(content) },
          lastInboundAt: event.sentAt,
        },
        $max: { lastMessageAt: event.sentAt },
        $inc: { unreadCount: 1 },
        // They wrote to us, so they can be reached again (a Telegram user who unblocked the bot).
        $unset: { resolvedAt: 1, unreachableAt: 1 },
      },
      { returnDocument: 'after' },
    )
    .lean<ConversationRecord>();
  const message = toMessageView(record);
  if (content.kind === 'media' && content.media.state === 'pending') {
    await enqueueMediaFetch(services, record._id.toHexString());
  }
  services.events.emit({
    type: 'message.received',
    message,
    conversation: toConversationView(updated ?? conversation),
    contactCreated,
  });
  return { type: 'message', duplicate: false, message };
}

/**
 * A file the site visitor uploaded becomes part of their conversation, but only their own: an id
 * of someone else's file (guessed or copied) is refused, not attached.
 */
async function claimKeptFile(
  services: IngestServices,
  account: LoadedAccount,
  event: InboundMessageEvent,
  conversation: ConversationRecord,
  content: StoredContent,
): Promise<StoredContent> {
  if (content.kind !== 'media' || content.media.state !== 'kept' || !content.media.fileId) return content;
  const claimed = await fileModel(services.db)
    .findOneAndUpdate(
      { _id: content.media.fileId, visitorKey: `${account.id}:${event.chatId}` },
      { $set: { conversationId: conversation._id, contactId: conversation.contactId } },
      { returnDocument: 'after' },
    )
    .lean();
  if (!claimed) {
    const { fileId: _refused, ...media } = content.media;
    return { ...content, media: { ...media, state: 'failed', error: 'The file was not uploaded by this visitor' } };
  }
  return {
    ...content,
    media: { ...content.media, mimeType: claimed.mimeType, fileName: claimed.fileName, size: claimed.size },
  };
}

async function markUnreachable(
  services: IngestServices,
  account: LoadedAccount,
  chatId: string,
  at: Date,
): Promise<number> {
  const Conversation = conversationModel(services.db);
  const filter = { channelAccountId: new Types.ObjectId(account.id), chatId };
  const result = await Conversation.updateMany(filter, { $set: { unreachableAt: at } });
  for (const conversation of await Conversation.find(filter).lean<ConversationRecord[]>()) {
    services.events.emit({ type: 'conversation.updated', conversation: toConversationView(conversation) });
  }
  return result.modifiedCount;
}
