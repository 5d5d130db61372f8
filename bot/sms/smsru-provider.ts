import { parseSmsruCallback } from './parse-smsru-callback.js';
import { sendSmsruSms } from './send-smsru-sms.js';
import type { SmsProvider } from './sms-provider.js';
import { verifySmsruHash } from './verify-smsru-hash.js';

/**
 * SMS.ru: sends through its HTTP API; statuses (and texts to the account's number) come to the
 * callback address set in the SMS.ru account, which must answer `100` or SMS.ru posts again.
 */
export function createSmsruProvider(options: { apiRoot: string }): SmsProvider {
  return {
    webhookReply: { contentType: 'text/plain', body: '100' },
    verify: (request, account) => verifySmsruHash(request, account.secrets.apiId ?? ''),
    parse: (request) => parseSmsruCallback(request),
    send: (text, to, account) =>
      sendSmsruSms(
        { apiRoot: options.apiRoot, apiId: account.secrets.apiId ?? '' },
        { to, text, ...(account.settings.from ? { from: account.settings.from } : {}) },
      ),
    async downloadMedia() {
      throw new Error('SMS.ru delivers no files');
    },
  };
}
