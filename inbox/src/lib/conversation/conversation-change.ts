/** What `PATCH /conversations/:id` takes (server/messaging/conversation-change-schema.ts); null clears. */
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface ConversationChange {
  status?: 'open' | 'pending' | 'snoozed' | 'resolved';
  /** ISO time with offset, with status 'snoozed' only. */
  snoozedUntil?: string;
  priority?: Priority;
  addLabels?: string[];
  removeLabels?: string[];
  assigneeId?: string | null;
  teamId?: string | null;
  handler?: 'bot' | 'human';
}
