import { BROADCAST_CHANNELS, type BroadcastChannel, type BroadcastInput, type BroadcastView } from './campaign-views';

/** The composer's form: every channel's variant kept while its tab is switched off, numbers as typed. */
export interface BroadcastDraft {
  name: string;
  segmentId: string;
  /** The channels the broadcast uses, in the order each recipient is tried. */
  channels: BroadcastChannel[];
  telegram: { text: string; buttons: { text: string; url: string }[] };
  whatsapp: { text: string; templateName: string; templateLanguage: string; parameters: string[] };
  sms: { text: string };
  email: { subject: string; html: string; text: string };
  webchat: { text: string };
  when: 'now' | 'later';
  /** `datetime-local` value, in the browser's time zone. */
  at: string;
  quiet: boolean;
  quietFrom: string;
  quietTo: string;
  timeZone: string;
  costAmount: string;
  costCurrency: string;
}

export type DraftProblem =
  | 'name'
  | 'segment'
  | 'channels'
  | 'telegram'
  | 'telegramButton'
  | 'whatsapp'
  | 'sms'
  | 'email'
  | 'webchat'
  | 'at'
  | 'quietHours'
  | 'cost';

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Moscow';
}

export function emptyDraft(): BroadcastDraft {
  return {
    name: '',
    segmentId: '',
    channels: ['telegram'],
    telegram: { text: '', buttons: [] },
    whatsapp: { text: '', templateName: '', templateLanguage: 'ru', parameters: [] },
    sms: { text: '' },
    email: { subject: '', html: '', text: '' },
    webchat: { text: '' },
    when: 'now',
    at: '',
    quiet: false,
    quietFrom: '21:00',
    quietTo: '09:00',
    timeZone: browserTimeZone(),
    costAmount: '',
    costCurrency: 'RUB',
  };
}

function localInput(iso: string): string {
  const date = new Date(iso);
  const pad = (part: number) => String(part).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A saved draft back in the form. */
export function draftOf(view: BroadcastView): BroadcastDraft {
  const empty = emptyDraft();
  const { telegram, whatsapp, sms, email, webchat } = view.variants;
  const used = view.channelOrder.filter((channel) => view.variants[channel]);
  return {
    ...empty,
    name: view.name,
    segmentId: view.segmentId,
    channels: used.length ? used : BROADCAST_CHANNELS.filter((channel) => view.variants[channel]),
    telegram: { text: telegram?.text ?? '', buttons: telegram?.buttons ?? [] },
    whatsapp: {
      text: whatsapp?.text ?? '',
      templateName: whatsapp?.template?.name ?? '',
      templateLanguage: whatsapp?.template?.language ?? 'ru',
      parameters: whatsapp?.template?.parameters ?? [],
    },
    sms: { text: sms?.text ?? '' },
    email: { subject: email?.subject ?? '', html: email?.html ?? '', text: email?.text ?? '' },
    webchat: { text: webchat?.text ?? '' },
    when: view.schedule ? 'later' : 'now',
    at: view.schedule ? localInput(view.schedule.at) : '',
    quiet: Boolean(view.quietHours),
    quietFrom: view.quietHours?.from ?? empty.quietFrom,
    quietTo: view.quietHours?.to ?? empty.quietTo,
    timeZone: view.timeZone || empty.timeZone,
    costAmount: view.cost ? String(view.cost.amount) : '',
    costCurrency: view.cost?.currency ?? 'RUB',
  };
}

/** What is missing or wrong before the draft can be saved, each named once; empty when it is ready. */
export function draftProblems(draft: BroadcastDraft, now = new Date()): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (!draft.name.trim()) problems.push('name');
  if (!draft.segmentId) problems.push('segment');
  if (!draft.channels.length) problems.push('channels');
  for (const channel of draft.channels) {
    const problem = channelProblem(draft, channel);
    if (problem) problems.push(problem);
  }
  if (draft.when === 'later' && !(draft.at && new Date(draft.at) > now)) problems.push('at');
  if (draft.quiet && (!draft.quietFrom || !draft.quietTo || draft.quietFrom === draft.quietTo))
    problems.push('quietHours');
  if (draft.costAmount.trim() && !(Number(draft.costAmount.replace(',', '.')) >= 0)) problems.push('cost');
  return problems;
}

function channelProblem(draft: BroadcastDraft, channel: BroadcastChannel): DraftProblem | undefined {
  switch (channel) {
    case 'telegram': {
      if (!draft.telegram.text.trim()) return 'telegram';
      const bad = draft.telegram.buttons.some(
        (button) => !button.text.trim() || !/^https?:\/\/\S+$/.test(button.url.trim()),
      );
      return bad ? 'telegramButton' : undefined;
    }
    case 'whatsapp':
      return draft.whatsapp.templateName.trim() || draft.whatsapp.text.trim() ? undefined : 'whatsapp';
    case 'sms':
      return draft.sms.text.trim() ? undefined : 'sms';
    case 'email':
      return draft.email.subject.trim() && draft.email.html.trim() ? undefined : 'email';
    case 'webchat':
      return draft.webchat.text.trim() ? undefined : 'webchat';
  }
}

/** The body of `POST /broadcasts` (and of a draft's PATCH): only the channels switched on. */
export function broadcastInput(draft: BroadcastDraft): BroadcastInput {
  const variants: BroadcastInput['variants'] = {};
  for (const channel of draft.channels) {
    switch (channel) {
      case 'telegram':
        variants.telegram = {
          text: draft.telegram.text,
          ...(draft.telegram.buttons.length
            ? {
                buttons: draft.telegram.buttons.map((button) => ({ text: button.text.trim(), url: button.url.trim() })),
              }
            : {}),
        };
        break;
      case 'whatsapp': {
        const { text, templateName, templateLanguage, parameters } = draft.whatsapp;
        variants.whatsapp = {
          ...(text.trim() ? { text } : {}),
          ...(templateName.trim()
            ? { template: { name: templateName.trim(), language: templateLanguage.trim() || 'ru', parameters } }
            : {}),
        };
        break;
      }
      case 'sms':
        variants.sms = { text: draft.sms.text };
        break;
      case 'email':
        variants.email = {
          subject: draft.email.subject,
          html: draft.email.html,
          ...(draft.email.text.trim() ? { text: draft.email.text } : {}),
        };
        break;
      case 'webchat':
        variants.webchat = { text: draft.webchat.text };
        break;
    }
  }
  const amount = Number(draft.costAmount.replace(',', '.'));
  return {
    name: draft.name.trim(),
    segmentId: draft.segmentId,
    variants,
    channelOrder: draft.channels,
    timeZone: draft.timeZone,
    ...(draft.when === 'later' && draft.at ? { schedule: { at: new Date(draft.at).toISOString() } } : {}),
    ...(draft.quiet ? { quietHours: { from: draft.quietFrom, to: draft.quietTo } } : {}),
    ...(draft.costAmount.trim() && amount >= 0 ? { cost: { amount, currency: draft.costCurrency } } : {}),
  };
}
