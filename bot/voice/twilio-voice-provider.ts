import { Readable } from 'node:stream';
import { callTwilioApi, FILE_TIMEOUT_MS } from '../twilio/call-twilio-api.js';
import { TWILIO_WEBHOOK_REPLY } from '../twilio/twilio-webhook-reply.js';
import { verifyTwilioSignature } from '../twilio/verify-twilio-signature.js';
import type { CallProvider } from './call-provider.js';
import { parseTwilioCall, TWILIO_RECORDING_REF } from './parse-twilio-call.js';

/** Twilio Voice: call records from status callbacks, recordings from recording callbacks. */
export function createTwilioVoiceProvider(options: { apiRoot: string }): CallProvider {
  return {
    webhookReply: TWILIO_WEBHOOK_REPLY,
    verify: (request, account) => verifyTwilioSignature(request, account.secrets.authToken ?? ''),
    parse: (request, account) => parseTwilioCall(request, account.settings),
    /**
     * The recording as MP3 (https://www.twilio.com/docs/voice/api/recording#fetch-a-recording-media-file),
     * fetched with the account's credentials, which Twilio requires when media is protected.
     */
    async downloadRecording(fileRef, account) {
      if (!TWILIO_RECORDING_REF.test(fileRef)) throw new Error(`Not a Twilio recording reference: ${fileRef}`);
      const target = {
        apiRoot: options.apiRoot,
        accountSid: account.settings.accountSid ?? '',
        authToken: account.secrets.authToken ?? '',
      };
      const response = await callTwilioApi(target, `${fileRef}.mp3`, { method: 'GET', timeoutMs: FILE_TIMEOUT_MS });
      if (!response.body) throw new Error('Twilio answered the recording request without a body');
      return {
        body: Readable.fromWeb(response.body),
        mimeType: 'audio/mpeg',
        fileName: `${fileRef.split('/').pop()}.mp3`,
      };
    },
  };
}
