import { Types } from 'mongoose';
import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { recordAudit } from '../audit/record-audit.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { channelAccountModel, type ChannelAccountRecord, type ChannelWebhookState } from './channel-account-model.js';
import { syncTelegramWebhook } from './sync-telegram-webhook.js';
import type { ApiServices } from '../api/api-services.js';
import { channelCreateSchema, channelUpdateSchema, channelViewSchema, type ChannelView } from './channel-schemas.js';
import { SecretDecryptionError } from './secret-box.js';
import { secretHint, splitChannelFields } from './split-channel-fields.js';
import { toChannelView, toWebhookStatus } from './to-channel-view.js';

const TAG = 'channels';
const idParams = z.strictObject({ id: objectIdSchema });

function channelView(services: ApiServices, record: ChannelAccountRecord): ChannelView {
  const rate = services.channels.adapter(record.type).capabilities.defaultRatePerSecond;
  return toChannelView(record, services.config.publicUrl, rate);
}

/**
 * The stored secrets, or none when they cannot be decrypted (the key changed, the value was
 * tampered with): the update then needs every secret entered again, which repairs the account.
 */
function storedSecrets(services: ApiServices, record: ChannelAccountRecord): Record<string, string> {
  try {
    return services.channels.openSecrets(record._id.toHexString(), record.sealedSecrets);
  } catch (error) {
    if (error instanceof SecretDecryptionError) return {};
    throw error;
  }
}

function withWebhookStatus(view: ChannelView, state: ChannelWebhookState | undefined): ChannelView {
  if (!state) return view;
  return { ...view, webhookStatus: toWebhookStatus(state) };
}

function hints(secrets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).map(([key, value]) => [key, secretHint(value)]));
}

export const channelRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/channels',
    summary: 'Connected channel accounts (secrets are never returned, only their last characters)',
    tag: TAG,
    access: 'channels.manage',
    response: z.object({ items: z.array(channelViewSchema) }),
    async handler({ services }) {
      const records = await channelAccountModel(services.db)
        .find({ status: 'active' })
        .sort({ _id: 1 })
        .lean<ChannelAccountRecord[]>();
      return { items: records.map((record) => channelView(services, record)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/channels/:id',
    summary: 'One channel account',
    tag: TAG,
    access: 'channels.manage',
    params: idParams,
    response: channelViewSchema,
    async handler({ params, services }) {
      const record = await channelAccountModel(services.db)
        .findOne({ _id: params.id, status: 'active' })
        .lean<ChannelAccountRecord>();
      if (!record) throw notFound('Channel');
      return channelView(services, record);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/channels',
    summary:
      'Connect a channel account: telegram {token, webhookSecret?, mode?}, whatsapp {phoneNumberId, accessToken, appSecret, verifyToken}, webchat {allowedOrigins}, vk {groupId, confirmationCode, accessToken, secretKey}, sms {provider: twilio {accountSid, from, authToken} | smsru {from?, apiId}}, voice {provider: twilio {accountSid, authToken} | zadarma {apiKey, apiSecret, timeZone?}, operators?}, email {address, imapHost, imapPort?, imapSecure?, smtpHost, smtpPort?, smtpSecure?, username, password, mailbox?}',
    tag: TAG,
    access: 'channels.manage',
    body: channelCreateSchema,
    response: channelViewSchema,
    status: 201,
    async handler({ body, user, language, services }) {
      const adapter = services.channels.adapter(body.type);
      const { settings, secrets } = splitChannelFields(adapter, body, language);
      const _id = new Types.ObjectId();
      const created = await channelAccountModel(services.db).create({
        _id,
        type: body.type,
        name: body.name,
        settings,
        sealedSecrets: services.channels.sealSecrets(_id.toHexString(), secrets),
        secretHints: hints(secrets),
        teamIds: (body.teamIds ?? []).map((id) => new Types.ObjectId(id)),
        ...(body.ratePerSecond ? { ratePerSecond: body.ratePerSecond } : {}),
      });
      const view = channelView(services, created.toObject());
      await recordAudit(services, {
        actor: user,
        action: 'channel.create',
        entity: 'channel',
        entityId: view.id,
        after: view,
      });
      services.events.emit({ type: 'channel.changed', channelId: view.id });
      return withWebhookStatus(view, await syncTelegramWebhook(services, view.id));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/channels/:id',
    summary: 'Rename, reassign or reconfigure a channel account; secrets left out keep their value',
    tag: TAG,
    access: 'channels.manage',
    params: idParams,
    body: channelUpdateSchema,
    response: channelViewSchema,
    async handler({ params, body, user, language, services }) {
      const Model = channelAccountModel(services.db);
      const record = await Model.findOne({ _id: params.id, status: 'active' }).lean<ChannelAccountRecord>();
      if (!record) throw notFound('Channel');
      const adapter = services.channels.adapter(record.type);
      const current = storedSecrets(services, record);
      const { settings, secrets } = splitChannelFields(adapter, body, language, {
        settings: record.settings,
        secrets: current,
      });
      const updated = await Model.findOneAndUpdate(
        { _id: params.id, status: 'active' },
        {
          $set: {
            ...(body.name === undefined ? {} : { name: body.name }),
            ...(body.teamIds === undefined ? {} : { teamIds: body.teamIds.map((id) => new Types.ObjectId(id)) }),
            ...(typeof body.ratePerSecond === 'number' ? { ratePerSecond: body.ratePerSecond } : {}),
            settings,
            sealedSecrets: services.channels.sealSecrets(params.id, secrets),
            secretHints: hints(secrets),
          },
          // null: back to the channel's default rate.
          ...(body.ratePerSecond === null ? { $unset: { ratePerSecond: 1 } } : {}),
        },
        { returnDocument: 'after' },
      ).lean<ChannelAccountRecord>();
      if (!updated) throw notFound('Channel');
      services.channels.invalidate(params.id);
      const before = channelView(services, record);
      const after = channelView(services, updated);
      await recordAudit(services, {
        actor: user,
        action: 'channel.update',
        entity: 'channel',
        entityId: params.id,
        before,
        after,
        // The view shows secrets only by their last characters, which the log redacts: name the changed ones.
        meta: { changedSecrets: Object.keys(secrets).filter((key) => secrets[key] !== current[key]) },
      });
      services.events.emit({ type: 'channel.changed', channelId: params.id });
      return withWebhookStatus(after, await syncTelegramWebhook(services, params.id));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/channels/:id',
    summary: 'Disconnect a channel account; its conversations and messages stay in history',
    tag: TAG,
    access: 'channels.manage',
    params: idParams,
    status: 204,
    async handler({ params, user, services }) {
      const record = await channelAccountModel(services.db)
        .findOneAndUpdate({ _id: params.id, status: 'active' }, { $set: { status: 'deleted', deletedAt: new Date() } })
        .lean<ChannelAccountRecord>();
      if (!record) throw notFound('Channel');
      services.channels.invalidate(params.id);
      await recordAudit(services, {
        actor: user,
        action: 'channel.delete',
        entity: 'channel',
        entityId: params.id,
        before: channelView(services, record),
      });
      services.events.emit({ type: 'channel.changed', channelId: params.id });
      return undefined;
    },
  }),
];
