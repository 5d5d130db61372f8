/** The deal, pipeline and calendar shapes the CRM views read (server/deals, pipelines, appointments), as JSON sends them. */

export type StageKind = 'open' | 'won' | 'lost';

export interface Stage {
  id: string;
  name: string;
  kind: StageKind;
  order: number;
}

export interface Pipeline {
  id: string;
  name: string;
  kind: 'leads' | 'sales' | 'other';
  /** The key flow files name a shipped pipeline by ('sales', 'installments'). */
  systemKey?: string;
  stages: Stage[];
  lostReasons: string[];
  archived: boolean;
}

export interface Deal {
  id: string;
  title: string;
  pipelineId: string;
  stageId: string;
  amount: number;
  currency: string;
  ownerId: string;
  contactId?: string;
  /** Given by the list (`GET /deals`), not by single reads or pushes. */
  contactName?: string;
  /** The earliest open task, given by the list like the contact's name. */
  nextTask?: { title: string; dueAt?: string };
  /** What the bot's qualification and people saved, by the keys of the deal's custom field definitions. */
  customFields?: Record<string, unknown>;
  status: StageKind;
  lostReason?: string;
  closedAt?: string;
  stageHistory: { pipelineId: string; stageId: string; enteredAt: string; leftAt?: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface Amount {
  currency: string;
  amount: number;
}

/** `GET /deals/totals`: each stage's deal count and sums, whatever part of it is loaded. */
export interface StageTotal {
  stageId: string;
  count: number;
  amounts: Amount[];
}

/** A timeline entry of kind `stage` (server/deals/stage-timeline-items.ts). */
export interface StageChangeView {
  dealId: string;
  dealTitle: string;
  pipelineName: string;
  from?: { id: string; name: string };
  to: { id: string; name: string; kind: StageKind };
  by: { kind: 'user' | 'automation'; name?: string };
  lostReason?: string;
}

export interface Appointment {
  id: string;
  title: string;
  managerId: string;
  contactId?: string;
  dealId?: string;
  startsAt: string;
  endsAt: string;
  place?: string;
  onlineUrl?: string;
  status: string;
}
