/**
 * The segment and broadcast API's answers as the Campaigns section reads them (the issue 11
 * contract: server/segments, server/broadcasts), as JSON sends them: dates are ISO strings.
 */
import type { ChannelType } from '../inbox-views.js';

/** The channels a broadcast can go out on, in the server's default order. */
export const BROADCAST_CHANNELS = ['telegram', 'whatsapp', 'webchat', 'sms', 'email'] as const;
export type BroadcastChannel = (typeof BROADCAST_CHANNELS)[number] & ChannelType;

export type TextOp = 'is' | 'is-not' | 'contains' | 'empty' | 'not-empty';

/** One row of a segment's filter; the server's zod schema is discriminated on `field` the same way. */
export type SegmentCondition =
  | { field: 'tag'; op: 'has' | 'not-has'; value: string }
  | {
      field: 'region' | 'source' | 'utm.source' | 'utm.medium' | 'utm.campaign' | 'language';
      op: TextOp;
      value?: string;
    }
  | { field: 'customField'; key: string; op: TextOp; value?: string }
  | { field: 'owner' | 'team' | 'company'; op: 'is' | 'is-not'; value: string }
  | { field: 'createdAt' | 'lastActivityAt'; op: 'within-days' | 'not-within-days'; value: number }
  | { field: 'createdAt' | 'lastActivityAt'; op: 'before' | 'after'; value: string }
  | { field: 'channel'; op: 'has' | 'not-has'; value: BroadcastChannel }
  | { field: 'consent'; op: 'opted-in' | 'opted-out' | 'not-opted-out'; value: BroadcastChannel }
  | {
      field: 'deal';
      op: 'has' | 'not-has';
      pipelineId?: string;
      stageId?: string;
      status?: 'open' | 'won' | 'lost';
    };

export interface SegmentDefinition {
  match: 'all' | 'any';
  conditions: SegmentCondition[];
}

export interface SegmentView {
  id: string;
  name: string;
  kind: 'filter' | 'static';
  definition?: SegmentDefinition;
  memberCount?: number;
  createdById: string;
  createdAt: string;
  updatedAt: string;
}

/** `POST /segments/preview`: the builder's live count and its first rows. */
export interface SegmentPreview {
  count: number;
  rows: { id: string; name: string; channels: string[]; tags: string[] }[];
}

/** `POST /segments/static`: the list made from a CSV, and how its rows matched. */
export interface StaticListReport {
  segment: SegmentView;
  matched: number;
  unmatched: number;
  invalidRows: { line: number; reason: string }[];
}

export const BROADCAST_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'cancelled', 'completed'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

export interface BroadcastCounts {
  audience: number;
  planned: number;
  skipped: number;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  replied: number;
  optedOut: number;
  /** Recipients who opened a tracked link at least once. */
  clicked: number;
  /** Leads and deals created for recipients within 7 days of the send; `won` of those deals, `revenue` their amounts. */
  leads: number;
  deals: number;
  won: number;
  revenue: number;
}

export interface BroadcastVariants {
  telegram?: { text: string; buttons?: { text: string; url: string }[]; mediaFileId?: string };
  whatsapp?: { text?: string; template?: { name: string; language: string; parameters: string[] } };
  sms?: { text: string };
  email?: { subject: string; html: string; text?: string };
  webchat?: { text: string };
}

/** What the composer sends to `POST /broadcasts` and `PATCH /broadcasts/:id`. */
export interface BroadcastInput {
  name: string;
  segmentId: string;
  variants: BroadcastVariants;
  channelOrder: BroadcastChannel[];
  schedule?: { at: string };
  quietHours?: { from: string; to: string };
  timeZone?: string;
  cost?: { amount: number; currency: string };
}

export interface BroadcastView extends BroadcastInput {
  id: string;
  status: BroadcastStatus;
  timeZone: string;
  counts: BroadcastCounts;
  countsByChannel: Partial<Record<BroadcastChannel, BroadcastCounts>>;
  launchedAt?: string;
  completedAt?: string;
  createdById: string;
  createdAt: string;
  updatedAt: string;
  /** When the last message is expected to go out, at the current rate; null when unknown. */
  eta?: string | null;
  ratePerSecond?: number;
  /** With a cost: the cost over the leads (null without leads) and (revenue − cost) / cost. */
  costPerLead?: number | null;
  roi?: number | null;
}

export const RECIPIENT_STATUSES = [
  'planned',
  'skipped',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
  'cancelled',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export interface RecipientView {
  id?: string;
  broadcastId: string;
  contactId: string;
  /** Given when the server joins the contact's name in; the table falls back to the id. */
  contactName?: string;
  channel?: BroadcastChannel;
  accountId?: string;
  status: RecipientStatus;
  skipReason?: string;
  messageId?: string;
  repliedAt?: string;
  sentAt?: string;
}
