import type { Effect } from '../engine/effect-schema.js';
import type { DomainFlowEvent } from '../engine/flow-event-schema.js';
import type { SimWorld, WorldDeal, WorldEvent } from './sim-world.js';
import { simulateBooking } from './simulate-booking.js';

/** A flow's effect: changes the world; returns the events it causes and, for the trace, what it did. */
export function applySimEffect(world: SimWorld, effect: Effect, now: Date): { events: WorldEvent[]; note?: string } {
  const iso = now.toISOString();
  switch (effect.type) {
    case 'sendMessage': {
      const conversation = world.conversationOf(effect.contactId, effect.conversationId);
      if (conversation) conversation.lastOutboundAt = iso;
      return { events: [] };
    }
    case 'createTask': {
      const assignee = world.assigneeLabel(effect.assignee, effect.dealId, effect.contactId);
      world.tasks.set(effect.id, {
        id: effect.id,
        title: effect.title,
        kind: effect.kind,
        assignee,
        dueAt: effect.dueAt,
        done: false,
        contactId: effect.contactId,
        dealId: effect.dealId,
      });
      return { events: [], note: `→ ${assignee}` };
    }
    case 'moveStage':
      return { events: world.move(effect.dealId, effect.pipeline, effect.stage, iso) };
    case 'copyDeal': {
      const source = world.mustDeal(effect.dealId);
      world.copies += 1;
      const stage = effect.stage ?? world.pipeline(effect.pipeline).stages[0]?.id ?? '';
      const copy: WorldDeal = {
        ...structuredClone(source),
        id: `${source.id}-copy${world.copies}`,
        pipeline: effect.pipeline,
        stage,
        status: 'open',
        stageEnteredAt: iso,
      };
      // The payment schedule goes with the copy: installment control is where it is followed.
      source.installments = [];
      source.paid = 0;
      world.deals.set(copy.id, copy);
      const event: DomainFlowEvent = {
        type: 'stage.entered',
        subject: world.dealSubject(copy.id),
        pipeline: copy.pipeline,
        stage,
        existing: false,
      };
      return { events: [{ event }], note: `new deal ${copy.id}` };
    }
    case 'markWon':
    case 'markLost': {
      const deal = world.mustDeal(effect.dealId);
      const kind = effect.type === 'markWon' ? 'won' : 'lost';
      const stage = world.pipeline(deal.pipeline).stages.find((candidate) => candidate.kind === kind);
      if (effect.type === 'markLost') deal.lostReason = effect.reasonName.ru;
      return { events: stage ? world.move(deal.id, deal.pipeline, stage.id, iso) : [] };
    }
    case 'setField':
      return { events: world.setField(effect.entity, effect.recordId, effect.field, effect.value) };
    case 'addTags':
    case 'removeTags': {
      const contact = world.contacts.get(effect.contactId);
      if (contact)
        contact.tags =
          effect.type === 'addTags'
            ? [...new Set([...contact.tags, ...effect.tags])]
            : contact.tags.filter((tag) => !effect.tags.includes(tag));
      return { events: [] };
    }
    case 'assign': {
      const label = world.assigneeLabel(effect.assignee, effect.dealId, effect.contactId);
      const conversation = world.conversationOf(effect.contactId, effect.conversationId);
      if (conversation && effect.target !== 'deal') conversation.assigneeId = label;
      const deal = effect.dealId ? world.deals.get(effect.dealId) : undefined;
      if (deal && effect.target !== 'conversation') deal.ownerId = label;
      return { events: [], note: `→ ${label}` };
    }
    case 'handoff': {
      const conversation = world.conversationOf(effect.contactId, effect.conversationId);
      const label = effect.assignee ? world.assigneeLabel(effect.assignee, undefined, effect.contactId) : 'queue';
      if (conversation) {
        conversation.botActive = false;
        conversation.assigneeId = label;
      }
      return { events: [], note: `→ ${label}` };
    }
    case 'notify':
      return { events: [], note: `→ ${world.assigneeLabel(effect.to, effect.dealId, effect.contactId)}` };
    case 'offerSlots':
    case 'bookSlot':
      return simulateBooking(world, effect, now);
    default:
      return { events: [] };
  }
}
