import type { Logger } from '../observability/logger.js';
import type { BroadcastView } from '../broadcasts/to-broadcast-view.js';
import type { ContactView } from '../contacts/contact-schemas.js';
import type { Channel } from '../contacts/normalize-identity.js';
import type { DealView } from '../deals/deal-schema.js';
import type { InboundLeadView } from '../leads/inbound-lead-schema.js';
import type { ConversationView, MessageView } from '../messaging/message-views.js';
import type { NoteView } from '../notes/note-schemas.js';
import type { NotificationView } from '../notifications/notification-schemas.js';
import type { PaymentScheduleView } from '../payments/payment-schedule-schema.js';
import type { PresenceStatus } from '../presence/operator-presence.js';
import type { TaskView } from '../tasks/task-schema.js';

/**
 * What happened, for whoever reacts to it (realtime push, the bot, flows). Domain code emits;
 * it never calls socket.io or a provider itself.
 */
export type DomainEvent =
  | { type: 'message.received'; message: MessageView; conversation: ConversationView; contactCreated: boolean }
  | { type: 'message.created'; message: MessageView; conversation: ConversationView }
  /** `conversation` when the emitter has it at hand, which spares listeners a read. */
  | { type: 'message.updated'; message: MessageView; conversation?: ConversationView }
  /**
   * `formerly`: who could see it before this change (the old assignee and teams), so their lists
   * drop it; absent when visibility did not change.
   */
  | {
      type: 'conversation.updated';
      conversation: ConversationView;
      formerly?: Pick<ConversationView, 'assigneeId' | 'teamIds'>;
    }
  /** The assignee or the team changed: by a person (`by`), or by auto-assignment (`by` null). */
  | {
      type: 'conversation.assigned';
      conversation: ConversationView;
      previous: Pick<ConversationView, 'assigneeId' | 'teamIds'>;
      by: { id: string; name: string } | null;
    }
  /** The status changed: by a person (`by`), or when a snooze ended (`by` null). */
  | {
      type: 'conversation.status';
      conversation: ConversationView;
      previousStatus: string;
      by: { id: string; name: string } | null;
    }
  /** The bot was handed the conversation back, or a person took it over without replying (`by`). */
  | {
      type: 'conversation.handler';
      conversation: ConversationView;
      previousHandler: string;
      by: { id: string; name: string } | null;
    }
  /** A private note in a conversation: operators see it in the thread; the person never does. */
  | { type: 'conversation.note'; note: NoteView; conversation: ConversationView }
  /** Someone is told something (an @mention): it goes to that user's own room only. */
  | { type: 'notification.created'; userId: string; notification: NotificationView }
  | { type: 'channel.changed'; channelId: string }
  /** A web form submission or a partner's lead became a contact's deal (once per lead). */
  | { type: 'lead.received'; lead: InboundLeadView; contact: ContactView; contactCreated: boolean; deal: DealView }
  /** A person moved a deal to another stage (won and lost included); its stage history ends with the new visit. */
  | { type: 'deal.stageChanged'; deal: DealView }
  /** A person created a deal or changed its title, amount, owner or links; `formerOwnerId` when the owner changed. */
  | { type: 'deal.updated'; deal: DealView; formerOwnerId?: string }
  /** The client rated a resolved conversation (CSAT): the tap is also a message on its timeline. */
  | {
      type: 'conversation.rated';
      conversation: ConversationView;
      rating: { score: number; messageId: string; ratedAt: string };
    }
  /** An operator came, left or set themselves away: their colleagues' inboxes show it. */
  | { type: 'presence.changed'; userId: string; teamIds: string[]; status: PresenceStatus }
  /** A payment was recorded on a deal's installment schedule (once per payment: `index` in its payments). */
  | { type: 'payment.recorded'; schedule: PaymentScheduleView; index: number }
  /** A task was completed (once per completion). */
  | { type: 'task.completed'; task: TaskView }
  /**
   * A person changed their own consent on a channel (server/consent/change-consent.ts): a keyword
   * (STOP, START), the unsubscribe link, blocking or unblocking the bot; `conversationId` where it
   * happened. At least once per change (a redelivered STOP may repeat it): listeners are idempotent.
   */
  | {
      type: 'contact.consent';
      contactId: string;
      channel: Channel;
      status: 'opted-in' | 'opted-out';
      via: 'keyword' | 'link' | 'block';
      at: Date;
      conversationId?: string;
    }
  /**
   * What a user may reach changed: their sessions ended (deactivation, a new password, a read
   * burst) or their role or teams did. Their open sockets joined the rooms of before.
   */
  | { type: 'user.accessChanged'; userId: string }
  /** A broadcast's counts, rate and ETA while it is sent (about once a second), and when its status changes. */
  | { type: 'broadcast.progress'; broadcast: BroadcastView };

export type DomainEventType = DomainEvent['type'];
type Listener<T extends DomainEventType> = (event: Extract<DomainEvent, { type: T }>) => void | Promise<void>;

/**
 * In-process dispatch of domain events. Listeners run after the change is stored and must not
 * fail the request that caused it: their errors are logged. Anything that has to survive a crash
 * (the bot's answer, a flow step) is enqueued by its listener, not done inline.
 */
export class DomainEvents {
  private readonly listeners = new Map<DomainEventType, Listener<DomainEventType>[]>();

  constructor(private readonly logger: Logger) {}

  on<T extends DomainEventType>(type: T, listener: Listener<T>): void {
    const list = this.listeners.get(type) ?? [];
    // One map holds listeners of every type; `emit` only hands each the events of its own type.
    list.push(listener as unknown as Listener<DomainEventType>);
    this.listeners.set(type, list);
  }

  /**
   * A listener handed the events of a type emitted in one turn together (a batch of stored inbound
   * messages emits its events in one loop), so it can read the store once for all of them
   * instead of once per event. Called once per turn, in emit order.
   */
  onBatch<T extends DomainEventType>(
    type: T,
    listener: (events: Extract<DomainEvent, { type: T }>[]) => void | Promise<void>,
  ): void {
    let pending: Extract<DomainEvent, { type: T }>[] = [];
    this.on(type, (event) => {
      pending.push(event);
      if (pending.length > 1) return;
      queueMicrotask(() => {
        const batch = pending;
        pending = [];
        this.run(type, () => listener(batch));
      });
    });
  }

  emit(event: DomainEvent): void {
    for (const listener of this.listeners.get(event.type) ?? []) this.run(event.type, () => listener(event));
  }

  private run(type: DomainEventType, call: () => void | Promise<void>): void {
    try {
      const result = call();
      if (result)
        result.catch((error: unknown) => this.logger.error({ err: error, event: type }, 'event listener failed'));
    } catch (error) {
      this.logger.error({ err: error, event: type }, 'event listener failed');
    }
  }
}
