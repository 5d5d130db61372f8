import { getJson } from '../get-json';
import { sendJson } from '../send-json';

/** A notification as the API gives it (server/notifications/notification-schemas.ts). */
export interface NotificationView {
  id: string;
  kind: string;
  actor: { id: string; name: string } | null;
  conversationId?: string;
  contactId?: string;
  preview: string;
  readAt?: string;
  createdAt: string;
}

const PAGE = 30;

/** The bell's list: the latest notifications and the unread count, live from `notification.created`. */
class NotificationFeed {
  items = $state<NotificationView[]>([]);
  unread = $state(0);
  state = $state<'idle' | 'loading' | 'ready' | 'failed'>('idle');

  async load(): Promise<void> {
    this.state = 'loading';
    try {
      const page = await getJson<{ items: NotificationView[]; unread: number }>(`/api/v1/notifications?limit=${PAGE}`);
      this.items = page.items;
      this.unread = page.unread;
      this.state = 'ready';
    } catch {
      this.state = 'failed';
    }
  }

  created(notification: NotificationView): void {
    if (this.items.some((item) => item.id === notification.id)) return;
    this.items = [notification, ...this.items].slice(0, PAGE);
    if (!notification.readAt) this.unread += 1;
  }

  async read(id: string, csrfToken?: string): Promise<void> {
    const item = this.items.find((candidate) => candidate.id === id);
    if (!item || item.readAt) return;
    const readAt = new Date().toISOString();
    this.items = this.items.map((candidate) => (candidate.id === id ? { ...candidate, readAt } : candidate));
    this.unread = Math.max(0, this.unread - 1);
    // A read mark that does not reach the server comes back unread on the next load; nothing is lost.
    await sendJson('POST', `/api/v1/notifications/${encodeURIComponent(id)}/read`, undefined, csrfToken);
  }

  async readAll(csrfToken?: string): Promise<void> {
    const readAt = new Date().toISOString();
    this.items = this.items.map((item) => (item.readAt ? item : { ...item, readAt }));
    this.unread = 0;
    await sendJson('POST', '/api/v1/notifications/read-all', undefined, csrfToken);
  }

  reset(): void {
    this.items = [];
    this.unread = 0;
    this.state = 'idle';
  }
}

export const notificationFeed = new NotificationFeed();
