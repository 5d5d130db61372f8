import type { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { enqueueUnenroll } from '../flows/flow-jobs.js';
import { flowRunModel, type FlowRunRecord } from '../flows/flow-run-model.js';

const BATCH = 500;

/**
 * Ends a stopped campaign's running runs through the engine's own exit path (the `unenroll` job a
 * `leave` step sends: the run exits with reason "left", its waits are cancelled). One job per run,
 * named after it, so stopping twice ends each run once. Answers how many runs were told to end.
 */
export async function stopFollowUpRuns(
  services: Pick<ApiServices, 'db' | 'queues'>,
  campaignId: Types.ObjectId,
): Promise<number> {
  const Run = await flowRunModel(services.db);
  let stopped = 0;
  let after: string | undefined;
  for (;;) {
    const runs = await Run.find({
      campaignId: campaignId.toHexString(),
      status: { $in: ['active', 'waiting'] },
      ...(after ? { _id: { $gt: after } } : {}),
    })
      .sort({ _id: 1 })
      .limit(BATCH)
      .select({ _id: 1, flowId: 1, 'state.subject': 1 })
      .lean<Pick<FlowRunRecord, '_id' | 'flowId' | 'state'>[]>();
    if (runs.length === 0) return stopped;
    await Promise.all(
      runs.map((run) =>
        enqueueUnenroll(services.queues, `campaign-stop-${run._id}`, {
          flowId: run.flowId,
          subject: run.state.subject,
        }),
      ),
    );
    stopped += runs.length;
    after = runs.at(-1)?._id;
  }
}
