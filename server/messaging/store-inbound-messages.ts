import { Types } from 'mongoose';
import type { InboundMessageEvent } from '../../bot/channels/channel-events.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { consentKeywordOf } from '../consent/consent-keyword-of.js';
import { fileModel } from '../files/file-model.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { fetchableFile } from './fetchable-file.js';
import type { IngestOutcome, IngestServices } from './ingest-events.js';
import { MEDIA_FETCH_QUEUE, mediaFetchJob } from './media-fetch-queue.js';
import { messageModel, type MessageRecord, type StoredContent } from './message-model.js';
import { previewOf, toConversationView, toMessageView } from './message-views.js';
import { linkSenderKeys } from './link-sender-keys.js';
import { openConversation } from './open-conversation.js';
import { insertNewDocuments } from '../db/insert-new-documents.js';
import { isAnswer } from './is-answer.js';

export interface InboundItem {
  account: LoadedAccount;
  event: InboundMessageEvent;
}

type Outcome = Extract<IngestOutcome, { type: 'message' }>;

const chatKey = (accountId: string, chatId: string) => `${accountId}|${chatId}`;

/**
 * Stores a batch of inbound messages in a handful of round trips whatever its size: one read of
 * the known conversations, one insert of all messages (the unique dedupe key turns redeliveries
 * into per-message duplicate errors), one bulk update of the conversations, one read back. Only a
 * chat's first message takes the slower path that finds or creates its contact. Each item gets
 * its own outcome or error; when the promise resolves every stored message is durable.
 */
