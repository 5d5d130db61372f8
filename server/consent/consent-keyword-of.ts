import { consentKeyword, type ConsentKeyword } from '../../bot/channels/consent-keyword.js';
import type { ChannelAdapter } from '../../bot/channels/channel-adapter.js';

/**
 * The consent keyword a message on this account's channel is (STOP, СТОП, START…), or undefined:
 * only a text, or the new words of a mail a person wrote (not an autoresponder's), that is the
 * keyword alone, on a channel whose adapter takes keywords. Ingest reads it twice: to change the
 * consent, and to keep the bot and flows from answering the word as a question.
 */
export function consentKeywordOf(
  account: { adapter: Pick<ChannelAdapter, 'capabilities'> },
  content: { kind: string; text?: string; autoReply?: boolean },
): ConsentKeyword | undefined {
  const words = account.adapter.capabilities.optOutKeywords;
  if (!words || content.text === undefined) return undefined;
  if (content.kind !== 'text' && !(content.kind === 'email' && !content.autoReply)) return undefined;
  return consentKeyword(content.text, words);
}
