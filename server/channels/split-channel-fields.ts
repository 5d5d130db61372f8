import { z } from 'zod';
import type { ChannelAdapter } from '../../bot/channels/channel-adapter.js';
import type { Language } from '../../flows/schema/define-texts.js';
import { inputProblems, parseInput } from '../api/parse-input.js';
import { validationTexts } from '../api/validation-texts.js';
import { newSecret } from '../auth/secrets.js';

const ENVELOPE = new Set(['type', 'name', 'teamIds', 'ratePerSecond']);

function keysOf(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** The last characters of a secret: enough to recognise it, useless to an attacker. */
export function secretHint(secret: string): string {
  return secret.length <= 8 ? '••••' : `••••${secret.slice(-4)}`;
}

/**
 * Splits a flat channel request into the adapter's settings and secrets and validates each, the
 * problems worded in `language`. On update, `current` holds the stored values: a field left out
 * keeps its value, so an admin can rename a bot without pasting its token again.
 */
export function splitChannelFields(
  adapter: ChannelAdapter,
  body: Record<string, unknown>,
  language: Language,
  current?: { settings: Record<string, unknown>; secrets: Record<string, string> },
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const secretKeys = new Set(keysOf(adapter.secretsSchema));
  const settingKeys = new Set(keysOf(adapter.settingsSchema));
  const unknownKeys = Object.keys(body).filter(
    (key) => !ENVELOPE.has(key) && !secretKeys.has(key) && !settingKeys.has(key),
  );
  if (unknownKeys.length > 0) {
    const message = validationTexts.words(language)('channelField', { type: adapter.type });
    throw inputProblems(
      unknownKeys.map((key) => ({ path: key, message })),
      language,
    );
  }
  const pick = (keys: Set<string>) => Object.fromEntries(Object.entries(body).filter(([key]) => keys.has(key)));
  const secretInput: Record<string, unknown> = { ...current?.secrets, ...pick(secretKeys) };
  // A webhook secret only has to be unguessable; generate one rather than make the admin invent it.
  if (secretKeys.has('webhookSecret') && secretInput.webhookSecret === undefined) {
    secretInput.webhookSecret = newSecret().replace(/[^A-Za-z0-9_-]/g, '');
  }
  const settings = parseInput(
    adapter.settingsSchema,
    { ...current?.settings, ...pick(settingKeys) },
    language,
  ) as Record<string, unknown>;
  const secrets = parseInput(adapter.secretsSchema, secretInput, language);
  // The adapter's own checks speak English texts of validation-texts.ts.
  const problems = adapter.checkAccount?.(settings, secrets) ?? [];
  if (problems.length > 0) throw inputProblems(problems, language);
  return { settings, secrets };
}
