import type { ApiServices } from '../../../server/api/api-services.js';
import type { ContactRecord } from '../../../server/contacts/contact-models.js';
import { dealModel } from '../../../server/deals/deal-model.js';
import { insertDeal } from '../../../server/deals/insert-deal.js';
import { publishDealChange } from '../../../server/deals/publish-deal-change.js';
import { leadOwner } from '../../../server/leads/lead-owner.js';
import { defaultLeadPipeline } from '../../../server/leads/lead-target.js';
import { pipelineModel, type PipelineRecord } from '../../../server/pipelines/pipeline-model.js';
import { firstOpenStage } from '../../../server/pipelines/pipeline-stages.js';

const TITLE = { ru: 'Обращение из чата', en: 'Chat inquiry' } as const;

/**
 * A client who writes for the first time becomes a lead the inbox shows: a deal in the leads
 * pipeline's first open stage (else the workspace's first pipeline's), where the bot's qualification saves its answers and which it moves
 * on. Only for a contact without any deal; a returning client's deals are left as they are.
 */
export async function ensureLeadDeal(
  services: Pick<ApiServices, 'db' | 'events'>,
  contact: ContactRecord,
  language: 'ru' | 'en',
  now: Date,
): Promise<void> {
  const Deal = await dealModel(services.db);
  if (await Deal.exists({ contactId: contact._id })) return;
  // A workspace without a leads pipeline (the green-home builder's) takes leads into its first one.
  const pipeline =
    (await defaultLeadPipeline(services.db)) ??
    (await (await pipelineModel(services.db)).findOne({ archived: false }).sort({ _id: 1 }).lean<PipelineRecord>());
  if (!pipeline) return;
  const name = contact.name.trim();
  const { deal, created } = await insertDeal(services.db, {
    title: name ? `${TITLE[language]}: ${name}` : TITLE[language],
    pipeline,
    stage: firstOpenStage(pipeline),
    amount: 0,
    currency: 'RUB',
    ownerId: contact.ownerId ?? (await leadOwner(services.db, undefined)),
    contactId: contact._id,
    customFields: {},
    createdBy: { kind: 'automation', id: 'bot', name: 'Бот' },
    now,
    ...(contact.source ? { source: contact.source } : {}),
  });
  if (created)
    await publishDealChange(services, { by: null, action: 'deal.create', after: deal, meta: { via: 'bot' } });
}
