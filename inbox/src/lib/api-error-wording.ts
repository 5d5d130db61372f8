import type { errorsRu } from './messages/errors.js';

/** The inbox's error texts (messages/errors.ts): this file stays free of the runes module, for its tests. */
type ErrorKey = keyof typeof errorsRu;

/** What the inbox knows of a refused request: a SendResult that is not ok, or a refused reply. */
export interface ApiFailure {
  /** 0 when the server was not reached at all. */
  status: number;
  code?: string;
  message?: string;
  /** The language of `message` (the answer's Content-Language); absent: English, as a flow's refusal is kept. */
  language?: 'ru' | 'en';
  details?: unknown;
}

/** How to word a failure: one of the inbox's own texts, or the server's text as it came. */
export type ErrorWording = { key: ErrorKey; params?: Record<string, string | number> } | { text: string };

/** Codes that say everything themselves, whatever the message. */
const BY_CODE: Record<string, ErrorKey> = {
  unauthorized: 'errors.unauthorized',
  csrf_failed: 'errors.csrf',
  not_found: 'errors.notFound',
  validation_failed: 'errors.validation',
  payload_too_large: 'errors.tooLarge',
  export_too_large: 'errors.tooLarge',
  unavailable: 'errors.unavailable',
  starting: 'errors.unavailable',
  internal: 'errors.internal',
  empty_file: 'errors.emptyFile',
  file_type_not_allowed: 'errors.fileType',
  channel_secrets_unreadable: 'errors.channelSecrets',
  outside_service_window: 'errors.serviceWindow',
  text_too_long: 'errors.textTooLong',
  button_text_too_long: 'errors.textTooLong',
  media_not_supported: 'errors.mediaNotSupported',
};

/**
 * `bad_request`, `conflict` and `forbidden` carry many meanings under one code: the messages an
 * operator can meet in the inbox are known by their exact English wording, which is how the
 * server still answers without Accept-Language and how flows keep a refusal (skip-note.ts).
 */
const BY_MESSAGE: Record<string, ErrorKey> = {
  'Giving a conversation to someone else needs the conversations.reassign permission': 'errors.reassignConversation',
  'Moving a conversation to another team needs the conversations.reassign permission': 'errors.moveTeam',
  'The assignee cannot see this conversation: add them to its team first': 'errors.assigneeCannotSee',
  'The assignee must be an active user who answers conversations': 'errors.assigneeInactive',
  'snoozedUntil must be in the future': 'errors.snoozePast',
  'Some mentioned users cannot see this conversation': 'errors.mentionCannotSee',
  'The channel of this conversation is disconnected; reconnect it or reply on another channel':
    'errors.channelDisconnected',
  'The person blocked this channel or left the chat; messages cannot reach them here': 'errors.personUnreachable',
  'The deal is being changed by someone else; try again': 'errors.changedMeanwhile',
  'The appointment is being changed by someone else; try again': 'errors.changedMeanwhile',
  'Another version was stored at the same time; try again': 'errors.changedMeanwhile',
  'The calendar is busy; try again': 'errors.changedMeanwhile',
  'Giving a deal to another owner needs the deals.reassign permission': 'errors.dealReassign',
  'Shared canned responses need the canned.manage permission': 'errors.cannedManage',
  'Changing a shared canned response needs the canned.manage permission': 'errors.cannedManage',
  'This shortcut is already used here': 'errors.shortcutTaken',
  'A user with this e-mail exists': 'errors.userEmailTaken',
  'A team with this name exists': 'errors.teamNameTaken',
  'A record with the same unique value exists': 'errors.duplicate',
  'The manager already has an appointment at that time': 'errors.managerBusy',
  'The source contact was already merged into another contact': 'errors.alreadyMerged',
  'At least one active admin must remain': 'errors.lastAdmin',
  'Move the deals out of these stages before removing them or changing their kind': 'errors.stagesInUse',
  'Give a place or an online link, not both': 'errors.placeOrLink',
  'endsAt must be after startsAt, within 24 hours': 'errors.meetingTimes',
  'The new deal starts in an open stage': 'errors.dealOpenStage',
};

/** Codes whose meaning depends on the message: a message in the reader's language is shown as it is, more precise. */
const GENERIC: Record<string, ErrorKey> = {
  bad_request: 'errors.badRequest',
  conflict: 'errors.conflict',
  forbidden: 'errors.forbidden',
};

function retryAfter(details: unknown): number {
  const seconds = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : 60;
}

/**
 * The words for a refused request in the operator's language. The API words its messages in the
 * Accept-Language the inbox sends (send-json.ts) and says which in Content-Language; older
 * answers (a flow's kept refusal) are English, or carry both languages (`English / Русский`).
 * Undefined when there is nothing to say beyond the caller's own fallback (an unknown code
 * without a message).
 */
export function apiErrorWording(failure: ApiFailure, locale: 'ru' | 'en'): ErrorWording | undefined {
  if (failure.status === 0) return { key: 'errors.network' };
  const message = failure.message?.trim();
  const bilingual = message?.split(' / ');
  if (bilingual?.length === 2 && /[а-яё]/i.test(bilingual[1] ?? ''))
    return { text: (locale === 'ru' ? bilingual[1] : bilingual[0]) ?? message ?? '' };
  const known = message ? BY_MESSAGE[message] : undefined;
  if (known) return { key: known };
  if (failure.code === 'rate_limited')
    return { key: 'errors.rateLimited', params: { seconds: retryAfter(failure.details) } };
  const generic = failure.code ? GENERIC[failure.code] : undefined;
  if (generic) return message && (failure.language ?? 'en') === locale ? { text: message } : { key: generic };
  const byCode = failure.code ? BY_CODE[failure.code] : undefined;
  if (byCode) return { key: byCode };
  return message ? { text: message } : undefined;
}
