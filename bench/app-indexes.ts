import mongoose from 'mongoose';
import { broadcastRecipientModel } from '../server/broadcasts/broadcast-recipient-model.js';
import { contactModels } from '../server/contacts/contact-models.js';
import { dealModel } from '../server/deals/deal-model.js';
import { conversationModel } from '../server/messaging/conversation-model.js';
import { messageModel } from '../server/messaging/message-model.js';
import { pipelineModel } from '../server/pipelines/pipeline-model.js';
import { reportEventModel } from '../server/reports/events/report-event-model.js';
import { taskModel } from '../server/tasks/task-model.js';

/**
 * Builds the indexes of the collections benches fill, as the app defines them, before the bulk
 * load: a live installation has them from its first write, and a timed run must not pay for
 * building them (a process whose first use of a model meets 100,000 unindexed contacts builds
 * them then, on the store's one thread).
 */
export async function buildAppIndexes(uri: string): Promise<void> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    await dealModel(connection);
    await pipelineModel(connection);
    await taskModel(connection);
    await conversationModel(connection).init();
    await messageModel(connection).init();
    await contactModels(connection).Contact.init();
    await reportEventModel(connection).init();
    await broadcastRecipientModel(connection).init();
  } finally {
    await connection.close();
  }
}
