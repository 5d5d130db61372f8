import { SvelteMap } from 'svelte/reactivity';
import { t } from '../i18n.svelte';
import type { ConversationView, MessageView } from '../inbox-views';
import { decideAlert, decideNotificationAlert, type NotificationPermissionState } from './decide-alert';
import type { NotificationView } from './notification-feed.svelte';
import { notificationTitle } from './notification-title';
import { playChime } from './play-chime';

const SOUND_KEY = 'funnel-inbox.sound';

function storedSound(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

function currentPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

function preview(message: MessageView): string {
  const content = message.content;
  switch (content.kind) {
    case 'text':
      return content.text;
    case 'media':
      return content.caption || t('alerts.attachment');
    case 'button':
      return content.text;
    case 'email':
      return content.subject;
    default:
      return t('alerts.newMessage');
  }
}

/**
 * New-message alerts of the whole app: messages not seen yet per conversation (the tab title's
 * counter), the chime and browser notifications, with the operator's sound choice kept in
 * storage. The app frame feeds it socket pushes; any view may read `total`.
 */
class FrameAlerts {
  private readonly unseen = new SvelteMap<string, number>();
  soundOn = $state(storedSound());
  permission = $state<NotificationPermissionState>(currentPermission());

  get total(): number {
    let sum = 0;
    for (const count of this.unseen.values()) sum += count;
    return sum;
  }

  setSound(on: boolean): void {
    this.soundOn = on;
    try {
      localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
    } catch {
      // Without storage the choice lasts until the page is reloaded.
    }
    if (on) playChime();
  }

  /** Must run from a click: browsers refuse (and some punish) permission prompts without a gesture. */
  async askPermission(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    this.permission = await Notification.requestPermission();
  }

  message(message: MessageView, conversation: ConversationView, userId: string, openConversationId?: string): void {
    const decision = decideAlert(message, conversation, {
      userId,
      hidden: document.hidden,
      openConversationId,
      soundOn: this.soundOn,
      permission: this.permission,
    });
    if (decision.count) this.unseen.set(conversation.id, (this.unseen.get(conversation.id) ?? 0) + 1);
    if (decision.sound) playChime();
    if (decision.notify) this.notify(message, conversation);
  }

  /** An assignment or a mention for the bell: heard and shown by the browser while the tab is hidden. */
  notification(notification: NotificationView): void {
    const decision = decideNotificationAlert({
      hidden: document.hidden,
      soundOn: this.soundOn,
      permission: this.permission,
    });
    if (decision.sound) playChime();
    if (decision.notify && notification.conversationId)
      this.show(notificationTitle(notification), notification.preview, notification.conversationId);
  }

  /** Someone read it (its unread count went to 0) or it went to a colleague: it no longer waits for this operator. */
  conversation(conversation: ConversationView, userId: string): void {
    const elsewhere = conversation.assigneeId !== undefined && conversation.assigneeId !== userId;
    if (conversation.unreadCount === 0 || elsewhere) this.unseen.delete(conversation.id);
  }

  seen(conversationId: string): void {
    this.unseen.delete(conversationId);
  }

  reset(): void {
    this.unseen.clear();
  }

  private notify(message: MessageView, conversation: ConversationView): void {
    const name = conversation.contactName ?? message.author.name;
    this.show(name ? t('alerts.newMessageFrom', { name }) : t('alerts.newMessage'), preview(message), conversation.id);
  }

  private show(title: string, body: string, conversationId: string): void {
    const notification = new Notification(title, {
      body: body.slice(0, 160),
      // One notification per conversation: a burst of messages (and the assignment they bring) replaces it.
      tag: `conversation-${conversationId}`,
      icon: '/favicon.svg',
    });
    notification.onclick = () => {
      window.focus();
      location.hash = `#/inbox/${encodeURIComponent(conversationId)}`;
      notification.close();
    };
  }
}

export const frameAlerts = new FrameAlerts();
