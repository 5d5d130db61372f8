import { Types } from 'mongoose';
import { escapeRegex } from '../db/escape-regex.js';
import { channelReachFilter } from './channel-reach.js';
import { dateBound, daysAgo } from './date-bound.js';
import type { RelationCondition } from './relation-condition.js';
import type { SegmentCondition, TextOp } from './segment-definition.js';

type ContactCondition = Exclude<SegmentCondition, RelationCondition>;

/**
 * A text comparison on one field. 'is' is exact, so it can use an index; 'contains' ignores case.
 * 'is-not' also matches contacts without the field, as a person reading "region is not Москва"
 * expects. `equalTo` lists the stored values that count as equal (custom fields keep numbers and
 * booleans as such).
 */
function textFilter(path: string, op: TextOp, value: string | undefined, equalTo = (v: string): unknown[] => [v]) {
  switch (op) {
    case 'is':
      return { [path]: { $in: equalTo(value ?? '') } };
    case 'is-not':
      return { [path]: { $nin: equalTo(value ?? '') } };
    case 'contains':
      return { [path]: { $regex: escapeRegex(value ?? ''), $options: 'i' } };
    case 'empty':
      return { [path]: { $in: [null, '', []] } };
    case 'not-empty':
      return { [path]: { $nin: [null, '', []] } };
  }
}

/** A custom field's value typed "5" or "true" in the builder also matches the number or boolean stored. */
function customValues(value: string): unknown[] {
  const values: unknown[] = [value];
  if (value.trim() !== '' && Number.isFinite(Number(value))) values.push(Number(value));
  if (value === 'true' || value === 'false') values.push(value === 'true');
  return values;
}

function idFilter(path: string, op: 'is' | 'is-not', id: string) {
  const value = new Types.ObjectId(id);
  return op === 'is' ? { [path]: value } : { [path]: { $ne: value } };
}

function createdAtFilter(condition: Extract<ContactCondition, { field: 'createdAt' }>, now: Date) {
  switch (condition.op) {
    case 'within-days':
      return { createdAt: { $gte: daysAgo(now, condition.value) } };
    case 'not-within-days':
      return { createdAt: { $lt: daysAgo(now, condition.value) } };
    case 'before':
      return { createdAt: { $lt: dateBound(condition.value, 'before') } };
    case 'after':
      return { createdAt: { $gte: dateBound(condition.value, 'after') } };
  }
}

/** One condition on the contact's own fields as a contacts query (a condition of a store query, no I/O). */
export function contactConditionFilter(condition: ContactCondition, now: Date): Record<string, unknown> {
  switch (condition.field) {
    case 'tag':
      return condition.op === 'has' ? { tags: condition.value } : { tags: { $ne: condition.value } };
    case 'region':
    case 'source':
    case 'utm.source':
    case 'utm.medium':
    case 'utm.campaign':
    case 'language':
      return textFilter(condition.field, condition.op, condition.value);
    case 'customField':
      return textFilter(`customFields.${condition.key}`, condition.op, condition.value, customValues);
    case 'owner':
      return idFilter('ownerId', condition.op, condition.value);
    case 'team':
      return idFilter('teamIds', condition.op, condition.value);
    case 'company':
      return idFilter('companyId', condition.op, condition.value);
    case 'createdAt':
      return createdAtFilter(condition, now);
    case 'channel':
      return condition.op === 'has'
        ? channelReachFilter(condition.value)
        : { $nor: [channelReachFilter(condition.value)] };
    case 'consent': {
      const path = `consent.${condition.value}.status`;
      switch (condition.op) {
        case 'opted-in':
          return { [path]: 'opted-in' };
        case 'opted-out':
          return { [path]: 'opted-out' };
        case 'not-opted-out':
          return { [path]: { $ne: 'opted-out' } };
      }
    }
  }
}
