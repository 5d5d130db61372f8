import type { WebhookReply } from '../channels/channel-adapter.js';

/**
 * What every Twilio webhook gets back: an empty TwiML document, which answers nothing to an
 * inbound SMS and ends a call's TwiML without a Debugger warning about the content type
 * (https://www.twilio.com/docs/messaging/twiml#an-empty-response).
 */
export const TWILIO_WEBHOOK_REPLY: WebhookReply = {
  contentType: 'text/xml',
  body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
};
