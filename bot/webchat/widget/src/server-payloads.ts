import type { MediaKind } from '../../../channels/channel-events.js';
import type { StoredUpload } from '../../stored-upload.js';
import type {
  AckFailure,
  EmptyAck,
  HistoryAck,
  MessageAck,
  OperatorTyping,
  Presence,
  VisitorSession,
} from '../../visitor-events.js';
import type { VisitorMessage } from '../../visitor-message.js';
import { arrayOf, either, isBoolean, isNumber, isString, literal, oneOf, optional, shape } from './guard.js';

/** Listed again: channel-events would bring zod along. A test checks the list equals MEDIA_KINDS. */
export const WIDGET_MEDIA_KINDS = [
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
] as const satisfies readonly MediaKind[];

/** Guards for every payload the server sends the widget; the types come from the protocol's zod schemas. */
export const isVisitorMessage = shape<VisitorMessage>({
  id: isString,
  direction: oneOf(['in', 'out']),
  text: optional(isString),
  media: optional(shape({ url: isString, kind: oneOf(WIDGET_MEDIA_KINDS), fileName: isString, mimeType: isString })),
  buttons: optional(arrayOf(shape({ id: isString, text: isString }))),
  author: optional(shape({ name: optional(isString), kind: oneOf(['contact', 'user', 'bot']) })),
  status: optional(oneOf(['sent', 'delivered', 'read', 'failed'])),
  createdAt: (value): value is string => isString(value) && !Number.isNaN(Date.parse(value)),
});

export const isVisitorSession = shape<VisitorSession>({
  visitorId: isString,
  operatorsOnline: isBoolean,
  appearance: shape({ title: optional(isString), color: optional(isString), greeting: optional(isString) }),
});

export const isOperatorTyping = shape<OperatorTyping>({
  typing: isBoolean,
  author: optional(shape({ name: optional(isString), kind: oneOf(['user', 'bot']) })),
});

export const isPresence = shape<Presence>({ operatorsOnline: isBoolean });

export const isAckFailure = shape<AckFailure>({
  ok: literal(false),
  error: shape({
    code: oneOf(['invalid_payload', 'rate_limited', 'forbidden', 'unavailable']),
    message: isString,
    retryAfterMs: optional(isNumber),
  }),
});

export const isMessageAck = either<MessageAck, AckFailure>(
  shape<Extract<MessageAck, { ok: true }>>({ ok: literal(true), message: isVisitorMessage }),
  isAckFailure,
);

export const isHistoryAck = either<HistoryAck, AckFailure>(
  shape<Extract<HistoryAck, { ok: true }>>({
    ok: literal(true),
    messages: arrayOf(isVisitorMessage),
    hasMore: isBoolean,
  }),
  isAckFailure,
);

export const isEmptyAck = either<EmptyAck, AckFailure>(
  shape<Extract<EmptyAck, { ok: true }>>({ ok: literal(true) }),
  isAckFailure,
);

export const isStoredUpload = shape<StoredUpload>({
  fileId: isString,
  url: isString,
  kind: oneOf(WIDGET_MEDIA_KINDS),
  mimeType: isString,
  fileName: isString,
  size: isNumber,
});
