import { Types } from 'mongoose';
import { ATTACHMENT_REF_PREFIX } from '../../bot/email/parse-email-envelope.js';
import type { ApiServices } from '../api/api-services.js';
import { FileRejectedError, keepFile } from '../files/keep-file.js';
import { messageModel, type MessageRecord } from '../messaging/message-model.js';
import { toMessageView } from '../messaging/message-views.js';

type KeepServices = Pick<ApiServices, 'db' | 'files' | 'events' | 'config'>;

/**
 * Keeps the attachments of a stored mail from the bytes the mailbox reader has in hand, through
 * keepFile (its size limit and allow-list of types). Run again on a mail read twice (after a
 * crash) it keeps only what is still pending. A refused file shows as a failed attachment.
 */
export async function keepEmailAttachments(services: KeepServices, messageId: string, bodies: Buffer[]): Promise<void> {
  const Message = messageModel(services.db);
  const _id = new Types.ObjectId(messageId);
  const message = await Message.findById(_id).lean<MessageRecord>();
  if (message?.content.kind !== 'email') return;
  let changed = false;
  for (const [index, attachment] of message.content.attachments.entries()) {
    if (attachment.state !== 'pending' || !attachment.fileRef?.startsWith(ATTACHMENT_REF_PREFIX)) continue;
    const body = bodies[Number(attachment.fileRef.slice(ATTACHMENT_REF_PREFIX.length))];
    const path = `content.attachments.${index}`;
    let set: Record<string, unknown>;
    try {
      if (!body) throw new FileRejectedError(415, 'The attachment could not be read from the mail');
      const file = await keepFile(
        { db: services.db, files: services.files, maxBytes: services.config.FILES_MAX_BYTES },
        {
          body,
          fileName: attachment.fileName ?? 'attachment',
          declaredType: attachment.mimeType,
          conversationId: message.conversationId,
          contactId: message.contactId,
          sourceKey: `message|${messageId}|${index}`,
        },
      );
      set = {
        [`${path}.state`]: 'kept',
        [`${path}.fileId`]: file._id,
        [`${path}.mimeType`]: file.mimeType,
        [`${path}.size`]: file.size,
        [`${path}.fileName`]: file.fileName,
      };
    } catch (error) {
      if (!(error instanceof FileRejectedError)) throw error;
      set = { [`${path}.state`]: 'failed', [`${path}.error`]: error.message };
    }
    await Message.updateOne({ _id, [`${path}.state`]: 'pending' }, { $set: set });
    changed = true;
  }
  if (!changed) return;
  const updated = await Message.findById(_id).lean<MessageRecord>();
  if (updated) services.events.emit({ type: 'message.updated', message: toMessageView(updated) });
}
