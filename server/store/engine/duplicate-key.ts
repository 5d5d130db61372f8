import { ErrorCodes, WriteError } from '../errors.js';
import type { IndexHandle } from './index-handle.js';
import { TypeTag, typeTagOf } from './key-encoding.js';

/** Renders a value the way MongoDB prints it in an E11000 message. */
function renderValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeTagOf(value)) {
    case TypeTag.String:
      return JSON.stringify(String(value));
    case TypeTag.ObjectId:
      return `ObjectId('${String((value as { toHexString(): string }).toHexString())}')`;
    case TypeTag.Date:
      return `new Date(${(value as Date).getTime()})`;
    case TypeTag.Array:
      return `[ ${(value as unknown[]).map(renderValue).join(', ')} ]`;
    case TypeTag.Object:
      return `{ ${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${renderValue(v)}`)
        .join(', ')} }`;
    default:
      return String(value);
  }
}

export function duplicateKeyError(ns: string, index: IndexHandle, values: unknown[]): WriteError {
  const keyValue: Record<string, unknown> = {};
  index.fields.forEach((field, i) => (keyValue[field.path] = values[i] ?? null));
  const rendered = index.fields.map((field, i) => `${field.path}: ${renderValue(values[i])}`).join(', ');
  return new WriteError(
    ErrorCodes.DuplicateKey,
    `E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: { ${rendered} }`,
    { keyPattern: index.spec.key, keyValue },
  );
}
