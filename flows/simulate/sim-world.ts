import type { EffectOf } from '../engine/effect-schema.js';
import type { DomainFlowEvent } from '../engine/flow-event-schema.js';
import { withValueAt } from '../engine/resolve-path.js';
import type { Snapshot } from '../engine/snapshot-schema.js';
import type { Assignee } from '../schema/assignee-schema.js';
import type { Channel } from '../schema/primitive-schemas.js';
import type { Workspace } from '../schema/workspace-schema.js';
import type { SimAppointment, SimContact, SimDeal, Simulation } from './simulation-schema.js';

export interface WorldDeal extends SimDeal {
  status: 'open' | 'won' | 'lost';
  paid: number;
  lostReason?: string;
  stageEnteredAt?: string;
}

export interface WorldConversation {
  id: string;
  contactId: string;
  channel: Channel;
  lastInboundAt?: string;
  lastOutboundAt?: string;
  assigneeId?: string;
  botActive: boolean;
  inbound: number;
}

export interface WorldTask {
  id: string;
  title: string;
  kind: EffectOf<'createTask'>['kind'];
  assignee: string;
  dueAt?: string;
  done: boolean;
  contactId: string;
  dealId?: string;
}

/** Snapshot parts an event brings besides the contact, deal and conversation. */
export type Extra = Pick<Snapshot, 'installment' | 'payment' | 'appointment' | 'task' | 'lead'>;

/** An event the world emits, with what it adds to the snapshot. */
export interface WorldEvent {
  event: DomainFlowEvent;
  extra?: Extra;
}

/**
 * A small in-memory CRM for simulations: the records flows read, changed by the scripted actions
 * and by the flows' effects, each change reported back as the flow events the real server would emit.
 */
export class SimWorld {
  readonly contacts = new Map<string, SimContact>();
  readonly deals = new Map<string, WorldDeal>();
  readonly conversations = new Map<string, WorldConversation>();
  readonly appointments = new Map<string, SimAppointment>();
  readonly tasks = new Map<string, WorldTask>();
  private readonly roundRobin = new Map<string, number>();
  copies = 0;

  constructor(
    readonly workspace: Workspace,
    simulation: Simulation,
  ) {
    for (const contact of simulation.world.contacts) this.contacts.set(contact.id, structuredClone(contact));
    for (const deal of simulation.world.deals)
      this.deals.set(deal.id, {
        ...structuredClone(deal),
        status: this.stageKind(deal.pipeline, deal.stage),
        paid: 0,
        stageEnteredAt: simulation.start,
      });
    for (const conversation of simulation.world.conversations)
      this.conversations.set(conversation.id, { ...conversation, botActive: true, inbound: 0 });
    for (const appointment of simulation.world.appointments) this.appointments.set(appointment.id, appointment);
  }

  /** The contact's conversation: the one named, else the one with the latest inbound message. */
  conversationOf(contactId: string, id?: string): WorldConversation | undefined {
    if (id) return this.conversations.get(id);
    const own = [...this.conversations.values()].filter((conversation) => conversation.contactId === contactId);
    return own.sort((a, b) => (b.lastInboundAt ?? '').localeCompare(a.lastInboundAt ?? ''))[0];
  }

  subject(contactId: string, dealId?: string, conversationId?: string): DomainFlowEvent['subject'] {
    return { contactId, dealId, conversationId: this.conversationOf(contactId, conversationId)?.id };
  }

  dealSubject(dealId: string): DomainFlowEvent['subject'] {
    const deal = this.mustDeal(dealId);
    return this.subject(deal.contactId, deal.id);
  }

  snapshot(subject: DomainFlowEvent['subject'], now: Date, extra: Extra = {}): Snapshot {
    const contact = this.contacts.get(subject.contactId);
    const deal = subject.dealId ? this.deals.get(subject.dealId) : undefined;
    const conversation = this.conversationOf(subject.contactId, subject.conversationId);
    return {
      contact: contact && { ...structuredClone(contact), fields: structuredClone(contact.fields) },
      deal: deal && {
        id: deal.id,
        title: deal.title,
        pipeline: deal.pipeline,
        stage: deal.stage,
        status: deal.status,
        amount: deal.amount,
        ownerId: deal.ownerId,
        lostReason: deal.lostReason,
        stageEnteredAt: deal.stageEnteredAt,
        fields: structuredClone(deal.fields),
      },
      conversation: conversation && {
        id: conversation.id,
        channel: conversation.channel,
        assigneeId: conversation.assigneeId,
        botActive: conversation.botActive,
        lastInboundAt: conversation.lastInboundAt,
        lastOutboundAt: conversation.lastOutboundAt,
      },
      ...extra,
      installment:
        extra.installment ?? (deal ? this.installments(deal, now).find((item) => item.remaining > 0) : undefined),
    };
  }

