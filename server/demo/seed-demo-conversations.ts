import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { recordAudit } from '../audit/record-audit.js';
import { backfillReportEvents } from '../reports/events/backfill-report-events.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { conversationModel } from '../messaging/conversation-model.js';
import { messageModel } from '../messaging/message-model.js';
import { noteModels } from '../notes/note-models.js';
import { pipelineModel } from '../pipelines/pipeline-model.js';
import { userModels } from '../users/user-models.js';
import { createPrng } from './create-prng.js';
import { DEMO_ACCOUNTS } from './demo-accounts.js';
import type { DemoChatScript, DemoStaff } from './demo-chat-script.js';
import { DEMO_CHAT_SCRIPTS } from './demo-chat-scripts.js';
import { DEMO_SEED_MARKER_ID, demoSeedMarkerModel } from './demo-seed-marker.js';
import { planDemoConversations } from './plan-demo-conversations.js';
import { siteChatIdentity, writeDemoConversation, type DemoChatIdentity } from './write-demo-conversation.js';
import { initModel } from '../db/init-model.js';

/** The chats' own PRNG seed: their timing does not shift when the workspace's plan changes. */
const DEMO_CHAT_PRNG_SEED = 20_240_002;
/** The claim of this seed, next to the workspace's in the same collection. */
export const DEMO_CONVERSATIONS_MARKER_ID = 'demo-conversations';
/** A private client's deal is titled with its window count (plan-demo-deals.ts): «…, 7 шт.». */
const WINDOWS_IN_TITLE = /, (\d+) шт\.$/;

export interface DemoConversationCounts {
  conversations: number;
  messages: number;
  notes: number;
}

export type DemoConversationsResult = { seeded: true; counts: DemoConversationCounts } | { seeded: false };

/** One channel's demo chats: its scripts, its claim, and who each client is on it. */
export interface DemoChatChannel {
  /** The `_id` of this seed's claim in the demo seed markers. */
  markerId: string;
  prngSeed: number;
  scripts: readonly DemoChatScript[];
  identityOf(contact: { index: number; name: string; phone: string }): DemoChatIdentity;
}

/** The site chat's: nineteen clients, each a widget visitor of their own. */
export const DEMO_SITE_CHATS: DemoChatChannel = {
  markerId: DEMO_CONVERSATIONS_MARKER_ID,
  prngSeed: DEMO_CHAT_PRNG_SEED,
  scripts: DEMO_CHAT_SCRIPTS,
  identityOf: ({ phone }) => siteChatIdentity(phone),
};

/** Where a client's deal stands as 'pipeline/stage': the open deal, else the one closed last, else 'none'. */
function placeOf(deals: DealRecord[], pipelineKeys: Map<string, string>): string {
  const deal =
    deals.find((candidate) => candidate.status === 'open') ??
    deals.toSorted((a, b) => (b.closedAt?.getTime() ?? 0) - (a.closedAt?.getTime() ?? 0))[0];
  if (!deal) return 'none';
  return `${pipelineKeys.get(deal.pipelineId.toHexString()) ?? '?'}/${deal.stageId}`;
}

async function demoStaff(services: Pick<ApiServices, 'db'>): Promise<Record<DemoStaff, { id: string; name: string }>> {
  const staff = {} as Record<DemoStaff, { id: string; name: string }>;
  for (const role of ['operator', 'manager'] as const) {
    const account = DEMO_ACCOUNTS.find((candidate) => candidate.role === role)!;
    const user = await userModels(services.db).User.findOne({ email: account.email }, { name: 1 }).lean();
    if (!user) throw new Error(`The demo ${role} ${account.email} is missing: seed the workspace first`);
    staff[role] = { id: user._id.toHexString(), name: user.name };
  }
  return staff;
}

/**
 * The demo's chats on the account `accountId` (the site chats on the webchat account unless
 * `options.channel` says otherwise), seeded once per database after the
 * workspace (its clients, deals and accounts): each scripted client gets a conversation that
 * fits where their deal stands, which is checked. Claimed like the workspace (a unique marker
 * `_id`), so a second call writes nothing. Deterministic for a given `now` but for the visitor ids.
 */
