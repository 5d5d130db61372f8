import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { z } from 'zod';
import type { LlmClient } from './llm-client.js';

export type StructuredResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface StructuredRequest<T> {
  /** Names the schema for the model (a-z, digits, _ and -). */
  name: string;
  system: string;
  user: string;
  /** The JSON schema sent as `response_format` (strict: every property required, no extras). */
  jsonSchema: Record<string, unknown>;
  /** The same shape in zod: the model's answer is validated again here, never trusted. */
  schema: z.ZodType<T>;
}

/**
 * One chat completion with structured outputs (`response_format: { type: 'json_schema', strict }`,
 * https://platform.openai.com/docs/guides/structured-outputs), validated with zod. Never throws:
 * every failure (timeout, HTTP error, refusal, text that is not JSON, JSON that breaks the schema)
 * comes back as a reason, for the caller to fall back and log.
 */
export async function completeStructured<T>(
  llm: LlmClient,
  request: StructuredRequest<T>,
): Promise<StructuredResult<T>> {
  let content: string | null | undefined;
  try {
    const completion = await llm.openai.chat.completions.create(
      {
        model: llm.model,
        temperature: 0,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: request.name, strict: true, schema: request.jsonSchema },
        },
      },
      // The client's own timeout covers connecting; this signal also ends a reply that stalls midway.
      { timeout: llm.timeoutMs, maxRetries: 0, signal: AbortSignal.timeout(llm.timeoutMs) },
    );
    const message = completion.choices[0]?.message;
    // A refusal is how strict structured outputs say "no" (content is then null).
    if (message?.refusal) return { ok: false, reason: `refused: ${message.refusal}` };
    content = message?.content;
  } catch (error) {
    return { ok: false, reason: describe(error) };
  }
  if (!content) return { ok: false, reason: 'empty answer' };
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { ok: false, reason: 'answer is not JSON' };
  }
  const parsed = request.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `answer breaks the schema: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim(),
    };
  }
  return { ok: true, value: parsed.data };
}

function describe(error: unknown): string {
  // Our own deadline (the signal) surfaces as a user abort; the client's timeout as its own error.
  if (error instanceof APIUserAbortError || error instanceof APIConnectionTimeoutError) return 'timed out';
  if (error instanceof APIError && error.status !== undefined) return `HTTP ${error.status}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
