import type { Document } from 'bson';
import { bsonTypeName, CommandError, ErrorCodes } from '../errors.js';
import { TypeTag, typeTagOf } from './key-encoding.js';

/**
 * Checks an operator update against the document it applies to, with MongoDB's errors. mingo
 * skips an operator whose target has the wrong type (`$inc` on a string, `$push` on a number)
 * and leaves the document as it was; MongoDB fails the write instead.
 */

/** Operators that create the path they write to, so a scalar on the way is an error. */
const CREATING_OPERATORS = new Set(['$set', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$bit']);

type Existing =
  | { kind: 'found'; value: unknown }
  | { kind: 'missing' }
  | { kind: 'blocked'; field: string; value: unknown; next: string }
  /** The path goes through positional operators or fans out over an array: mingo decides. */
  | { kind: 'unknown' };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeTagOf(value) === TypeTag.Object && !Array.isArray(value);
}

function resolveExisting(doc: Record<string, unknown>, path: string): Existing {
  const parts = path.split('.');
  if (parts.some((part) => part.startsWith('$'))) return { kind: 'unknown' };
  let node: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(part)) return { kind: 'unknown' };
      node = node[Number(part)];
    } else if (isPlainObject(node)) {
      if (!(part in node)) return { kind: 'missing' };
      node = node[part];
    } else {
      return { kind: 'blocked', field: parts[i - 1]!, value: node, next: part };
    }
    if (node === undefined) return { kind: 'missing' };
  }
  return { kind: 'found', value: node };
}

function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  return String(value);
}

function idOf(doc: Record<string, unknown>): string {
  return `{_id: ${render(doc._id)}}`;
}

function isInteger(value: unknown): boolean {
  const type = bsonTypeName(value);
  return type === 'int' || type === 'long';
}

function checkValue(op: string, path: string, value: unknown, doc: Record<string, unknown>): void {
  const field = path.split('.').pop()!;
  const type = bsonTypeName(value);
  switch (op) {
    case '$inc':
    case '$mul':
      if (typeTagOf(value) !== TypeTag.Number) {
        throw new CommandError(
          ErrorCodes.TypeMismatch,
          `Cannot apply ${op} to a value of non-numeric type. ${idOf(doc)} has the field '${field}' of non-numeric type ${type}`,
        );
      }
      return;
    case '$push':
    case '$addToSet':
      if (!Array.isArray(value)) {
        throw new CommandError(ErrorCodes.BadValue, `The field '${path}' must be an array but is of type ${type} in document ${idOf(doc)}`);
      }
      return;
    case '$pop':
      if (!Array.isArray(value)) throw new CommandError(ErrorCodes.TypeMismatch, `Path '${path}' contains an element of non-array type '${type}'`);
      return;
    case '$pull':
    case '$pullAll':
      if (!Array.isArray(value)) throw new CommandError(ErrorCodes.BadValue, `Cannot apply ${op} to a non-array value`);
      return;
    case '$bit':
      if (!isInteger(value)) {
        throw new CommandError(
          ErrorCodes.BadValue,
          `Cannot apply $bit to a value of non-integral type.${idOf(doc)} has the field ${field} of non-integer type ${type}`,
        );
      }
      return;
  }
}

/** Throws MongoDB's error when an operator cannot apply to the current value at its path. */
export function assertUpdateApplies(doc: Record<string, unknown>, operators: Document): void {
  for (const [op, args] of Object.entries(operators)) {
    if (!args || typeof args !== 'object') continue;
    for (const path of Object.keys(args as Document)) {
      const existing = resolveExisting(doc, path);
      if (existing.kind === 'found') checkValue(op, path, existing.value, doc);
      else if (existing.kind === 'blocked' && CREATING_OPERATORS.has(op)) {
        throw new CommandError(
          ErrorCodes.PathNotViable,
          `Cannot create field '${existing.next}' in element {${existing.field}: ${render(existing.value)}}`,
        );
      }
    }
  }
}
