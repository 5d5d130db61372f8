import type { Connection } from 'mongoose';
import { snapshotSchema, type Snapshot } from '../../flows/index.js';
import type { DomainFlowEvent } from '../../flows/index.js';
import { contactModels } from '../contacts/contact-models.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';

type Subject = DomainFlowEvent['subject'];

/**
 * The records an event concerns as the engine reads them (`contact.*`, `deal.*`,
 * `conversation.*`), read right before the engine runs so conditions see current values. A
 * subject without a deal gets the contact's newest open deal; without a conversation, the
 * contact's most recent one.
 */
export async function buildSnapshot(db: Connection, subject: Subject, extra: Snapshot = {}): Promise<Snapshot> {
  const { Contact } = contactModels(db);
  const contact = await Contact.findById(subject.contactId).lean();
  const deal = await findDeal(db, subject);
  const conversation = await findConversation(db, subject);
  const pipeline = deal ? await (await pipelineModel(db)).findById(deal.pipelineId).lean<PipelineRecord>() : null;
  const iso = (date: Date | undefined) => date?.toISOString();
  const snapshot = {
    ...(contact
      ? {
          contact: {
            id: String(contact._id),
            name: contact.name,
            ...(contact.phones[0] ? { phone: contact.phones[0].e164 } : {}),
            ...(contact.emails[0] ? { email: contact.emails[0] } : {}),
            ...(contact.language ? { language: contact.language } : {}),
            tags: contact.tags,
            ...(contact.ownerId ? { ownerId: String(contact.ownerId) } : {}),
            ...(contact.source ? { source: contact.source } : {}),
            fields: contact.customFields ?? {},
            createdAt: iso(contact.createdAt),
          },
        }
      : {}),
    ...(deal
      ? {
          deal: {
            id: String(deal._id),
            title: deal.title,
            pipeline: pipeline?.systemKey ?? String(deal.pipelineId),
            stage: deal.stageId,
            status: deal.status,
            amount: deal.amount,
            currency: deal.currency,
            ownerId: String(deal.ownerId),
            ...(deal.lostReason ? { lostReason: deal.lostReason } : {}),
            fields: deal.customFields ?? {},
            stageEnteredAt: iso(deal.stageHistory.at(-1)?.enteredAt),
            createdAt: iso(deal.createdAt),
          },
        }
      : {}),
    ...(conversation
      ? {
          conversation: {
            id: String(conversation._id),
            channel: conversation.channel,
            ...(conversation.assigneeId ? { assigneeId: String(conversation.assigneeId) } : {}),
            botActive: conversation.handler === 'bot',
            ...(conversation.lastInboundAt ? { lastInboundAt: iso(conversation.lastInboundAt) } : {}),
          },
        }
      : {}),
    ...extra,
  };
  // Parsed so a record with an odd value (an unknown channel) cannot reach the engine unchecked.
  const parsed = snapshotSchema.safeParse(snapshot);
  if (parsed.success) return parsed.data;
  const { conversation: _dropped, ...rest } = snapshot;
  return snapshotSchema.parse(rest);
}

async function findDeal(db: Connection, subject: Subject): Promise<DealRecord | null> {
  const Deal = await dealModel(db);
  if (subject.dealId) return Deal.findById(subject.dealId).lean<DealRecord>();
  return Deal.findOne({ contactId: subject.contactId, status: 'open' }).sort({ createdAt: -1 }).lean<DealRecord>();
}

async function findConversation(db: Connection, subject: Subject): Promise<ConversationRecord | null> {
  const Conversation = conversationModel(db);
  if (subject.conversationId) return Conversation.findById(subject.conversationId).lean<ConversationRecord>();
  return Conversation.findOne({ contactId: subject.contactId }).sort({ lastMessageAt: -1 }).lean<ConversationRecord>();
}
