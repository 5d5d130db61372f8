import type { ConversationView, MessageView } from '../inbox-views.js';

/** The browser's `Notification.permission`, or `unsupported` where there is no Notification API. */
export type NotificationPermissionState = 'default' | 'granted' | 'denied' | 'unsupported';

/** Where the operator is and what they allowed, when a message arrives. */
export interface AlertContext {
  userId: string;
  /** The tab is in the background (`document.hidden`). */
  hidden: boolean;
  /** The conversation open on screen, if any. */
  openConversationId?: string;
  soundOn: boolean;
  permission: NotificationPermissionState;
}

/** What a new message does: count in the tab title, play the chime, show a browser notification. */
export interface AlertDecision {
  count: boolean;
  sound: boolean;
  notify: boolean;
}

const NOTHING: AlertDecision = { count: false, sound: false, notify: false };

/**
 * Whether a message pushed on the socket should catch the operator's attention. Only the client's
 * messages do, and only in conversations that are theirs or nobody's yet: a colleague's chat is
 * the colleague's to hear. A conversation the operator is looking at needs no alert at all.
 */
export function decideAlert(
  message: Pick<MessageView, 'direction' | 'conversationId'>,
  conversation: Pick<ConversationView, 'assigneeId'>,
  context: AlertContext,
): AlertDecision {
  if (message.direction !== 'in') return NOTHING;
  if (conversation.assigneeId && conversation.assigneeId !== context.userId) return NOTHING;
  if (!context.hidden && context.openConversationId === message.conversationId) return NOTHING;
  return { count: true, sound: context.soundOn, notify: context.hidden && context.permission === 'granted' };
}

/**
 * What a bell notification (an assignment, a mention) does besides the bell's badge: while the tab
 * is hidden the operator cannot see the badge, so it chimes and shows a browser notification.
 */
export function decideNotificationAlert(
  context: Pick<AlertContext, 'hidden' | 'soundOn' | 'permission'>,
): Omit<AlertDecision, 'count'> {
  if (!context.hidden) return { sound: false, notify: false };
  return { sound: context.soundOn, notify: context.permission === 'granted' };
}
