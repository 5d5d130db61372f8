import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { notificationModel, toNotificationView, type NotificationRecord } from './notification-model.js';

export type NewNotification = Omit<NotificationRecord, '_id' | 'userId' | 'createdAt' | 'readAt'>;

/**
 * The one way a notification reaches a bell (mentions, assignments, flows): stored per user, then
 * pushed to the user's room. With a `sourceKey` a repeated call adds nothing: a retry finds the one
 * stored before and pushes it again (the bell drops an id it has, and a push lost to a crash
 * between the write and the emit is made good).
 */
export async function notifyUsers(
  services: Pick<ApiServices, 'db' | 'events'>,
  userIds: readonly string[],
  notification: NewNotification,
): Promise<void> {
  const Notification = notificationModel(services.db);
  for (const userId of new Set(userIds)) {
    const mine = {
      userId: new Types.ObjectId(userId),
      ...(notification.sourceKey ? { sourceKey: notification.sourceKey } : {}),
    };
    let record = notification.sourceKey ? await Notification.findOne(mine).lean<NotificationRecord>() : null;
    if (!record) {
      try {
        record = (await Notification.create({ ...notification, ...mine })).toObject<NotificationRecord>();
      } catch (error) {
        // A concurrent retry stored it first: that one is the notification.
        if (!notification.sourceKey || !isDuplicateKeyError(error)) throw error;
        record = await Notification.findOne(mine).lean<NotificationRecord>();
      }
    }
    if (record)
      services.events.emit({ type: 'notification.created', userId, notification: toNotificationView(record) });
  }
}
