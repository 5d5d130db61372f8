import { Readable } from 'node:stream';
import { callTwilioApi, FILE_TIMEOUT_MS, type TwilioTarget } from '../twilio/call-twilio-api.js';
import { TWILIO_WEBHOOK_REPLY } from '../twilio/twilio-webhook-reply.js';
import { verifyTwilioSignature } from '../twilio/verify-twilio-signature.js';
import { parseTwilioSms, TWILIO_MEDIA_PATH } from './parse-twilio-sms.js';
import { sendTwilioSms } from './send-twilio-sms.js';
import type { SmsAccount } from './sms-schemas.js';
import type { SmsProvider } from './sms-provider.js';

function target(apiRoot: string, account: SmsAccount): TwilioTarget {
  return { apiRoot, accountSid: account.settings.accountSid ?? '', authToken: account.secrets.authToken ?? '' };
}

/** Programmable Messaging: one Twilio number (or Messaging Service) per account. */
export function createTwilioSmsProvider(options: { apiRoot: string }): SmsProvider {
  return {
    webhookReply: TWILIO_WEBHOOK_REPLY,
    verify: (request, account) => verifyTwilioSignature(request, account.secrets.authToken ?? ''),
    parse: (request) => parseTwilioSms(request),
    send: (text, to, account, context) =>
      sendTwilioSms(target(options.apiRoot, account), {
        from: account.settings.from ?? '',
        to,
        text,
        statusCallback: context.webhookUrl,
      }),
    async downloadMedia(fileRef, account) {
      if (!TWILIO_MEDIA_PATH.test(fileRef)) throw new Error(`Not a Twilio media reference: ${fileRef}`);
      const response = await callTwilioApi(target(options.apiRoot, account), fileRef, {
        method: 'GET',
        timeoutMs: FILE_TIMEOUT_MS,
      });
      if (!response.body) throw new Error('Twilio answered the media request without a body');
      const size = Number(response.headers.get('content-length'));
      return {
        body: Readable.fromWeb(response.body),
        mimeType: response.headers.get('content-type') ?? undefined,
        ...(Number.isFinite(size) && size > 0 ? { size } : {}),
      };
    },
  };
}
