import { Types } from 'mongoose';
import type { Server } from 'socket.io';
import type { InboundRequest } from '../../bot/channels/channel-adapter.js';
import type { VisitorBackend, WebchatAccount } from '../../bot/webchat/visitor-backend.js';
import { UploadRejectedError } from '../../bot/webchat/upload-rejected-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { contactInputSchema } from '../contacts/contact-schemas.js';
import { linkContactKeys } from '../contacts/link-contact-keys.js';
import { contactModels } from '../contacts/contact-models.js';
import { FileRejectedError, keepFile } from '../files/keep-file.js';
import { mediaKindOf } from '../files/media-kind-of.js';
import type { RealtimePublisher } from '../realtime/realtime-publisher.js';
import { roomsOfConversation } from '../realtime/inbox-rooms.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { ingestEvents } from './ingest-events.js';
import { messageModel, type MessageRecord } from './message-model.js';
import { toVisitorMessage } from './to-visitor-message.js';

// Presence is asked on every widget connection; the answer may be a few seconds old.
const PRESENCE_CACHE_MS = 3000;

/**
 * The server's side of the site chat: what the visitor namespace and the widget's HTTP routes
 * need, on the same ingest, store and realtime paths as every other channel.
 */
export function createVisitorBackend(
  services: () => ApiServices | undefined,
  io: Server,
  publisher: RealtimePublisher,
): VisitorBackend {
  const ready = (): ApiServices => {
    const current = services();
    if (!current) throw new Error('The server is starting');
    return current;
  };
  let presence: { online: boolean; until: number } | undefined;

  async function loaded(account: WebchatAccount): Promise<LoadedAccount> {
    const found = await ready().channels.get(account.id);
    if (!found || found.type !== 'webchat') throw new Error(`Site chat ${account.id} is disconnected`);
    return found;
  }

  async function conversationOf(account: WebchatAccount, visitorId: string): Promise<ConversationRecord | null> {
    return conversationModel(ready().db)
      .findOne({ channelAccountId: new Types.ObjectId(account.id), chatId: visitorId })
      .lean<ConversationRecord>();
  }

  const visitorView = (record: MessageRecord) => toVisitorMessage(record, ready().fileLinks, ready().config.publicUrl);

  return {
    async findAccount(channelId) {
      const account = services() ? await ready().channels.get(channelId) : undefined;
      if (!account || account.type !== 'webchat') return undefined;
      return { ...account, settings: account.settings as WebchatAccount['settings'], secrets: {} };
    },

    async ingest(account, request: InboundRequest) {
      const channel = await loaded(account);
      channel.adapter.verify(request, channel);
      const [outcome] = await ingestEvents(ready(), channel, channel.adapter.parse(request, channel));
      if (outcome?.type !== 'message') throw new Error('A visitor message made no message');
      const record = await messageModel(ready().db).findById(outcome.message.id).lean<MessageRecord>();
      if (!record) throw new Error('The stored message is gone');
      return visitorView(record);
    },

    async history(account, visitorId, options) {
      const conversation = await conversationOf(account, visitorId);
      if (!conversation) return [];
      const before =
        options.before && Types.ObjectId.isValid(options.before) ? new Types.ObjectId(options.before) : undefined;
      const rows = await messageModel(ready().db)
        .find({ conversationId: conversation._id, ...(before ? { _id: { $lt: before } } : {}) })
        .sort({ _id: -1 })
        .limit(options.limit)
        .lean<MessageRecord[]>();
      return rows.reverse().map(visitorView);
    },

    async visitorTyping(account, visitorId, typing) {
      const conversation = await conversationOf(account, visitorId);
      if (!conversation) return;
      const rooms = roomsOfConversation(conversation);
      publisher.emit('/inbox', rooms, 'typing', {
        conversationId: conversation._id.toHexString(),
        typing,
        who: 'contact',
      });
    },

    async operatorsOnline() {
      if (presence && presence.until > Date.now()) return presence.online;
      // Across every web process: the Redis adapter asks them all.
      const sockets = await io.of('/inbox').fetchSockets();
      presence = { online: sockets.length > 0, until: Date.now() + PRESENCE_CACHE_MS };
      return presence.online;
    },

    async submitOfflineForm(account, visitorId, form) {
      const channel = await loaded(account);
      const lines = [
        form.locale === 'en' ? 'Offline form' : 'Заявка из формы (операторов не было в сети)',
        form.name,
        form.phone,
        form.email,
        form.message,
      ].filter(Boolean);
      const request: InboundRequest = {
        method: 'SOCKET',
        // Parsed without verify: the namespace checked the origin at the handshake.
        headers: {},
        query: { visitorId },
        rawBody: Buffer.from(
          JSON.stringify({ clientMessageId: `offline-${Date.now().toString(36)}`, text: lines.join('\n') }),
        ),
      };
      const [outcome] = await ingestEvents(ready(), channel, channel.adapter.parse(request, channel));
      if (outcome?.type !== 'message') return;
      // The lead's name and a way to call back go onto the contact the message made.
      const contact = await contactModels(ready().db).Contact.findById(outcome.message.contactId).lean();
      if (!contact) return;
      const input = contactInputSchema.safeParse({
        name: form.name,
        ...(form.phone ? { phones: [form.phone] } : {}),
        ...(form.email ? { emails: [form.email] } : {}),
        language: form.locale,
      });
      if (!input.success) return;
      if (!contact.name)
        await contactModels(ready().db).Contact.updateOne({ _id: contact._id }, { $set: { name: form.name } });
      await linkContactKeys(ready(), contact, input.data, null);
    },

    async storeUpload(account, visitorId, file) {
      const current = ready();
      const conversation = await conversationOf(account, visitorId);
      try {
        const kept = await keepFile(
          { db: current.db, files: current.files, maxBytes: current.config.FILES_MAX_BYTES },
          {
            body: file.bytes,
            fileName: file.fileName,
            declaredType: file.mimeType,
            visitorKey: `${account.id}:${visitorId}`,
            ...(conversation ? { conversationId: conversation._id, contactId: conversation.contactId } : {}),
          },
        );
        const fileId = kept._id.toHexString();
        return {
          fileId,
          url: `${current.config.publicUrl.replace(/\/$/, '')}${current.fileLinks.path(fileId)}`,
          kind: mediaKindOf(kept.mimeType),
          mimeType: kept.mimeType,
          fileName: kept.fileName,
          size: kept.size,
        };
      } catch (error) {
        if (error instanceof FileRejectedError) throw new UploadRejectedError(error.status, error.message);
        throw error;
      }
    },

    async demoChannelId() {
      if (!services()) return undefined;
      const [first] = await ready().channels.listActive('webchat');
      return first?.id;
    },
  };
}
