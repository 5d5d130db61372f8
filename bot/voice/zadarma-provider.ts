import type { CallProvider } from './call-provider.js';
import { downloadZadarmaRecording } from './download-zadarma-recording.js';
import { parseZadarmaNotification, ZADARMA_RECORDING_REF } from './parse-zadarma-notification.js';
import { verifyZadarmaSignature } from './verify-zadarma-signature.js';

/** Zadarma's notifications answer anything; `zd_echo` gets its own value back. */
const ECHO = /^[\w.-]{1,100}$/;

/** Zadarma's cloud PBX: call records and recordings from its signed notifications. */
export function createZadarmaProvider(options: { apiRoot: string }): CallProvider {
  return {
    webhookReply: { contentType: 'text/plain', body: '' },
    /**
     * Zadarma checks a notification address before saving it with a GET carrying `zd_echo`, which
     * must come back as the whole body (https://zadarma.com/en/support/api/#api_webhooks).
     */
    handshake(request) {
      if (request.method !== 'GET') return undefined;
      const echo = request.query.zd_echo;
      return typeof echo === 'string' && ECHO.test(echo) ? echo : undefined;
    },
    verify: (request, account) => verifyZadarmaSignature(request, account.secrets.apiSecret ?? ''),
    parse: (request, account) => parseZadarmaNotification(request, account.settings),
    async downloadRecording(fileRef, account) {
      if (!ZADARMA_RECORDING_REF.test(fileRef)) throw new Error(`Not a Zadarma recording reference: ${fileRef}`);
      return downloadZadarmaRecording(
        { apiRoot: options.apiRoot, apiKey: account.secrets.apiKey ?? '', apiSecret: account.secrets.apiSecret ?? '' },
        fileRef,
      );
    },
  };
}
