/**
 * The API's shapes the Tasks, Contacts and Settings sections read (server/tasks, contacts, deals,
 * users, channels, canned, imports), as JSON sends them: dates are ISO strings.
 */

export type Role = 'admin' | 'manager' | 'operator' | 'marketer';

export interface TaskItem {
  id: string;
  title: string;
  kind: 'call' | 'meeting' | 'measurement' | 'other';
  description?: string;
  assigneeId: string;
  dueAt?: string;
  done: boolean;
  doneAt?: string;
  result?: string;
  contactId?: string;
  dealId?: string;
  createdAt: string;
}

export interface ContactItem {
  id: string;
  name: string;
  phones: { raw: string; e164: string }[];
  emails: string[];
  identities: { channel: string; accountId?: string; externalId: string }[];
  companyId?: string;
  ownerId?: string;
  teamIds: string[];
  tags: string[];
  region?: string;
  source?: string;
  status: 'active' | 'merged';
  mergedInto?: string;
  createdAt: string;
}

export interface DealItem {
  id: string;
  title: string;
  pipelineId: string;
  stageId: string;
  amount: number;
  currency: string;
  ownerId: string;
  contactId?: string;
  status: string;
  createdAt: string;
}

export interface WorkingInterval {
  weekday: number;
  from: string;
  to: string;
}

export interface UserItem {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamIds: string[];
  active: boolean;
  workingHours: WorkingInterval[];
  timeZone: string;
  language: 'ru' | 'en';
  createdAt: string;
}

export interface TeamItem {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  createdAt: string;
}

export interface ChannelItem {
  id: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  /** Which secrets are set, each shown by its last characters only. */
  secrets: Record<string, string>;
  teamIds: string[];
  ratePerSecond: number;
  webhookUrl?: string;
  webhookStatus?: { state: 'registered' | 'failed' | 'manual' | 'polling'; at: string; error?: string };
  embedCode?: string;
  /** The demo's Telegram bot, served by the app's own Bot API sandbox rather than Telegram. */
  sandbox?: boolean;
  createdAt: string;
}

export interface CannedItem {
  id: string;
  shortcut: string;
  text: { ru?: string; en?: string };
  visibility: 'personal' | 'team' | 'everyone';
  teamId?: string;
  ownerId: string;
}

export interface ImportJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  processed: number;
  total: number;
  report: {
    total: number;
    created: number;
    matched: number;
    rejected: { row: number; reason: string }[];
    rejectedCount: number;
  };
  error?: string;
}

export interface ImportColumns {
  columns: string[];
  rowCount: number;
  sample: string[][];
}