  installments(deal: WorldDeal, now: Date) {
    let left = deal.paid;
    return deal.installments.map((installment, index) => {
      const paid = Math.min(installment.amount, left);
      left -= paid;
      const remaining = installment.amount - paid;
      const state: 'paid' | 'partly-paid' | 'due' | 'overdue' =
        remaining <= 0
          ? 'paid'
          : Date.parse(installment.dueAt) <= now.getTime()
            ? 'overdue'
            : paid > 0
              ? 'partly-paid'
              : 'due';
      return { n: index + 1, dueAt: installment.dueAt, amount: installment.amount, paid, remaining, state };
    });
  }

  setField(entity: 'contact' | 'deal', id: string, field: string, value: unknown): WorldEvent[] {
    const record = entity === 'deal' ? this.deals.get(id) : this.contacts.get(id);
    if (!record) throw new Error(`No ${entity} ${id}`);
    const segments = field.split('.');
    const from = segments.reduce<unknown>(
      (current, key) => (current && typeof current === 'object' ? Reflect.get(current, key) : undefined),
      record,
    );
    const updated = withValueAt({ ...record }, segments, value);
    Object.assign(record, updated);
    const subject = entity === 'deal' ? this.dealSubject(id) : this.subject(id, this.openDealOf(id));
    return [{ event: { type: 'field.changed', subject, field: `${entity}.${field}`, from, to: value } }];
  }

  move(dealId: string, pipelineKey: string | undefined, stage: string, iso: string): WorldEvent[] {
    const deal = this.mustDeal(dealId);
    const from = { pipeline: deal.pipeline, stage: deal.stage };
    const to = { pipeline: pipelineKey ?? deal.pipeline, stage };
    if (from.pipeline === to.pipeline && from.stage === to.stage) return [];
    deal.pipeline = to.pipeline;
    deal.stage = to.stage;
    deal.status = this.stageKind(to.pipeline, to.stage);
    deal.stageEnteredAt = iso;
    const subject = this.dealSubject(dealId);
    return [
      { event: { type: 'stage.left', subject, ...from, to } },
      { event: { type: 'stage.entered', subject, ...to, from, existing: false } },
    ];
  }

  /**
   * The contact's newest open deal, as the product picks it for an event without one (deals are
   * kept here in creation order).
   */
  openDealOf(contactId: string): string | undefined {
    return [...this.deals.values()].filter((deal) => deal.contactId === contactId && deal.status === 'open').at(-1)?.id;
  }

  pipeline(key: string): Workspace['pipelines'][number] {
    const pipeline = this.workspace.pipelines.find((candidate) => candidate.key === key);
    if (!pipeline) throw new Error(`No pipeline ${key}`);
    return pipeline;
  }

  stageKind(pipeline: string, stage: string): 'open' | 'won' | 'lost' {
    const kind = this.pipeline(pipeline).stages.find((candidate) => candidate.id === stage)?.kind;
    if (!kind) throw new Error(`No stage ${pipeline}/${stage}`);
    return kind;
  }

  mustDeal(id: string): WorldDeal {
    const deal = this.deals.get(id);
    if (!deal) throw new Error(`No deal ${id}`);
    return deal;
  }

  /** Who a task or conversation lands on, as text: teams hand out "member #n" in turn. */
  assigneeLabel(assignee: Assignee, dealId: string | undefined, contactId: string): string {
    switch (assignee.type) {
      case 'owner':
        return (
          (dealId ? this.deals.get(dealId)?.ownerId : undefined) ?? this.contacts.get(contactId)?.ownerId ?? 'owner'
        );
      case 'user':
        return assignee.user;
      case 'role':
        return `role ${assignee.role}`;
      case 'team': {
        if (assignee.pick === 'lead') return `${assignee.team} lead`;
        const turn = (this.roundRobin.get(assignee.team) ?? 0) + 1;
        this.roundRobin.set(assignee.team, turn);
        return `${assignee.team} member #${turn}`;
      }
      case 'field':
        return `field ${assignee.path}`;
    }
  }
}
