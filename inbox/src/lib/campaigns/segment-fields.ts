import type { MessageKey } from '../i18n.svelte';
import type { BroadcastChannel, SegmentCondition } from './campaign-views';

/** The fields a segment filters on, in the order the builder offers them. */
export const SEGMENT_FIELDS = [
  'tag',
  'region',
  'source',
  'utm.source',
  'utm.medium',
  'utm.campaign',
  'language',
  'customField',
  'owner',
  'team',
  'company',
  'deal',
  'createdAt',
  'lastActivityAt',
  'channel',
  'consent',
] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];

/** What the value part of a row is: free text, a pick from a list, a number of days, a date, nothing. */
export type ValueKind =
  'text' | 'none' | 'language' | 'user' | 'team' | 'company' | 'days' | 'date' | 'channel' | 'deal';

const TEXT_OPS = ['is', 'is-not', 'contains', 'empty', 'not-empty'] as const;

/** Each field's operators; `value` says what the row asks for after the operator. */
export const FIELD_OPS: Record<SegmentField, readonly string[]> = {
  tag: ['has', 'not-has'],
  region: TEXT_OPS,
  source: TEXT_OPS,
  'utm.source': TEXT_OPS,
  'utm.medium': TEXT_OPS,
  'utm.campaign': TEXT_OPS,
  language: TEXT_OPS,
  customField: TEXT_OPS,
  owner: ['is', 'is-not'],
  team: ['is', 'is-not'],
  company: ['is', 'is-not'],
  deal: ['has', 'not-has'],
  createdAt: ['within-days', 'not-within-days', 'before', 'after'],
  lastActivityAt: ['within-days', 'not-within-days', 'before', 'after'],
  channel: ['has', 'not-has'],
  consent: ['not-opted-out', 'opted-in', 'opted-out'],
};

/** A row as the builder edits it: every value a string until the row is turned into a condition. */
export interface ConditionDraft {
  field: SegmentField;
  op: string;
  value: string;
  key: string;
  pipelineId: string;
  stageId: string;
  status: '' | 'open' | 'won' | 'lost';
}

export function valueKind(field: SegmentField, op: string): ValueKind {
  if (op === 'empty' || op === 'not-empty') return 'none';
  switch (field) {
    case 'tag':
    case 'region':
    case 'source':
    case 'utm.source':
    case 'utm.medium':
    case 'utm.campaign':
    case 'customField':
      return 'text';
    case 'language':
      return 'language';
    case 'owner':
      return 'user';
    case 'team':
      return 'team';
    case 'company':
      return 'company';
    case 'deal':
      return 'deal';
    case 'createdAt':
    case 'lastActivityAt':
      return op === 'before' || op === 'after' ? 'date' : 'days';
    case 'channel':
    case 'consent':
      return 'channel';
  }
}

export function fieldLabel(field: SegmentField): MessageKey {
  return `segments.field.${field}`;
}

export function opLabel(op: string): MessageKey {
  switch (op) {
    case 'has':
    case 'not-has':
    case 'is':
    case 'is-not':
    case 'contains':
    case 'empty':
    case 'not-empty':
    case 'within-days':
    case 'not-within-days':
    case 'before':
    case 'after':
    case 'opted-in':
    case 'opted-out':
    case 'not-opted-out':
      return `segments.op.${op}`;
    default:
      return 'segments.op.is';
  }
}

export function newDraft(field: SegmentField = 'tag'): ConditionDraft {
  return { field, op: FIELD_OPS[field][0] ?? 'is', value: '', key: '', pipelineId: '', stageId: '', status: '' };
}

/** The draft's field changed: the operator and value of the old field mean nothing for the new one. */
export function withField(draft: ConditionDraft, field: SegmentField): ConditionDraft {
  return { ...newDraft(field), ...(field === draft.field ? draft : {}) };
}

function isTextOp(op: string): op is (typeof TEXT_OPS)[number] {
  return TEXT_OPS.some((known) => known === op);
}

function isChannel(value: string): value is BroadcastChannel {
  return ['telegram', 'whatsapp', 'webchat', 'sms', 'email'].includes(value);
}

/** The server's condition for a row, or undefined while the row is not filled in enough to mean anything. */
export function conditionOf(draft: ConditionDraft): SegmentCondition | undefined {
  const value = draft.value.trim();
  const op = draft.op;
  switch (draft.field) {
    case 'tag':
      if (!value || (op !== 'has' && op !== 'not-has')) return undefined;
      return { field: 'tag', op, value };
    case 'region':
    case 'source':
    case 'utm.source':
    case 'utm.medium':
    case 'utm.campaign':
    case 'language':
      if (!isTextOp(op)) return undefined;
      if (op === 'empty' || op === 'not-empty') return { field: draft.field, op };
      return value ? { field: draft.field, op, value } : undefined;
    case 'customField':
      if (!draft.key || !isTextOp(op)) return undefined;
      if (op === 'empty' || op === 'not-empty') return { field: 'customField', key: draft.key, op };
      return value ? { field: 'customField', key: draft.key, op, value } : undefined;
    case 'owner':
    case 'team':
    case 'company':
      if (!value || (op !== 'is' && op !== 'is-not')) return undefined;
      return { field: draft.field, op, value };
    case 'createdAt':
    case 'lastActivityAt':
      return timeCondition(draft.field, op, value);
    case 'channel':
      if (!isChannel(value) || (op !== 'has' && op !== 'not-has')) return undefined;
      return { field: 'channel', op, value };
    case 'consent':
      if (!isChannel(value) || (op !== 'opted-in' && op !== 'opted-out' && op !== 'not-opted-out')) return undefined;
      return { field: 'consent', op, value };
    case 'deal':
      if (op !== 'has' && op !== 'not-has') return undefined;
      return {
        field: 'deal',
        op,
        ...(draft.pipelineId ? { pipelineId: draft.pipelineId } : {}),
        ...(draft.stageId ? { stageId: draft.stageId } : {}),
        ...(draft.status ? { status: draft.status } : {}),
      };
  }
}

function timeCondition(field: 'createdAt' | 'lastActivityAt', op: string, value: string): SegmentCondition | undefined {
  if (op === 'within-days' || op === 'not-within-days') {
    const days = Number(value);
    return value && Number.isInteger(days) && days >= 1 && days <= 3650 ? { field, op, value: days } : undefined;
  }
  if ((op !== 'before' && op !== 'after') || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return { field, op, value: new Date(`${value}T00:00:00`).toISOString() };
}

/** The browser's own calendar day of an ISO instant, as a date field shows it. */
function localDay(iso: string): string {
  const date = new Date(iso);
  const pad = (part: number) => String(part).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A saved condition back as a row the builder edits. */
export function draftOf(condition: SegmentCondition): ConditionDraft {
  const base = newDraft(condition.field);
  const op = condition.op;
  switch (condition.field) {
    case 'customField':
      return { ...base, op, key: condition.key, value: condition.value ?? '' };
    case 'deal':
      return {
        ...base,
        op,
        pipelineId: condition.pipelineId ?? '',
        stageId: condition.stageId ?? '',
        status: condition.status ?? '',
      };
    case 'createdAt':
    case 'lastActivityAt':
      return {
        ...base,
        op,
        value: typeof condition.value === 'number' ? String(condition.value) : localDay(condition.value),
      };
    default:
      return {
        ...base,
        op,
        value: 'value' in condition && condition.value !== undefined ? String(condition.value) : '',
      };
  }
}