export async function storeInboundMessages(
  services: IngestServices,
  items: InboundItem[],
): Promise<(Outcome | Error)[]> {
  const results: (Outcome | Error | undefined)[] = new Array(items.length).fill(undefined);
  const conversations = await knownConversations(services, items);
  const contactCreated = new Set<number>();
  // A chat's first message finds or creates its contact; different chats do so side by side,
  // and two first messages of one chat in the batch wait for the same opening.
  const firstOfChat = new Map<string, number>();
  for (const [index, { account, event }] of items.entries()) {
    const key = chatKey(account.id, event.chatId);
    if (!conversations.has(key) && !firstOfChat.has(key)) firstOfChat.set(key, index);
  }
  const failures = new Map<string, Error>();
  await Promise.all(
    [...firstOfChat].map(async ([key, index]) => {
      const { account, event } = items[index]!;
      try {
        const opened = await openConversation(services, account, event);
        conversations.set(key, opened.conversation);
        if (opened.contactCreated) contactCreated.add(index);
      } catch (error) {
        failures.set(key, error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
  for (const [index, { account, event }] of items.entries()) {
    const failure = failures.get(chatKey(account.id, event.chatId));
    if (failure) results[index] = failure;
  }

  const now = new Date();
  const records: { index: number; record: MessageRecord }[] = [];
  for (const [index, { account, event }] of items.entries()) {
    const conversation = conversations.get(chatKey(account.id, event.chatId));
    if (!conversation || results[index]) continue;
    const content = await claimKeptFile(services, account, event, conversation, storedContent(event));
    records.push({
      index,
      record: {
        _id: new Types.ObjectId(),
        conversationId: conversation._id,
        contactId: conversation.contactId,
        channel: account.type,
        channelAccountId: conversation.channelAccountId,
        direction: 'in',
        author: { kind: 'contact', ...(event.from.name ? { name: event.from.name } : {}) },
        content,
        dedupeKey: `${account.id}|${event.externalMessageId}`,
        externalId: event.externalMessageId,
        status: 'received',
        attempts: 0,
        sentAt: event.sentAt,
        createdAt: now,
        updatedAt: now,
      },
    });
  }

  const duplicates = await insertNewDocuments(
    messageModel(services.db).collection,
    records.map(({ record }) => record),
  );
  const inserted = records.filter((_, position) => !duplicates.has(position));
  if (duplicates.size > 0) {
    const keys = [...duplicates].map((position) => records[position]!.record.dedupeKey!);
    const stored = await messageModel(services.db)
      .collection.find({ dedupeKey: { $in: keys } })
      .toArray();
    const byKey = new Map(stored.map((row) => [row.dedupeKey as string, row as unknown as MessageRecord]));
    for (const position of duplicates) {
      const { index, record } = records[position]!;
      const existing = byKey.get(record.dedupeKey!);
      results[index] = existing
        ? { type: 'message', duplicate: true, message: toMessageView(existing) }
        : new Error(`Message ${record.dedupeKey} collided but cannot be found`);
    }
  }

  // STOP, START…: the consent changes (followUpInbound) and a note says so; nobody answers the word.
  const keywords = new Set(
    inserted
      .filter(({ index, record }) => consentKeywordOf(items[index]!.account, record.content))
      .map(({ record }) => record),
  );
  const answers = new Set(
    inserted.map(({ record }) => record).filter((record) => !keywords.has(record) && isAnswer(record)),
  );
  const updated = await updateConversations(
    services,
    inserted.map(({ record }) => record),
    answers,
    keywords,
  );
  // A first message linked the sender's keys while opening its conversation; later ones do it here.
  await linkSenderKeys(
    services,
    inserted
      .filter(({ index }) => firstOfChat.get(chatKey(items[index]!.account.id, items[index]!.event.chatId)) !== index)
      .map(({ index }) => items[index]!),
  );
  const media = inserted.filter(({ record }) => fetchableFile(record.content)?.media.state === 'pending');
  if (media.length > 0) {
    await services.queues
      .queue(MEDIA_FETCH_QUEUE)
      .addBulk(media.map(({ record }) => mediaFetchJob(record._id.toHexString())));
  }
  for (const { index, record } of inserted) {
    const message = toMessageView(record);
    const conversation = updated.get(record.conversationId.toHexString());
    results[index] = { type: 'message', duplicate: false, message };
    if (!conversation) continue;
    if (!answers.has(record)) {
      // Shown on the timeline, but nobody (the bot, a flow) is to answer an autoresponder or a STOP.
      services.events.emit({ type: 'message.created', message, conversation: toConversationView(conversation) });
      continue;
    }
    services.events.emit({
      type: 'message.received',
      message,
      conversation: toConversationView(conversation),
      contactCreated: contactCreated.has(index),
    });
  }
  // The person's message opened a snoozed or resolved conversation: once per conversation, for the bot and flows.
  for (const [key, before] of conversations) {
    const after = updated.get(before._id.toHexString());
    if (!after || after.status === before.status) continue;
    services.events.emit({
      type: 'conversation.status',
      conversation: toConversationView(after),
      previousStatus: before.status,
      by: null,
    });
    conversations.delete(key);
  }
  return results.map((result) => result ?? new Error('The message was not stored'));
}

async function knownConversations(
  services: IngestServices,
  items: InboundItem[],
): Promise<Map<string, ConversationRecord>> {
  const chatsByAccount = new Map<string, Set<string>>();
  for (const { account, event } of items) {
    const chats = chatsByAccount.get(account.id) ?? new Set<string>();
    chats.add(event.chatId);
    chatsByAccount.set(account.id, chats);
  }
  const rows = await conversationModel(services.db)
    .collection.find({
      $or: [...chatsByAccount].map(([accountId, chats]) => ({
        channelAccountId: new Types.ObjectId(accountId),
        chatId: { $in: [...chats] },
      })),
    })
    .toArray();
  const found = new Map<string, ConversationRecord>();
  for (const row of rows as unknown as ConversationRecord[]) {
    found.set(chatKey(row.channelAccountId.toHexString(), row.chatId), row);
  }
  return found;
}

/** Inserts all records; answers the positions the unique dedupe key refused (redeliveries). */
/** One update per conversation for all its new messages, then the conversations as they now are. */
async function updateConversations(
  services: IngestServices,
  records: MessageRecord[],
  answers: ReadonlySet<MessageRecord>,
  keywords: ReadonlySet<MessageRecord>,
): Promise<Map<string, ConversationRecord>> {
  const perConversation = new Map<
    string,
    { id: Types.ObjectId; count: number; first: MessageRecord; last: MessageRecord }
  >();
  for (const record of records.filter((candidate) => answers.has(candidate))) {
    const id = record.conversationId.toHexString();
    const entry = perConversation.get(id) ?? { id: record.conversationId, count: 0, first: record, last: record };
    entry.count += 1;
    if ((record.sentAt?.getTime() ?? 0) >= (entry.last.sentAt?.getTime() ?? 0)) entry.last = record;
    if ((record.sentAt?.getTime() ?? 0) < (entry.first.sentAt?.getTime() ?? 0)) entry.first = record;
    perConversation.set(id, entry);
  }
  if (records.length === 0) return new Map();
  const Conversation = conversationModel(services.db).collection;
  if (perConversation.size > 0) {
    await Conversation.bulkWrite(
      [...perConversation.values()].map(({ id, count, first, last }) => ({
        updateOne: {
          filter: { _id: id },
          update: {
            $set: {
              status: 'open',
              lastMessage: { direction: 'in', preview: previewOf(last.content) },
              lastInboundAt: last.sentAt,
              updatedAt: new Date(),
            },
            $max: { lastMessageAt: last.sentAt },
            // The client now waits for an answer (since their first unanswered message), and a
            // resolved conversation opens again from here: the response and resolution reports
            // count from these, at no extra round trip (server/reports/events/).
            $min: { waitingSince: first.sentAt ?? first.createdAt, openedAt: first.sentAt ?? first.createdAt },
            $inc: { unreadCount: count },
            // They wrote to us, so they can be reached again (a Telegram user who unblocked the bot).
            // A snoozed conversation wakes up too: the person is back before the snooze ended.
            $unset: { resolvedAt: 1, unreachableAt: 1, snoozedUntil: 1 },
          },
        },
      })),
      { ordered: false },
    );
  }
  // A keyword is still the person writing: it opens WhatsApp's 24-hour window like any message, so
  // the "welcome back" after a START needs no template.
  const windowOpeners = records.filter((record) => keywords.has(record) && record.sentAt);
  if (windowOpeners.length > 0) {
    await Conversation.bulkWrite(
      windowOpeners.map((record) => ({
        updateOne: { filter: { _id: record.conversationId }, update: { $max: { lastInboundAt: record.sentAt } } },
      })),
      { ordered: false },
    );
  }
  const ids = [
    ...new Map(records.map((record) => [record.conversationId.toHexString(), record.conversationId])).values(),
  ];
  const rows = await Conversation.find({ _id: { $in: ids } }).toArray();
  return new Map((rows as unknown as ConversationRecord[]).map((row) => [row._id.toHexString(), row]));
}

function storedContent(event: InboundMessageEvent): StoredContent {
  const { content } = event;
  if (content.kind === 'email') {
    // Kept by the mailbox sync, which has the bytes in hand (server/channels/email-sync.ts).
    const attachments = content.attachments.map(({ kind, fileRef, mimeType, fileName, size }) => ({
      kind,
      fileRef,
      ...(mimeType ? { mimeType } : {}),
      ...(fileName ? { fileName } : {}),
      ...(size === undefined ? {} : { size }),
      state: 'pending' as const,
    }));
    return { ...content, attachments };
  }
  if (content.kind === 'call') {
    // A recording the call's own webhook names is fetched after the ack, like any received file.
    const { recording, ...call } = content;
    return recording ? { ...call, recording: { ...recording, state: 'pending' } } : call;
  }
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
