import { z } from 'zod';
import type { ChannelAdapter } from '../../bot/channels/channel-adapter.js';
import { validationFailed } from '../api/api-error.js';
import { newSecret } from '../auth/secrets.js';

const ENVELOPE = new Set(['type', 'name', 'teamIds', 'ratePerSecond']);

function keysOf(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationFailed(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
}

/** The last characters of a secret: enough to recognise it, useless to an attacker. */
export function secretHint(secret: string): string {
  return secret.length <= 8 ? '••••' : `••••${secret.slice(-4)}`;
}

/**
 * Splits a flat channel request into the adapter's settings and secrets and validates each.
 * On update, `current` holds the stored values: a field left out keeps its value, so an admin
 * can rename a bot without pasting its token again.
 */
export function splitChannelFields(
  adapter: ChannelAdapter,
  body: Record<string, unknown>,
  current?: { settings: Record<string, unknown>; secrets: Record<string, string> },
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const secretKeys = new Set(keysOf(adapter.secretsSchema));
  const settingKeys = new Set(keysOf(adapter.settingsSchema));
  const unknownKeys = Object.keys(body).filter(
    (key) => !ENVELOPE.has(key) && !secretKeys.has(key) && !settingKeys.has(key),
  );
  if (unknownKeys.length > 0) {
    throw validationFailed(
      unknownKeys.map((key) => ({ path: key, message: `Not a field of a ${adapter.type} channel` })),
    );
  }
  const pick = (keys: Set<string>) => Object.fromEntries(Object.entries(body).filter(([key]) => keys.has(key)));
  const secretInput: Record<string, unknown> = { ...current?.secrets, ...pick(secretKeys) };
  // A webhook secret only has to be unguessable; generate one rather than make the admin invent it.
  if (secretKeys.has('webhookSecret') && secretInput.webhookSecret === undefined) {
    secretInput.webhookSecret = newSecret().replace(/[^A-Za-z0-9_-]/g, '');
  }
  const settings = parseOrThrow(adapter.settingsSchema, { ...current?.settings, ...pick(settingKeys) }) as Record<
    string,
    unknown
  >;
  const secrets = parseOrThrow(adapter.secretsSchema, secretInput);
  const problems = adapter.checkAccount?.(settings, secrets) ?? [];
  if (problems.length > 0) throw validationFailed(problems);
  return { settings, secrets };
}
