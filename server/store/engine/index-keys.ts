import { CommandError, ErrorCodes } from '../errors.js';
import { complement, encodeKey, isPlainObject } from './key-encoding.js';

/** One field of an index's key pattern. `direction` -1 stores the component complemented. */
export interface IndexField {
  path: string;
  direction: 1 | -1;
}

export interface IndexKey {
  bytes: Buffer;
  /** The component values (for duplicate-key errors: `keyValue`). */
  values: unknown[];
}

export interface DocumentKeys {
  keys: IndexKey[];
  /** Some component came from an array: the index becomes multikey. */
  multikey: boolean;
  /** Every component was missing from the document (a sparse index skips it). */
  allMissing: boolean;
}

interface PathValues {
  values: unknown[];
  fromArray: boolean;
  found: boolean;
}

/** Values at a dotted path, fanning out through arrays the way MongoDB's key generator does. */
export function valuesAtPath(doc: unknown, path: string): PathValues {
  const out: PathValues = { values: [], fromArray: false, found: false };
  collect(doc, path.split('.'), 0, out);
  return out;
}

function collect(value: unknown, parts: string[], i: number, out: PathValues): void {
  if (i === parts.length) {
    if (value === undefined) {
      out.values.push(null);
      return;
    }
    out.found = true;
    if (!Array.isArray(value)) {
      out.values.push(value);
      return;
    }
    out.fromArray = true;
    if (value.length === 0) out.values.push(undefined);
    else out.values.push(...value);
    return;
  }
  const part = parts[i]!;
  if (Array.isArray(value)) {
    out.fromArray = true;
    const position = /^\d+$/.test(part) ? Number(part) : -1;
    if (position >= 0) {
      collect(value[position], parts, i + 1, out);
      return;
    }
    if (value.length === 0) out.values.push(null);
    for (const element of value) {
      if (isPlainObject(element)) collect(element, parts, i, out);
      else out.values.push(null);
    }
    return;
  }
  if (isPlainObject(value)) {
    collect(value[part], parts, i + 1, out);
    return;
  }
  out.values.push(null);
}

function encodeComponent(value: unknown, direction: 1 | -1): Buffer {
  const bytes = encodeKey(value);
  return direction === 1 ? bytes : complement(bytes);
}

/** All index keys of a document for a key pattern (deduplicated, multikey expanded). */
export function documentKeys(doc: Record<string, unknown>, fields: IndexField[]): DocumentKeys {
  const perField = fields.map((field) => valuesAtPath(doc, field.path));
  const arrayFields = fields.filter((_, i) => perField[i]!.fromArray && perField[i]!.values.length > 1);
  if (arrayFields.length > 1) {
    throw new CommandError(
      ErrorCodes.CannotIndexParallelArrays,
      `cannot index parallel arrays [${arrayFields[1]!.path}] [${arrayFields[0]!.path}]`,
    );
  }
  let combos: { parts: Buffer[]; values: unknown[] }[] = [{ parts: [], values: [] }];
  perField.forEach((pv, i) => {
    const direction = fields[i]!.direction;
    const encoded = pv.values.map((v) => ({ v, bytes: encodeComponent(v, direction) }));
    const next: typeof combos = [];
    for (const combo of combos) {
      for (const { v, bytes } of encoded) next.push({ parts: [...combo.parts, bytes], values: [...combo.values, v] });
    }
    combos = next;
  });
  const seen = new Set<string>();
  const keys: IndexKey[] = [];
  for (const combo of combos) {
    const bytes = combo.parts.length === 1 ? combo.parts[0]! : Buffer.concat(combo.parts);
    const id = bytes.toString('latin1');
    if (seen.has(id)) continue;
    seen.add(id);
    keys.push({ bytes, values: combo.values });
  }
  return {
    keys,
    multikey: perField.some((pv) => pv.fromArray),
    allMissing: perField.every((pv) => !pv.found),
  };
}
