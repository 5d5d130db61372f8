import type { ChannelAccountRecord, ChannelWebhookState } from './channel-account-model.js';
import type { ChannelView } from './channel-schemas.js';

export function toChannelView(record: ChannelAccountRecord, publicUrl: string, defaultRate: number): ChannelView {
  const id = record._id.toHexString();
  const base = publicUrl.replace(/\/$/, '');
  return {
    id,
    type: record.type,
    name: record.name,
    settings: record.settings,
    secrets: record.secretHints,
    teamIds: record.teamIds.map((teamId) => teamId.toHexString()),
    ratePerSecond: record.ratePerSecond ?? defaultRate,
    ...(record.webhook ? { webhookStatus: toWebhookStatus(record.webhook) } : {}),
    ...linkOf(record.type, base, id),
    ...(record.sandbox ? { sandbox: true } : {}),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** How an account is reached: the site chat by its snippet, a mailbox not at all (it is read), the rest by webhook. */
function linkOf(type: ChannelAccountRecord['type'], base: string, id: string): Partial<ChannelView> {
  if (type === 'webchat') return { embedCode: `<script src="${base}/widget.js" data-channel="${id}" async></script>` };
  if (type === 'email') return {};
  return { webhookUrl: `${base}/hooks/${type}/${id}` };
}

export function toWebhookStatus(state: ChannelWebhookState): NonNullable<ChannelView['webhookStatus']> {
  return { state: state.state, at: state.at.toISOString(), ...(state.error ? { error: state.error } : {}) };
}
