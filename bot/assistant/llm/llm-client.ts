import OpenAI from 'openai';
import type { Config } from '../../../server/config/config.js';

/** The model the bot talks to and how long it may take; absent without OPENAI_API_KEY. */
export interface LlmClient {
  openai: OpenAI;
  model: string;
  timeoutMs: number;
}

/**
 * The bot's LLM client from the configuration, or undefined when no key is set (the bot then
 * works offline). The SDK's own retries are off: a chat client is waiting, and the offline
 * extractor is a better answer than a second try after a 429.
 */
export function llmClient(
  config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'OPENAI_TIMEOUT_MS'>,
): LlmClient | undefined {
  if (!config.OPENAI_API_KEY) return undefined;
  return {
    openai: new OpenAI({
      apiKey: config.OPENAI_API_KEY,
      ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
      maxRetries: 0,
      timeout: config.OPENAI_TIMEOUT_MS,
    }),
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
  };
}
