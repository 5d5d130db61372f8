import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { expect } from 'vitest';

/**
 * Shared parts of the fuzz suites (test/fuzz): the run budget, the hostile-input arbitraries, the
 * per-answer assertion and the process and store watchers.
 *
 * FUZZ_RUNS is the total number of generated payloads across every suite (10,000 by default, what
 * `npm test` runs); each endpoint gets a share of it. A longer soak: `FUZZ_RUNS=200000 npx vitest run test/fuzz`.
 */
export const FUZZ_TOTAL = Math.max(1, Number(process.env.FUZZ_RUNS ?? 10_000) || 10_000);

/** This endpoint's part of the total: `share` of FUZZ_TOTAL, at least a handful. */
export function runsOf(share: number): number {
  return Math.max(5, Math.round(FUZZ_TOTAL * share));
}

/** Timeout for a property of `runs` requests: generous, since a soak run is long by design. */
export function timeoutFor(runs: number, perRunMs = 40): number {
  return 30_000 + runs * perRunMs;
}

/** fast-check settings shared by every property; FUZZ_SEED replays a failing run. */
export function fuzzParameters<Ts>(runs: number): fc.Parameters<Ts> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  return { numRuns: runs, ...(seed === undefined ? {} : { seed }), endOnFailure: false };
}

