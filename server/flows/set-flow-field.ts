import type { EffectOf } from '../../flows/index.js';
import type { ApiServices } from '../api/api-services.js';
import { contactModels } from '../contacts/contact-models.js';
import type { Actor } from '../deals/actor-schema.js';
import { changeDeal } from '../deals/change-deal.js';
import type { DealRecord } from '../deals/deal-model.js';
import { publishDealChange } from '../deals/publish-deal-change.js';
import type { EffectOutcome } from './perform-flow-effect.js';
import { setContactKey } from './set-contact-key.js';
import type { FlowRunRecord } from './flow-run-model.js';
import { skip, skipIfRefused } from './skip-reasons.js';

const CONTACT_FIELDS = new Set(['name', 'language', 'source']);
const DEAL_FIELDS = new Set(['title', 'amount', 'currency']);

/**
 * A flow's setField. On a deal it takes a person's path (changeDeal, then the audit entry and
 * `deal.updated` for the boards, the flow named in the entry); a value already there changes and
 * tells nothing. Contacts have no live view to tell.
 */
export async function setFlowField(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'setField'>,
  actor: Actor,
): Promise<EffectOutcome> {
  if (effect.entity === 'contact' && (effect.field === 'phone' || effect.field === 'email'))
    return setContactKey(services, effect.recordId, effect.field, effect.value);
  const direct = effect.entity === 'contact' ? CONTACT_FIELDS : DEAL_FIELDS;
  const custom = effect.field.startsWith('fields.') ? effect.field.slice('fields.'.length) : undefined;
  if (!custom && !direct.has(effect.field))
    return skip('fieldNotSettable', { field: `${effect.entity}.${effect.field}` });
  if (custom?.includes('$') || custom?.includes('.')) return skip('badFieldName', { field: custom });
  const path = custom ? `customFields.${custom}` : effect.field;
  if (effect.entity === 'contact') {
    await contactModels(services.db).Contact.updateOne({ _id: effect.recordId }, { $set: { [path]: effect.value } });
    return undefined;
  }
  let before: DealRecord | undefined;
  let after: DealRecord;
  try {
    after = await changeDeal(services.db, { _id: effect.recordId }, (deal) => {
      before = deal;
      const current = custom ? deal.customFields?.[custom] : Reflect.get(deal, effect.field);
      return JSON.stringify(current) === JSON.stringify(effect.value) ? undefined : { $set: { [path]: effect.value } };
    });
  } catch (error) {
    return skipIfRefused(error);
  }
  if (before?.revision === after.revision) return undefined;
  await publishDealChange(services, {
    by: null,
    action: 'deal.update',
    ...(before ? { before } : {}),
    after,
    meta: { flowId: run.flowId, flowName: actor.name },
  });
  return undefined;
}
