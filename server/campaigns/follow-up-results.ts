import type { Connection } from 'mongoose';
import { flowRunModel } from '../flows/flow-run-model.js';
import type { FollowUpCounts, FollowUpResults } from './follow-up-schemas.js';

/** One group of the aggregation: runs alike in everything the results count. */
interface RunGroup {
  _id: {
    status?: string;
    exitReason?: string | null;
    goalId?: string | null;
    replied?: number;
    step?: string | null;
    variant?: string | null;
  };
  count: number;
}

const emptyCounts = (): FollowUpCounts => ({
  enrolled: 0,
  active: 0,
  completed: 0,
  reachedGoal: 0,
  exited: 0,
  replied: 0,
  goals: {},
  exits: {},
});

function add(counts: FollowUpCounts, group: RunGroup): void {
  const { status, exitReason, goalId, replied } = group._id;
  counts.enrolled += group.count;
  if (replied) counts.replied += group.count;
  if (status === 'active' || status === 'waiting') counts.active += group.count;
  if (status === 'completed') counts.completed += group.count;
  if (status !== 'exited') return;
  if (exitReason === 'goal') {
    counts.reachedGoal += group.count;
    const goal = goalId ?? '?';
    counts.goals[goal] = (counts.goals[goal] ?? 0) + group.count;
    return;
  }
  counts.exited += group.count;
  const reason = exitReason ?? '?';
  counts.exits[reason] = (counts.exits[reason] ?? 0) + group.count;
}

/**
 * A campaign's results from its runs, in one aggregation over the runs it started (indexed on
 * campaignId): the server groups them by status, exit reason, goal, reply and the first split
 * variant the run took (the history's `variant` note, flows/engine/history-notes.ts), and only
 * the groups come back, whatever the number of runs.
 */
export async function followUpResults(db: Connection, campaignId: string): Promise<FollowUpResults> {
  const Run = await flowRunModel(db);
  const groups = await Run.aggregate<RunGroup>([
    { $match: { campaignId } },
    {
      $project: {
        status: 1,
        exitReason: '$state.exitReason',
        goalId: '$state.goalId',
        replied: { $cond: [{ $ifNull: ['$repliedAt', false] }, 1, 0] },
        split: {
          $arrayElemAt: [
            { $filter: { input: '$state.history', as: 'note', cond: { $eq: ['$$note.code', 'variant'] } } },
            0,
          ],
        },
      },
    },
    {
      $group: {
        _id: {
          status: '$status',
          exitReason: '$exitReason',
          goalId: '$goalId',
          replied: '$replied',
          step: '$split.step',
          variant: '$split.params.variant',
        },
        count: { $sum: 1 },
      },
    },
  ]);
  const total = emptyCounts();
  const variants = new Map<string, FollowUpCounts & { step: string; variant: string }>();
  for (const group of groups) {
    add(total, group);
    const { step, variant } = group._id;
    if (!step || !variant) continue;
    const key = `${step}/${variant}`;
    const counts = variants.get(key) ?? { step, variant, ...emptyCounts() };
    add(counts, group);
    variants.set(key, counts);
  }
  const sorted = [...variants.values()].sort((a, b) =>
    a.step === b.step ? a.variant.localeCompare(b.variant) : a.step.localeCompare(b.step),
  );
  return { ...total, variants: sorted };
}
