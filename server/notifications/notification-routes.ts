import { Types } from 'mongoose';
import { z } from 'zod';
import { notFound } from '../api/api-error.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { decodeCursor, listQuerySchema, pageOf } from '../api/pagination.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { notificationModel, toNotificationView, type NotificationRecord } from './notification-model.js';
import { notificationViewSchema } from './notification-schemas.js';

const TAG = 'notifications';

/** Each user's own notifications (mentions): nobody reads another's. */
export const notificationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/notifications',
    summary: "The signed-in user's notifications, newest first, with the unread count",
    tag: TAG,
    access: 'authenticated',
    query: listQuerySchema.omit({ q: true }).extend({ unread: z.enum(['true', 'false']).optional() }),
    response: z.object({
      items: z.array(notificationViewSchema),
      nextCursor: z.string().optional(),
      unread: z.number(),
    }),
    async handler({ query, user, services }) {
      const Notification = notificationModel(services.db);
      const cursor = decodeCursor(query.cursor);
      const mine = { userId: new Types.ObjectId(user.id) };
      const [rows, unread] = await Promise.all([
        Notification.find({
          ...mine,
          ...(query.unread === 'true' ? { readAt: { $exists: false } } : {}),
          ...(cursor ? { _id: { $lt: new Types.ObjectId(cursor) } } : {}),
        })
          .sort({ _id: -1 })
          .limit(query.limit + 1)
          .lean<NotificationRecord[]>(),
        Notification.countDocuments({ ...mine, readAt: { $exists: false } }),
      ]);
      return { ...pageOf(rows.map(toNotificationView), query.limit), unread };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/notifications/:id/read',
    summary: 'Mark one of your notifications read',
    tag: TAG,
    access: 'authenticated',
    params: z.strictObject({ id: objectIdSchema }),
    response: notificationViewSchema,
    async handler({ params, user, services }) {
      const Notification = notificationModel(services.db);
      const mine = { _id: new Types.ObjectId(params.id), userId: new Types.ObjectId(user.id) };
      await Notification.updateOne({ ...mine, readAt: { $exists: false } }, { $set: { readAt: new Date() } });
      const record = await Notification.findOne(mine).lean<NotificationRecord>();
      if (!record) throw notFound('Notification');
      return toNotificationView(record);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/notifications/read-all',
    summary: 'Mark all your notifications read',
    tag: TAG,
    access: 'authenticated',
    async handler({ user, services }) {
      const result = await notificationModel(services.db).updateMany(
        { userId: new Types.ObjectId(user.id), readAt: { $exists: false } },
        { $set: { readAt: new Date() } },
      );
      return { marked: result.modifiedCount };
    },
  }),
];
