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
    ...(record.type === 'webchat'
      ? { embedCode: `<script src="${base}/widget.js" data-channel="${id}" async></script>` }
      : { webhookUrl: `${base}/hooks/${record.type}/${id}` }),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function toWebhookStatus(state: ChannelWebhookState): NonNullable<ChannelView['webhookStatus']> {
  return { state: state.state, at: state.at.toISOString(), ...(state.error ? { error: state.error } : {}) };
}
