import { Types } from 'mongoose';
import { outboundMessageSchema, type OutboundMessage } from '../../bot/channels/channel-events.js';
import { ApiError, conflict, notFound, type ErrorMessage } from '../api/api-error.js';
import { SecretDecryptionError } from '../channels/secret-box.js';
import { refuseOptedOut } from '../consent/refuse-opted-out.js';
import type { ApiServices } from '../api/api-services.js';
import { errorTexts } from '../api/error-texts.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { messageModel, type AuthorKind, type MessageRecord, type StoredContent } from './message-model.js';
import { enqueueOutbound, outboundPriority } from './outbound-queue.js';
import { previewOf, toConversationView, toMessageView, type MessageView } from './message-views.js';
import { recordReply } from '../reports/events/record-reply.js';

const { say, sayWith } = errorTexts;

export type QueueServices = Pick<ApiServices, 'db' | 'events' | 'queues' | 'channels'>;

export interface OutboundAuthor {
  kind: Exclude<AuthorKind, 'contact'>;
  id?: string;
  name?: string;
}

/** The reply breaks a rule of the channel (too long, too many buttons, outside the service window). */
export const channelRuleBroken = (code: string, message: ErrorMessage, details?: unknown) =>
  new ApiError(422, code, message, details);

/**
 * The start of every outbound message (operator replies, the bot, flows, broadcasts): checks it
 * against the channel's rules, stores it as `queued` and hands it to the account's queue. The
 * worker sends it; its status then flows back to the timeline.
 */
