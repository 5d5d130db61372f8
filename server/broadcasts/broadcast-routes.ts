import { Types } from 'mongoose';
import { z } from 'zod';
import { ApiError, conflict, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { defineRoute, type AnyRoute, type AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { decodeCursor, listQuerySchema, pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { contactModels } from '../contacts/contact-models.js';
import { segmentModel } from '../segments/segment-model.js';
import { userModels } from '../users/user-models.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { broadcastModel, type BroadcastRecord } from './broadcast-model.js';
import { BroadcastRate } from './broadcast-rate.js';
import { pendingRecipients } from './pending-recipients.js';
import { broadcastRecipientModel, type BroadcastRecipientRecord } from './broadcast-recipient-model.js';
import {
  broadcastChangeSchema,
  broadcastInputSchema,
  recipientsQuerySchema,
  testSendSchema,
  type BroadcastInput,
} from './broadcast-schemas.js';
import { controlBroadcast, type BroadcastAction } from './control-broadcast.js';
import { launchBroadcast } from './launch-broadcast.js';
import { sendTestBroadcast } from './send-test-broadcast.js';
import { toBroadcastView, type BroadcastView } from './to-broadcast-view.js';

const { say, sayWith } = errorTexts;

const TAG = 'broadcasts';
const ACCESS = 'campaigns.manage';
const idParams = z.strictObject({ id: objectIdSchema });
const DEFAULT_TIME_ZONE = 'Europe/Moscow';

async function findBroadcast(services: Pick<ApiServices, 'db'>, id: string): Promise<BroadcastRecord> {
  const found = await broadcastModel(services.db).findById(id).lean<BroadcastRecord>();
  if (!found) throw notFound('Broadcast');
  return found;
}

/** The stored form of a broadcast's input, after checking what it points to. */
async function storedInput(
  services: Pick<ApiServices, 'db' | 'channels'>,
  input: Partial<BroadcastInput>,
): Promise<Partial<BroadcastRecord>> {
  if (
    input.segmentId &&
    !(await segmentModel(services.db).exists({ _id: input.segmentId, deletedAt: { $exists: false } }))
  )
    throw new ApiError(422, 'segment_not_found', say('noSuchSegment'));
  for (const [channel, accountId] of Object.entries(input.accounts ?? {})) {
    const account = await services.channels.get(accountId);
    if (account?.type !== channel)
      throw new ApiError(422, 'account_not_found', sayWith('noChannelAccount', { channel, id: accountId }));
  }
  const { segmentId, accounts, schedule, ...rest } = input;
  return {
    ...rest,
    ...(segmentId ? { segmentId: new Types.ObjectId(segmentId) } : {}),
    ...(accounts
      ? {
          accounts: Object.fromEntries(
            Object.entries(accounts).map(([channel, id]) => [channel, new Types.ObjectId(id)]),
          ),
        }
      : {}),
    ...(schedule ? { schedule: { at: new Date(schedule.at) } } : {}),
  };
}

// Rate and ETA for GET answers, from the counts this process has seen (progress events carry the workers').
const rates = new BroadcastRate();

function liveView(broadcast: BroadcastRecord): BroadcastView {
  if (broadcast.status !== 'running' && broadcast.status !== 'paused') return toBroadcastView(broadcast);
  return toBroadcastView(broadcast, rates.live(broadcast, pendingRecipients(broadcast)));
}

function control(action: BroadcastAction, summary: string): AnyRoute {
  return defineRoute({
    method: 'post',
    path: `/broadcasts/:id/${action}`,
    summary,
    tag: TAG,
    access: ACCESS,
    params: idParams,
    async handler({ params, user, services }) {
      const changed = await controlBroadcast(services, params.id, action);
      const view = liveView(changed);
      services.events.emit({ type: 'broadcast.progress', broadcast: view });
      await recordAudit(services, {
        actor: user,
        action: `broadcast.${action}`,
        entity: 'broadcast',
        entityId: params.id,
      });
      return view;
    },
  });
}

const audit = (services: ApiServices, user: AuthUser, action: string, view: BroadcastView, before?: BroadcastView) =>
  recordAudit(services, {
    actor: user,
    action,
    entity: 'broadcast',
    entityId: view.id,
    ...(before ? { before } : {}),
    after: view,
  });

/** Broadcasts: one message with per-channel variants to a segment, sent by the delivery engine. */
export const broadcastRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/broadcasts',
    summary: 'Broadcasts, newest first',
    tag: TAG,
    access: ACCESS,
    query: listQuerySchema,
    async handler({ query, services }) {
      const cursor = decodeCursor(query.cursor);
      const rows = await broadcastModel(services.db)
        .find(cursor ? { _id: { $lt: new Types.ObjectId(cursor) } } : {})
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<BroadcastRecord[]>();
      return pageOf(
        rows.map((row) => toBroadcastView(row)),
        query.limit,
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/broadcasts',
    summary: 'Write a broadcast (a draft until launched)',
    tag: TAG,
    access: ACCESS,
    body: broadcastInputSchema,
    status: 201,
    async handler({ body, user, services }) {
      const account = await userModels(services.db).User.findById(user.id, { timeZone: 1 }).lean();
      const created = await broadcastModel(services.db).create({
        ...(await storedInput(services, body)),
        timeZone: body.timeZone ?? account?.timeZone ?? DEFAULT_TIME_ZONE,
        status: 'draft',
        createdById: new Types.ObjectId(user.id),
      });
      const view = toBroadcastView(created.toObject<BroadcastRecord>());
      await audit(services, user, 'broadcast.create', view);
      return view;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/broadcasts/:id',
    summary: 'A broadcast with its counts, current rate and ETA',
    tag: TAG,
    access: ACCESS,
    params: idParams,
    async handler({ params, services }) {
      return liveView(await findBroadcast(services, params.id));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/broadcasts/:id',
    summary: 'Change a draft broadcast',
    tag: TAG,
    access: ACCESS,
    params: idParams,
    body: broadcastChangeSchema,
    async handler({ params, body, user, services }) {
      const before = await findBroadcast(services, params.id);
      const changed = await broadcastModel(services.db)
        .findOneAndUpdate(
          { _id: before._id, status: 'draft' },
          { $set: await storedInput(services, body) },
          { returnDocument: 'after' },
        )
        .lean<BroadcastRecord>();
      if (!changed) throw conflict(say('draftOnlyChanged'));
      const view = toBroadcastView(changed);
      await audit(services, user, 'broadcast.update', view, toBroadcastView(before));
      return view;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/broadcasts/:id',
    summary: 'Delete a draft broadcast',
    tag: TAG,
    access: ACCESS,
    params: idParams,
    status: 204,
    async handler({ params, user, services }) {
      const before = await findBroadcast(services, params.id);
      const deleted = await broadcastModel(services.db).deleteOne({ _id: before._id, status: 'draft' });
      if (deleted.deletedCount === 0) throw conflict(say('draftOnlyDeleted'));
      await recordAudit(services, {
        actor: user,
        action: 'broadcast.delete',
        entity: 'broadcast',
        entityId: params.id,
        before: toBroadcastView(before),
      });
      return undefined;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/broadcasts/:id/test',
    summary: "Send every variant the contact can receive now, as a test counted nowhere (e.g. to one's own card)",
    tag: TAG,
    access: ACCESS,
    params: idParams,
    body: testSendSchema,
    async handler({ params, body, services }) {
      const broadcast = await findBroadcast(services, params.id);
      return { results: await sendTestBroadcast(services, broadcast, body.contactId) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/broadcasts/:id/launch',
    summary:
      'Launch a draft now, or schedule it for schedule.at (422 when it cannot go, e.g. WhatsApp without a template)',
    tag: TAG,
    access: ACCESS,
    params: idParams,
    async handler({ params, user, services }) {
      const launched = await launchBroadcast(services, params.id);
      const view = toBroadcastView(launched);
      services.events.emit({ type: 'broadcast.progress', broadcast: view });
      await audit(services, user, 'broadcast.launch', view);
      return view;
    },
  }),
  control('pause', 'Pause a running broadcast (messages already handed to a channel still go)'),
  control('resume', 'Resume a paused broadcast'),
  control('cancel', 'Cancel a scheduled, running or paused broadcast: nobody not yet sent to gets it'),
  defineRoute({
    method: 'get',
    path: '/broadcasts/:id/recipients',
    summary: 'The frozen recipients of a broadcast, filtered by status and channel',
    tag: TAG,
    access: ACCESS,
    params: idParams,
    query: recipientsQuerySchema,
    async handler({ params, query, services }) {
      const cursor = decodeCursor(query.cursor);
      const rows = await broadcastRecipientModel(services.db)
        .find({
          broadcastId: new Types.ObjectId(params.id),
          ...(query.status ? { status: query.status } : {}),
          ...(query.channel ? { channel: query.channel } : {}),
          ...(cursor ? { _id: { $gt: new Types.ObjectId(cursor) } } : {}),
        })
        .sort({ _id: 1 })
        .limit(query.limit + 1)
        .lean<BroadcastRecipientRecord[]>();
      const contacts = await contactModels(services.db)
        .Contact.find({ _id: { $in: rows.map((row) => row.contactId) } }, { name: 1 })
        .lean();
      const names = new Map(contacts.map((contact) => [contact._id.toHexString(), contact.name]));
      return pageOf(
        rows.map((row) => ({
          id: row._id.toHexString(),
          broadcastId: row.broadcastId.toHexString(),
          contactId: row.contactId.toHexString(),
          contactName: names.get(row.contactId.toHexString()) ?? '',
          ...(row.channel ? { channel: row.channel } : {}),
          ...(row.accountId ? { accountId: row.accountId.toHexString() } : {}),
          status: row.status,
          ...(row.skipReason ? { skipReason: row.skipReason } : {}),
          ...(row.messageId ? { messageId: row.messageId.toHexString() } : {}),
          ...(row.sentAt ? { sentAt: row.sentAt.toISOString() } : {}),
          ...(row.repliedAt ? { repliedAt: row.repliedAt.toISOString() } : {}),
        })),
        query.limit,
      );
    },
  }),
];
