import type { Connection } from 'mongoose';
import type { VisitorDelivery } from '../../bot/webchat/webchat-adapter.js';
import { visitorRoom } from '../../bot/webchat/visitor-room.js';
import type { FileLinkSigner } from '../files/signed-file-url.js';
import type { RealtimePublisher } from '../realtime/realtime-publisher.js';
import { messageModel, type MessageRecord } from './message-model.js';
import { toVisitorMessage } from './to-visitor-message.js';

/**
 * How the site chat adapter's sends reach the visitor: a push to the visitor's room, in the same
 * shape their history shows (the stored message adds who wrote it, which the adapter cannot know).
 */
export function createVisitorDelivery(
  db: Connection,
  publisher: RealtimePublisher,
  links: FileLinkSigner,
  publicUrl: string,
): VisitorDelivery {
  return {
    async deliver(accountId, visitorId, message) {
      const record = await messageModel(db).findById(message.id).lean<MessageRecord>();
      const payload = record ? { ...toVisitorMessage(record, links, publicUrl), status: 'sent' as const } : message;
      publisher.emit('/visitor', [visitorRoom(accountId, visitorId)], 'message', payload);
    },
  };
}