/** Keys that poison a prototype or a MongoDB query when they reach one unchecked. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$gt',
  '$ne',
  '$set',
  '$regex',
  'a.b',
  '$',
  '',
] as const;

const hostileKey = fc.constantFrom(...HOSTILE_KEYS);
const anyKey = fc.oneof(fc.string({ maxLength: 12 }), hostileKey);

/** Any JSON value, including deep ones with hostile keys. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e308, -0, '', 'null', '{}'),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(anyKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** A plain object whose keys are mostly the hostile ones, serialized by hand so `__proto__` stays a key. */
export const hostileJsonText: fc.Arbitrary<string> = fc
  .array(fc.tuple(hostileKey, jsonValue), { minLength: 1, maxLength: 5 })
  .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`);

/** A value of another JSON type than `value`. */
function wrongTypeFor(value: unknown, nullIsValid: boolean): fc.Arbitrary<unknown> {
  const choices: fc.Arbitrary<unknown>[] = [];
  if (typeof value !== 'string') choices.push(fc.string({ maxLength: 30 }), fc.constant(''));
  if (typeof value !== 'number') choices.push(fc.integer(), fc.double({ noNaN: true }));
  if (typeof value !== 'boolean') choices.push(fc.boolean());
  if (value !== null && !nullIsValid) choices.push(fc.constant(null));
  if (!Array.isArray(value)) choices.push(fc.array(jsonValue, { maxLength: 3 }));
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    choices.push(fc.dictionary(anyKey, jsonValue, { maxKeys: 3 }));
  return fc.oneof(...choices);
}

/** A wrong value for one leaf; objects and arrays of objects are followed down. */
function wrongLeaf(value: unknown, nullIsValid: boolean): fc.Arbitrary<unknown> {
  if (Array.isArray(value) && value.length > 0)
    return fc.oneof(wrongTypeFor(value, nullIsValid), fc.tuple(...value.map((item) => wrongLeaf(item, nullIsValid))));
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return fc.oneof(wrongTypeFor(value, nullIsValid), wrongTypes(value as Record<string, unknown>, { nullIsValid }));
  return wrongTypeFor(value, nullIsValid);
}

/**
 * Objects of `template`'s shape (same keys, nested objects followed) where at least one leaf has
 * another type; the other leaves keep the template's value or get a wrong one too. `nullIsValid`
 * for a PATCH, where null clears a field.
 */
export function wrongTypes(
  template: Record<string, unknown>,
  { nullIsValid = false }: { nullIsValid?: boolean } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(template);
  return fc.integer({ min: 0, max: Math.max(0, keys.length - 1) }).chain((forced) =>
    fc.record(
      Object.fromEntries(
        keys.map((key, index) => {
          const value = template[key];
          const nested = wrongLeaf(value, nullIsValid);
          return [key, index === forced ? nested : fc.oneof(fc.constant(value), nested)];
        }),
      ),
    ),
  );
}

/** Strings far past any field's limit (built by repeat: fast-check builds long strings slowly). */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', 'я', '😀', '\u0000', '<script>', '%'), fc.integer({ min: 12_000, max: 300_000 }))
  .map(([unit, times]) => unit.repeat(times));

/** Bytes that are not UTF-8 (lone continuation bytes, overlongs, surrogates) mixed with random ones. */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.uint8Array({ maxLength: 300 }),
    fc.constantFrom(
      [0xff],
      [0xc3, 0x28],
      [0xe2, 0x28, 0xa1],
      [0xf0, 0x28, 0x8c, 0x28],
      [0xed, 0xa0, 0x80],
      [0xc0, 0xaf],
      [0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d],
    ),
  )
  .map(([random, bad]) => Buffer.concat([Buffer.from(random), Buffer.from(bad)]));

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=koi8-r',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'text/plain',
  'text/xml',
  'application/octet-stream',
  'image/png',
  'application/json; charset=',
  '*/*',
  '',
] as const;

export interface FuzzBody {
  contentType: string | undefined;
  body: Buffer;
}

const formText: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof(fc.string({ maxLength: 12 }), hostileKey, fc.constant('a[b][c]')), fc.string()), {
    maxLength: 6,
  })
  .map((fields) => new URLSearchParams(fields).toString());

/** `value` with each of its strings, however deep, replaced by `text`. */
function withStrings(value: unknown, text: string): unknown {
  if (typeof value === 'string') return text;
  if (Array.isArray(value)) return value.map((item) => withStrings(item, text));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withStrings(item, text)]));
}

/** A long body prints as its start and length in a counterexample, not as megabytes of digits. */
function shortlyShown(body: Buffer): Buffer {
  if (body.length <= 300) return body;
  return Object.assign(body, {
    [fc.toStringMethod]: () =>
      `Buffer.from(${JSON.stringify(body.subarray(0, 120).toString('latin1'))} + … ${body.length} bytes)`,
  });
}

/**
 * A body of any kind (arbitrary JSON, the right shape with wrong types, hostile keys, huge strings,
 * invalid UTF-8, form fields, nothing) under any content type.
 */
export function fuzzBody(
  template: Record<string, unknown> = {},
  options: { nullIsValid?: boolean } = {},
): fc.Arbitrary<FuzzBody> {
  const text: fc.Arbitrary<Buffer> = fc.oneof(
    { weight: 3, arbitrary: jsonValue.map((value) => Buffer.from(JSON.stringify(value) ?? '')) },
    { weight: 3, arbitrary: wrongTypes(template, options).map((value) => Buffer.from(JSON.stringify(value))) },
    { weight: 2, arbitrary: hostileJsonText.map((value) => Buffer.from(value)) },
    { weight: 1, arbitrary: hugeString.map((value) => Buffer.from(JSON.stringify(withStrings(template, value)))) },
    { weight: 1, arbitrary: hugeString.map((value) => Buffer.from(value)) },
    { weight: 2, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: formText.map((value) => Buffer.from(value)) },
    { weight: 1, arbitrary: fc.string().map((value) => Buffer.from(value)) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
  );
  return fc.record({
    contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined, freq: 8 }),
    body: text.map(shortlyShown),
  });
}

/** A random client address, so per-IP rate limits of one property do not turn every answer into 429. */
export function randomIp(): string {
  const byte = () => 1 + Math.floor(Math.random() * 250);
  return `10.${byte()}.${byte()}.${byte()}`;
}

export interface FuzzAnswer {
  status: number;
  contentType: string;
  text: string;
}

export async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<FuzzAnswer> {
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: { 'x-forwarded-for': randomIp(), ...init.headers },
    body: init.body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** The message an answer carries: `error.message` of a JSON error, else the text itself. */
export function messageOf(answer: FuzzAnswer): string {
  if (!answer.contentType.includes('json')) return answer.text.trim();
  try {
    const parsed: unknown = JSON.parse(answer.text);
    const error = (parsed as { error?: { message?: unknown } } | null)?.error;
    return typeof error?.message === 'string' ? error.message : '';
  } catch {
    return '';
  }
}

/** A refusal: a 4xx with a message a person can read. */
export function expectRefusal(answer: FuzzAnswer, what: string): void {
  const context = `${what}: ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, context).toBeGreaterThanOrEqual(400);
  expect(answer.status, context).toBeLessThan(500);
  expect(messageOf(answer), context).not.toBe('');
}

/** Collects `unhandledRejection` and `uncaughtException` while a suite runs. */
export function watchProcess(): { problems: unknown[]; stop(): void } {
  const problems: unknown[] = [];
  const onProblem = (error: unknown) => problems.push(error);
  process.on('unhandledRejection', onProblem);
  process.on('uncaughtException', onProblem);
  return {
    problems,
    stop() {
      process.off('unhandledRejection', onProblem);
      process.off('uncaughtException', onProblem);
    },
  };
}

/** The number of documents in every collection of the app's database. */
export async function countDocuments(db: Connection, only?: readonly string[]): Promise<Record<string, number>> {
  const names = only ?? (await db.db!.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name);
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = await db.db!.collection(name).countDocuments();
  return counts;
}

/** What an inbound delivery writes: counted around each request that may pass a signature check (cheaper than all). */
export const INBOUND_COLLECTIONS = [
  'messages',
  'contacts',
  'conversations',
  'orphanstatuses',
  'pendingrecordings',
  'files',
  'leads',
  'auditlogs',
] as const;

/** Collections that grew between two counts (a new, non-empty collection counts too). */
export function grown(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .filter(([name, count]) => count > (before[name] ?? 0))
      .map(([name, count]) => [name, count - (before[name] ?? 0)]),
  );
}
