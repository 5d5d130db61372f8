import { Types } from 'mongoose';
import type { InboundEvent } from '../../bot/channels/channel-events.js';
import { MalformedPayloadError } from '../../bot/channels/channel-errors.js';
import { signedEnvelopeRequest } from '../../bot/email/email-envelope-signature.js';
import type { FetchedMail } from '../../bot/email/mailbox-reader.js';
import { readEmail } from '../../bot/email/read-email.js';
import type { ApiServices } from '../api/api-services.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { ingestEvents } from '../messaging/ingest-events.js';
import { messageModel, type MessageRecord } from '../messaging/message-model.js';
import type { LoadedAccount } from './channel-accounts.js';
import { keepEmailAttachments } from './keep-email-attachments.js';

/**
 * One mail from the mailbox through the channel spine: read (mailparser), the adapter's verify
 * and parse, placed in its thread, ingested, its attachments kept. Resolves once all of that is
 * durable; the reader moves past the mail only then. A mail the adapter cannot read (no From)
 * (no From, not MIME) is logged and skipped: reading it again would not change it.
 */
export async function ingestEmail(services: ApiServices, account: LoadedAccount, mail: FetchedMail): Promise<void> {
  const read = await readEmail(mail.source, mail.receivedAt).catch((error: unknown) => {
    // Parsing the same bytes again would fail again: skip the mail rather than stop the mailbox.
    services.logger.warn({ channel: account.id, uid: mail.uid, err: error }, 'e-mail skipped: it cannot be parsed');
    return undefined;
  });
  if (!read) return;
  const { envelope, attachmentBodies } = read;
  const request = signedEnvelopeRequest(envelope, account.secrets.password ?? '');
  account.adapter.verify(request, account);
  let events: InboundEvent[];
  try {
    events = account.adapter.parse(request, account);
  } catch (error) {
    if (!(error instanceof MalformedPayloadError)) throw error;
    services.logger.warn({ channel: account.id, uid: mail.uid, err: error }, 'e-mail skipped: it cannot be read');
    return;
  }
  const placed = await placeInThreads(services, account, events);
  const outcomes = await ingestEvents(services, account, placed);
  for (const outcome of outcomes) {
    if (outcome.type !== 'message') continue;
    await keepEmailAttachments(services, outcome.message.id, attachmentBodies);
  }
}

/**
 * A reply joins the conversation of any mail it names (In-Reply-To, then References from the
 * newest), ours or theirs: mail programs that cut References short stay in the thread. The
 * mail's own id comes first, so a mail read again lands where it was stored. An autoresponder's
 * mail that answers nothing we have is dropped: it would open a conversation with a machine.
 */
async function placeInThreads(
  services: ApiServices,
  account: LoadedAccount,
  events: InboundEvent[],
): Promise<InboundEvent[]> {
  const placed: InboundEvent[] = [];
  for (const event of events) {
    if (event.type !== 'message' || event.content.kind !== 'email') {
      placed.push(event);
      continue;
    }
    const { content } = event;
    const ids = [event.externalMessageId, content.inReplyTo, ...[...content.references].reverse()].filter(
      (id): id is string => Boolean(id),
    );
    const chatId = await knownThread(services, account, ids);
    if (chatId) placed.push({ ...event, chatId });
    else if (!content.autoReply) placed.push(event);
  }
  return placed;
}

async function knownThread(services: ApiServices, account: LoadedAccount, ids: string[]): Promise<string | undefined> {
  const known = await messageModel(services.db)
    .find(
      { channelAccountId: new Types.ObjectId(account.id), externalId: { $in: ids } },
      { externalId: 1, conversationId: 1 },
    )
    .lean<Pick<MessageRecord, 'externalId' | 'conversationId'>[]>();
  const first = ids.map((id) => known.find((message) => message.externalId === id)).find(Boolean);
  if (!first) return undefined;
  const conversation = await conversationModel(services.db)
    .findById(first.conversationId, { chatId: 1 })
    .lean<Pick<ConversationRecord, 'chatId'>>();
  return conversation?.chatId;
}
