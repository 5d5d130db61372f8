/**
 * What a run's history can say happened. Each entry keeps its code and values, so the inbox words
 * it in the reader's language (and shows dates in their time zone), and the English line below for
 * the CLI, logs and runs recorded before codes existed. Values named `at` or `due` are ISO dates.
 */
export const HISTORY_NOTES = {
  started: (p: { event: string }) => `started by ${p.event}`,
  got: (p: { event: string }) => `got ${p.event}`,
  waited: () => 'waited',
  timedOut: () => 'timed out',
  exited: (p: { reason: string; goal?: string }) =>
    `exited: ${p.reason === 'goal' ? `goal ${p.goal ?? ''}` : p.reason}`,
  end: () => 'end',
  offeredSlots: () => 'offered slots',
  chose: (p: { choice: string }) => `chose: ${p.choice}`,
  booked: (p: { at: string }) => `booked ${p.at}`,
  noSlots: () => 'no free slots',
  noSlotChosen: () => 'no slot chosen in time',
  branch: (p: { next: string }) => `branch → ${p.next}`,
  variant: (p: { variant: string }) => `variant ${p.variant}`,
  noDate: (p: { field: string }) => `no date in ${p.field}; going on`,
  timeCame: () => 'the time has already come; going on',
  waitingUntil: (p: { at: string }) => `waiting until ${p.at}`,
  waitingFor: (p: { event: string; at: string }) => `waiting for ${p.event} until ${p.at}`,
  quietHours: (p: { at: string }) => `quiet hours: held until ${p.at}`,
  sent: (p: { channel: string }) => `sent (${p.channel})`,
  notSentWindow: () => 'skipped: WhatsApp window closed and no template',
  answeredInAdvance: (p: { value: string }) => `answered in advance: ${p.value}`,
  alreadyAnswered: () => 'skipped: already answered',
  notAskedWindow: () => 'skipped: WhatsApp window closed',
  asked: (p: { answer: string }) => `asked (${p.answer})`,
  askedAgain: () => 'the client asked something; asked again',
  answered: (p: { value: string }) => `answered: ${p.value}`,
  retriesUsedUp: () => 'no fitting answer; retries used up',
  answerDidNotFit: (p: { attempt: number; retries: number }) => `answer did not fit (${p.attempt}/${p.retries})`,
  reminded: () => 'reminded',
  noAnswer: () => 'no answer in time',
  assigned: (p: { to: string }) => `assigned (${p.to})`,
  handedOff: () => 'handed off',
  handedOffUntold: () => 'handed off (client not told: quiet hours or WhatsApp window)',
  notified: () => 'notified',
  webhook: (p: { method: string; url: string }) => `webhook ${p.method} ${p.url}`,
  enrolled: (p: { flow: string }) => `enroll ${p.flow}`,
  unenrolled: (p: { flow: string }) => `unenroll ${p.flow}`,
  fieldSet: (p: { path: string; value: string }) => `${p.path} = ${p.value}`,
  noDeal: () => 'skipped: no deal',
  tagsAdded: (p: { tags: string }) => `+${p.tags}`,
  tagsRemoved: (p: { tags: string }) => `-${p.tags}`,
  moved: (p: { pipeline: string; stage: string }) => `moved to ${p.pipeline}/${p.stage}`,
  copied: (p: { pipeline: string; stage: string }) => `copied to ${p.pipeline}${p.stage ? `/${p.stage}` : ''}`,
  won: () => 'won',
  lost: (p: { reason: string }) => `lost: ${p.reason}`,
  task: (p: { title: string }) => `task "${p.title}"`,
  taskDue: (p: { title: string; due: string }) => `task "${p.title}" due ${p.due}`,
} satisfies Record<string, (params: never) => string>;

export type HistoryCode = keyof typeof HISTORY_NOTES;
export type HistoryParams<C extends HistoryCode> =
  Parameters<(typeof HISTORY_NOTES)[C]> extends [] ? [] : [params: Parameters<(typeof HISTORY_NOTES)[C]>[0]];

/** The English line of a note, as the history has always shown it. */
export function historyText<C extends HistoryCode>(code: C, ...params: HistoryParams<C>): string {
  const note = HISTORY_NOTES[code] as (params?: unknown) => string;
  return note(params[0]);
}