export async function seedDemoConversations(
  services: Pick<ApiServices, 'db' | 'channels' | 'queues'>,
  accountId: string,
  options: { now?: Date; channel?: DemoChatChannel } = {},
): Promise<DemoConversationsResult> {
  const now = options.now ?? new Date();
  const channel = options.channel ?? DEMO_SITE_CHATS;
  const Marker = demoSeedMarkerModel(services.db);
  const workspace = await Marker.findById(DEMO_SEED_MARKER_ID).lean();
  if (!workspace?.completedAt || !workspace.contactIds) return { seeded: false };
  try {
    await Marker.create({ _id: channel.markerId, startedAt: now });
  } catch (error) {
    if (isDuplicateKeyError(error)) return { seeded: false };
    throw error;
  }
  const account = await services.channels.get(accountId);
  if (!account) throw new Error(`The demo channel ${accountId} is not an active channel account`);
  const staff = await demoStaff(services);
  const contactIds = workspace.contactIds.map((id) => new Types.ObjectId(id));
  const contacts = new Map(
    (
      await contactModels(services.db)
        .Contact.find({ _id: { $in: contactIds } }, { name: 1, phones: 1 })
        .lean<ContactRecord[]>()
    ).map((contact) => [contact._id.toHexString(), contact]),
  );
  const deals = await (await dealModel(services.db)).find({ contactId: { $in: contactIds } }).lean<DealRecord[]>();
  const pipelines = await (await pipelineModel(services.db)).find({}, { systemKey: 1 }).lean();
  const pipelineKeys = new Map(pipelines.map((pipeline) => [pipeline._id.toHexString(), pipeline.systemKey ?? '']));
  // The unique (account, chat) and dedupe indexes must exist before the first insert relies on them.
  await Promise.all([
    initModel(conversationModel(services.db)),
    initModel(messageModel(services.db)),
    initModel(noteModels(services.db).Note),
  ]);

  const clientOf = (index: number) => {
    const contactId = contactIds[index];
    const contact = contactId && contacts.get(contactId.toHexString());
    const phone = contact?.phones[0]?.e164;
    if (!contactId || !contact || !phone)
      throw new Error(`The demo chat names client ${index}, who has no phone or does not exist`);
    return { contactId, contact, phone, deals: deals.filter((deal) => deal.contactId?.equals(contactId)) };
  };
  const wordsOf = (index: number): Record<string, string> => {
    const { contact, deals: theirs } = clientOf(index);
    const windows = theirs.map((deal) => WINDOWS_IN_TITLE.exec(deal.title)?.[1]).find(Boolean);
    return {
      name: contact.name.split(' ')[0] ?? contact.name,
      operator: staff.operator.name.split(' ')[0] ?? staff.operator.name,
      ...(windows ? { windows } : {}),
    };
  };

  const plans = planDemoConversations(createPrng(channel.prngSeed), now, channel.scripts, wordsOf);
  // All checked before anything is written: a chat that no longer fits its deal stops the seed whole.
  for (const plan of plans) {
    const place = placeOf(clientOf(plan.contact).deals, pipelineKeys);
    if (place !== plan.deal) {
      throw new Error(`The demo chat of client ${plan.contact} is about ${plan.deal}, but their deal is at ${place}`);
    }
  }
  const counts: DemoConversationCounts = { conversations: 0, messages: 0, notes: 0 };
  const written: Types.ObjectId[] = [];
  for (const plan of plans) {
    const { contactId, contact, phone } = clientOf(plan.contact);
    const identity = channel.identityOf({ index: plan.contact, name: contact.name, phone });
    const conversation = await writeDemoConversation(services, { account, contactId, phone, staff, identity }, plan);
    written.push(conversation.conversationId);
    counts.conversations++;
    counts.messages += conversation.messages;
    counts.notes += conversation.notes;
  }
  // The demo manager's response-time report reads events; the demo's chats get theirs from their messages.
  await backfillReportEvents(services.db, { conversationIds: written });
  await Marker.updateOne({ _id: channel.markerId }, { $set: { completedAt: new Date(), counts: { ...counts } } });
  await recordAudit(services, { actor: null, action: 'demo.seed', entity: 'conversation', meta: { ...counts } });
  return { seeded: true, counts };
}
