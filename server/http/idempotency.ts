import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Model } from 'mongoose';
import { conflict } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { errorTexts } from '../api/error-texts.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { idempotencyModel, type IdempotencyRecord } from './idempotency-model.js';

/** What a client may send as `Idempotency-Key` (a UUID, a ULID, the partner's own lead id …). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\w.:-]{8,200}$/;

export interface IdempotentCall {
  /** Whose keys these are and what for, e.g. `form:<form id>` or `leads:<user id>`: keys never meet across scopes. */
  scope: string;
  key: string;
  /** The request as the handler understood it: the same key with something else answers 409. */
  request: unknown;
}

export interface IdempotentResponse {
  status: number;
  body: unknown;
}

// A request holds its key this long; one that died holding it is taken over afterwards.
const LOCK_MS = 30_000;
// A second identical request waits this long for the first one's answer before giving up with a 409.
const WAIT_MS = 10_000;
const POLL_MS = 50;

/** JSON with object keys sorted, so two spellings of one request hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function fingerprintOf(request: unknown): string {
  return createHash('sha256').update(canonical(request)).digest('hex');
}

async function claim(Keys: Model<IdempotencyRecord>, id: string, fingerprint: string): Promise<boolean> {
  const now = Date.now();
  try {
    await Keys.create({
      _id: id,
      fingerprint,
      state: 'running',
      lockedUntil: new Date(now + LOCK_MS),
      createdAt: new Date(now),
    });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Runs the request while holding its key; the answer is kept, a failure gives the key back for a retry. */
async function runHolding(
  Keys: Model<IdempotencyRecord>,
  id: string,
  run: () => Promise<IdempotentResponse>,
): Promise<IdempotentResponse> {
  let response: IdempotentResponse;
  try {
    response = await run();
  } catch (error) {
    await Keys.deleteOne({ _id: id, state: 'running' });
    throw error;
  }
  await Keys.updateOne({ _id: id }, { $set: { state: 'done', response } });
  return response;
}

const differentRequest = () => conflict(errorTexts.say('idempotencyReused'));

const stillRunning = () => conflict(errorTexts.say('idempotencyRunning'));

/**
 * Runs `run` once per key: the first request runs it and its answer is kept for a day; a repeat
 * with the same request gets that answer again (`replayed`), one with a different request a 409.
 * Two identical requests at the same moment: the key's unique _id lets one run, the other waits
 * for its answer. If the one running dies, its lock expires and a retry runs instead, so `run`
 * itself must be safe to repeat (the lead spine is: each step is keyed by the same key).
 */
export async function idempotent(
  services: Pick<ApiServices, 'db'>,
  call: IdempotentCall,
  run: () => Promise<IdempotentResponse>,
): Promise<IdempotentResponse & { replayed: boolean }> {
  const Keys = await idempotencyModel(services.db);
  const id = `${call.scope}:${call.key}`;
  const fingerprint = fingerprintOf(call.request);
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (await claim(Keys, id, fingerprint)) return { ...(await runHolding(Keys, id, run)), replayed: false };
    const held = await Keys.findById(id).lean<IdempotencyRecord>();
    // Gone between the two reads: its request failed and gave the key back; claim it again.
    if (!held) continue;
    if (held.fingerprint !== fingerprint) throw differentRequest();
    if (held.state === 'done' && held.response) return { ...held.response, replayed: true };
    if (held.lockedUntil.getTime() <= Date.now()) {
      const taken = await Keys.findOneAndUpdate(
        { _id: id, state: 'running', lockedUntil: held.lockedUntil },
        { $set: { lockedUntil: new Date(Date.now() + LOCK_MS) } },
      ).lean();
      if (taken) return { ...(await runHolding(Keys, id, run)), replayed: false };
      continue;
    }
    await sleep(POLL_MS);
  }
  throw stillRunning();
}
