import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { contactModels, type ContactRecord, type StoredConsent } from '../contacts/contact-models.js';
import type { Channel } from '../contacts/normalize-identity.js';
import { enqueueFlowEvent } from '../flows/flow-jobs.js';
import { anyFlowsInstalled } from '../flows/flows-installed.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { toConversationView } from '../messaging/message-views.js';
import { addNote } from '../notes/add-note.js';
import { consentNoteText } from './consent-note-text.js';

export type ConsentServices = Pick<ApiServices, 'db' | 'events' | 'queues'>;

export interface ConsentChange {
  contactId: string;
  channel: Channel;
  status: StoredConsent['status'];
  /** When the person did it (the keyword message's time, the block's): an older change never undoes a newer one. */
  at: Date;
  via: NonNullable<StoredConsent['via']>;
  /** The word they wrote, for the note. */
  keyword?: string;
  /** The conversation it happened in: the note shows there too, live. */
  conversationId?: string;
  /**
   * Stable across redeliveries of the same act (the keyword message's id): a repeat whose first
   * attempt changed the consent and then died still writes the note, once.
   */
  dedupeKey?: string;
  /** Applies only over an entry made this way (unblocking undoes an opt-out that blocking made, not a STOP). */
  onlyOver?: NonNullable<StoredConsent['via']>;
}

/**
 * The one way a person's own consent changes on a channel, whatever they did (a keyword, the
 * unsubscribe link, blocking the bot): `consent.<channel>` gets the status, the time and how; the
 * contact's timeline (and the conversation, when there is one) gets a system note; listeners hear
 * `contact.consent` (the broadcasts count opt-outs); an opt-out ends the flow runs that leave on it
 * (`exit.optOut`). Answers whether the consent is now as the change says.
 */
export async function changeConsent(services: ConsentServices, change: ConsentChange): Promise<boolean> {
  const { Contact } = contactModels(services.db);
  const path = `consent.${change.channel}`;
  const differs = { [`${path}.status`]: { $ne: change.status }, [`${path}.at`]: { $lte: change.at } };
  const filter = change.onlyOver
    ? { _id: new Types.ObjectId(change.contactId), [`${path}.via`]: change.onlyOver, ...differs }
    : { _id: new Types.ObjectId(change.contactId), $or: [{ [path]: { $exists: false } }, differs] };
  const entry: StoredConsent = { status: change.status, at: change.at, via: change.via };
  const result = await Contact.updateOne(filter, { $set: { [path]: entry } });
  const stored = (await Contact.findById(change.contactId, { consent: 1 }).lean<Pick<ContactRecord, 'consent'>>())
    ?.consent?.[change.channel];
  const applied = stored?.status === change.status && stored.via === change.via;
  if (!applied) return false;
  if (result.modifiedCount === 0 && !change.dedupeKey) return true;

  const note = await addNote(services, {
    entity: 'contact',
    entityId: change.contactId,
    kind: 'system',
    text: consentNoteText(change),
    author: null,
    dedupeKey:
      change.dedupeKey ?? `consent|${change.contactId}|${change.channel}|${change.status}|${stored.at.getTime()}`,
    ...(change.conversationId ? { conversationId: change.conversationId } : {}),
    meta: {
      event: 'contact.consent',
      channel: change.channel,
      consent: change.status,
      via: change.via,
      ...(change.keyword ? { keyword: change.keyword } : {}),
    },
  });
  services.events.emit({
    type: 'contact.consent',
    contactId: change.contactId,
    channel: change.channel,
    status: change.status,
    via: change.via,
    at: stored.at,
    ...(change.conversationId ? { conversationId: change.conversationId } : {}),
  });
  if (change.conversationId) {
    const conversation = await conversationModel(services.db)
      .findById(change.conversationId)
      .lean<ConversationRecord>();
    if (conversation) {
      services.events.emit({ type: 'conversation.note', note, conversation: toConversationView(conversation) });
    }
  }
  if (change.status === 'opted-out' && (await anyFlowsInstalled(services.db))) {
    await enqueueFlowEvent(services.queues, {
      id: `opt-out-${change.contactId}-${change.channel}-${stored.at.getTime()}`,
      type: 'contact.optedOut',
      subject: {
        contactId: change.contactId,
        ...(change.conversationId ? { conversationId: change.conversationId } : {}),
      },
    });
  }
  return true;
}