export async function queueMessage(
  services: QueueServices,
  input: {
    conversationId: string;
    message: OutboundMessage;
    author: OutboundAuthor;
    /** Makes a retried call queue nothing new: the message stored under this key is returned (flows use it). */
    dedupeKey?: string;
    /** Set by a broadcast: marked on the message, and queued behind every conversation reply. */
    broadcastId?: string;
    /** The conversation as its caller has just read or written it, which spares reading it again. */
    conversation?: ConversationRecord;
  },
): Promise<MessageView> {
  const message = outboundMessageSchema.parse(input.message);
  const given = input.conversation?._id.toHexString() === input.conversationId ? input.conversation : undefined;
  const [conversation, earlier] = await Promise.all([
    given ?? conversationModel(services.db).findById(input.conversationId).lean<ConversationRecord>(),
    input.dedupeKey ? messageModel(services.db).findOne({ dedupeKey: input.dedupeKey }).lean<MessageRecord>() : null,
  ]);
  if (!conversation) throw notFound('Conversation');
  if (input.dedupeKey) {
    if (earlier) {
      // A crash may have come between the write and the enqueue; the job id (the message id) absorbs a repeat.
      if (earlier.status === 'queued')
        await enqueueOutbound(
          services.queues,
          earlier.channelAccountId.toHexString(),
          earlier._id.toHexString(),
          outboundPriority(earlier),
        );
      return toMessageView(earlier);
    }
  }
  const account = await services.channels.get(conversation.channelAccountId.toHexString()).catch((error: unknown) => {
    // The account exists but its secrets cannot be opened (CHANNEL_SECRETS_KEY changed): say so.
    if (!(error instanceof SecretDecryptionError)) throw error;
    throw new ApiError(503, 'channel_secrets_unreadable', say('channelSecretsUnreadable'));
  });
  if (!account) throw conflict(say('channelDisconnected'));
  if (conversation.unreachableAt) {
    throw conflict(say('personUnreachable'), {
      reason: 'unreachable',
    });
  }
  const { capabilities } = account.adapter;
  if (capabilities.readOnly) {
    throw channelRuleBroken('channel_read_only', sayWith('channelReadOnly', { channel: account.type }));
  }
  // Consent holds on every channel, however it was withdrawn (a STOP, the mail's link, a block, the card).
  await refuseOptedOut(services, conversation.contactId, account.type);
  if (message.media && !capabilities.media) {
    throw channelRuleBroken('media_not_supported', sayWith('mediaNotSupported', { channel: account.type }));
  }
  if (message.text && message.text.length > capabilities.maxTextLength) {
    throw channelRuleBroken(
      'text_too_long',
      sayWith('textTooLong', { channel: account.type, max: capabilities.maxTextLength }),
    );
  }
  if (message.buttons && message.buttons.length > capabilities.maxButtons) {
    throw channelRuleBroken(
      'too_many_buttons',
      sayWith('tooManyButtons', { channel: account.type, max: capabilities.maxButtons }),
    );
  }
  const longButton = message.buttons?.find((button) => button.text.length > capabilities.maxButtonTextLength);
  if (longButton) {
    throw channelRuleBroken(
      'button_text_too_long',
      sayWith('buttonTextTooLong', {
        channel: account.type,
        max: capabilities.maxButtonTextLength,
        caption: longButton.text,
      }),
    );
  }
  if (capabilities.serviceWindowHours && !message.template) {
    const windowEnds = (conversation.lastInboundAt?.getTime() ?? 0) + capabilities.serviceWindowHours * 3600_000;
    if (windowEnds < Date.now()) {
      throw channelRuleBroken(
        'outside_service_window',
        sayWith('serviceWindow', { hours: capabilities.serviceWindowHours, channel: account.type }),
        { lastInboundAt: conversation.lastInboundAt?.toISOString() ?? null },
      );
    }
  }

  let content: StoredContent;
  if (message.media) {
    // The media describes a kept file its caller has read (the reply route answers 404 for an unknown one).
    content = {
      kind: 'media',
      ...(message.text ? { caption: message.text } : {}),
      media: {
        kind: message.media.kind,
        fileId: new Types.ObjectId(message.media.fileId),
        mimeType: message.media.mimeType,
        fileName: message.media.fileName,
        size: message.media.size,
        state: 'kept',
      },
    };
  } else if (message.template) {
    content = {
      kind: 'text',
      text: message.text ?? `[template ${message.template.name}] ${message.template.parameters.join(' · ')}`,
    };
  } else {
    content = { kind: 'text', text: message.text ?? '' };
  }

  const now = new Date();
  const record: MessageRecord = {
    _id: new Types.ObjectId(),
    conversationId: conversation._id,
    contactId: conversation.contactId,
    channel: conversation.channel,
    channelAccountId: conversation.channelAccountId,
    direction: 'out',
    author: {
      kind: input.author.kind,
      ...(input.author.id ? { id: new Types.ObjectId(input.author.id) } : {}),
      ...(input.author.name ? { name: input.author.name } : {}),
    },
    content,
    ...(message.buttons?.length ? { buttons: message.buttons } : {}),
    ...(message.template ? { template: message.template } : {}),
    ...(message.email ? { email: message.email } : {}),
    ...(message.unsubscribeUrl ? { unsubscribeUrl: message.unsubscribeUrl } : {}),
    ...(input.broadcastId ? { broadcastId: new Types.ObjectId(input.broadcastId) } : {}),
    ...(input.dedupeKey ? { dedupeKey: input.dedupeKey } : {}),
    status: 'queued',
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  };
  await messageModel(services.db).collection.insertOne(record);
  await enqueueOutbound(services.queues, account.id, record._id.toHexString(), outboundPriority(record));
  // A person's own message (not a broadcast sent in their name) is what the response reports count.
  const byPerson = input.author.kind === 'user' && !input.broadcastId;
  // The bot answering a chat it has ends the client's wait; once it has handed over, its words do not.
  const answered = byPerson || (input.author.kind === 'bot' && conversation.handler === 'bot');
  const updated = await conversationModel(services.db)
    .findOneAndUpdate(
      { _id: conversation._id },
      {
        $set: {
          lastMessage: { direction: 'out', preview: previewOf(content) },
          // A person answering takes the conversation over from the bot.
          ...(input.author.kind === 'user' ? { handler: 'human', unreadCount: 0 } : {}),
        },
        $max: { lastMessageAt: now },
        ...(byPerson ? { $min: { firstRespondedAt: now } } : {}),
        ...(answered ? { $unset: { waitingSince: 1 } } : {}),
      },
      { returnDocument: 'after' },
    )
    .lean<ConversationRecord>();
  if (byPerson) await recordReply(services.db, conversation, { id: record._id, userId: record.author.id, at: now });
  const view = toMessageView(record);
  services.events.emit({
    type: 'message.created',
    message: view,
    conversation: toConversationView(updated ?? conversation),
  });
  return view;
}
