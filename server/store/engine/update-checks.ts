import type { Document } from 'bson';
import { bsonTypeName, CommandError, ErrorCodes } from '../errors.js';
import { TypeTag, typeTagOf, isPlainObject } from './key-encoding.js';

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

/** A value as MongoDB's messages print it: `"text"`, `[ 1, 2 ]`, `{ a: 1 }`. */
function render(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map(render).join(', ')} ]`;
  if (isPlainObject(value)) {
    const fields = Object.entries(value).map(([key, inner]) => `${key}: ${render(inner)}`);
    return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
  }
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
        throw new CommandError(
          ErrorCodes.BadValue,
          `The field '${path}' must be an array but is of type ${type} in document ${idOf(doc)}`,
        );
      }
      return;
    case '$pop':
      if (!Array.isArray(value))
        throw new CommandError(
          ErrorCodes.TypeMismatch,
          `Path '${path}' contains an element of non-array type '${type}'`,
        );
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

/** A field on the way down a path, and the value it holds. */
interface Step {
  field: string;
  value: unknown;
}

/** The child a path part names: a field of a document, an index of an array. */
function childOf(node: unknown, part: string): unknown {
  if (Array.isArray(node)) return /^\d+$/.test(part) ? node[Number(part)] : undefined;
  return isPlainObject(node) && Object.hasOwn(node, part) ? node[part] : undefined;
}

/** The field nearest the end of `steps` that holds an array. */
function arrayOnTheWay(steps: Step[]): Step | undefined {
  return steps.findLast((step) => Array.isArray(step.value));
}

function arrayElementError(role: 'source' | 'destination', path: string, doc: Record<string, unknown>, array: Step) {
  const id = doc._id === undefined ? 'no id' : `_id: ${render(doc._id)}`;
  return new CommandError(
    ErrorCodes.BadValue,
    `The ${role} field cannot be an array element, '${path}' in doc with ${id} has an array field called '${array.field}'`,
  );
}

/**
 * `$rename` against the document (RenameNode::apply): a missing source is a no-op, a source
 * reached through a scalar or by a field name on an array fails, and neither the source nor
 * the destination may be inside an array. mingo renames or skips without these checks.
 */
function assertRenameApplies(doc: Record<string, unknown>, from: string, to: string): void {
  const source: Step[] = [];
  let node: unknown = doc;
  for (const part of from.split('.')) {
    if (!isPlainObject(node) && !(Array.isArray(node) && /^\d+$/.test(part))) {
      const blocking = source[source.length - 1]!;
      throw new CommandError(
        ErrorCodes.PathNotViable,
        `cannot use the part (${blocking.field} of ${from}) to traverse the element ({${blocking.field}: ${render(blocking.value)}})`,
      );
    }
    node = childOf(node, part);
    if (node === undefined) return;
    source.push({ field: part, value: node });
  }
  const sourceArray = arrayOnTheWay(source.slice(0, -1));
  if (sourceArray) throw arrayElementError('source', from, doc, sourceArray);
  // The destination's existing part: the fields it will be created under, or, when the whole
  // path exists, the fields above the value it replaces.
  const destination: Step[] = [];
  node = doc;
  for (const part of to.split('.')) {
    node = childOf(node, part);
    if (node === undefined) break;
    destination.push({ field: part, value: node });
  }
  const parts = to.split('.');
  const above = destination.length === parts.length ? destination.slice(0, -1) : destination;
  const destinationArray = arrayOnTheWay(above);
  if (destinationArray) throw arrayElementError('destination', to, doc, destinationArray);
  const deepest = destination[destination.length - 1];
  if (deepest && destination.length < parts.length && !isPlainObject(deepest.value)) {
    throw new CommandError(
      ErrorCodes.PathNotViable,
      `Cannot create field '${parts[destination.length]}' in element {${deepest.field}: ${render(deepest.value)}}`,
    );
  }
}

/** Throws MongoDB's error when an operator cannot apply to the current value at its path. */
export function assertUpdateApplies(doc: Record<string, unknown>, operators: Document): void {
  for (const [op, args] of Object.entries(operators)) {
    if (!args || typeof args !== 'object') continue;
    for (const path of Object.keys(args as Document)) {
      if (op === '$rename') {
        assertRenameApplies(doc, path, String((args as Document)[path]));
        continue;
      }
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

const IDENTIFIER = /^[a-z][a-zA-Z0-9]*$/;

/** The `$[identifier]` names an operator update uses in its paths. */
function usedIdentifiers(update: Document): Map<string, string> {
  const used = new Map<string, string>();
  for (const [op, args] of Object.entries(update)) {
    if (!op.startsWith('$') || !args || typeof args !== 'object') continue;
    const paths = Object.keys(args as Document);
    if (op === '$rename') paths.push(...Object.values(args as Document).map(String));
    for (const path of paths) {
      for (const match of path.matchAll(/\$\[([^\]]+)\]/g)) if (!used.has(match[1]!)) used.set(match[1]!, path);
    }
  }
  return used;
}

/**
 * Checks `arrayFilters` against the update as MongoDB's parser does, before any document is
 * read: one identifier per filter, each filter used, each `$[identifier]` given a filter.
 */
export function validateArrayFilters(update: unknown, arrayFilters: unknown): void {
  if (arrayFilters === undefined || arrayFilters === null) arrayFilters = [];
  if (!Array.isArray(arrayFilters))
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      "BSON field 'arrayFilters' is the wrong type, expected type 'array'",
    );
  if (!update || typeof update !== 'object' || Array.isArray(update)) return;
  const declared = new Set<string>();
  for (const filter of arrayFilters as unknown[]) {
    if (!filter || typeof filter !== 'object' || Array.isArray(filter)) {
      throw new CommandError(ErrorCodes.TypeMismatch, 'Each array filter must be an object');
    }
    const names = new Set(
      Object.keys(filter)
        .filter((key) => !key.startsWith('$'))
        .map((key) => key.split('.')[0]!),
    );
    if (names.size !== 1) {
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Error parsing array filter :: caused by :: Expected a single top-level field name, found ${[...names].map((n) => `'${n}'`).join(' and ') || 'none'}`,
      );
    }
    const name = [...names][0]!;
    if (!IDENTIFIER.test(name)) {
      throw new CommandError(
        ErrorCodes.BadValue,
        `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${name}'`,
      );
    }
    if (declared.has(name))
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Found multiple array filters with the same top-level field name ${name}`,
      );
    declared.add(name);
  }
  const used = usedIdentifiers(update as Document);
  for (const [name, path] of used) {
    if (!declared.has(name))
      throw new CommandError(ErrorCodes.BadValue, `No array filter found for identifier '${name}' in path '${path}'`);
  }
  for (const name of declared) {
    if (!used.has(name)) {
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `The array filter for identifier '${name}' was not used in the update ${JSON.stringify(update)}`,
      );
    }
  }
}
