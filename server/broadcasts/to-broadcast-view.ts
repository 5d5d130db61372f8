import type {
  BroadcastChannel,
  BroadcastCounts,
  BroadcastRecord,
  BroadcastStatus,
  BroadcastVariants,
} from './broadcast-model.js';
import { emptyCounts } from './broadcast-model.js';

export interface BroadcastView {
  id: string;
  name: string;
  segmentId: string;
  variants: BroadcastVariants;
  channelOrder: BroadcastChannel[];
  accounts?: Partial<Record<BroadcastChannel, string>>;
  schedule?: { at: string };
  quietHours?: { from: string; to: string };
  timeZone: string;
  cost?: { amount: number; currency: string };
  status: BroadcastStatus;
  counts: BroadcastCounts;
  countsByChannel: Partial<Record<BroadcastChannel, BroadcastCounts>>;
  launchedAt?: string;
  completedAt?: string;
  createdById: string;
  createdAt: string;
  updatedAt: string;
  /** When the last message should go out at the current rate; null when unknown or done. */
  eta: string | null;
  /** Messages a second sent over the last few seconds. */
  ratePerSecond: number;
  /** The cost over the attributed leads; null without a cost or a lead. */
  costPerLead: number | null;
  /** (revenue − cost) / cost, e.g. 1.5 for +150 %; null without a cost above zero. */
  roi: number | null;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** What a broadcast's cost bought: the price of a lead and the return on it. */
function returnOn(cost: BroadcastRecord['cost'], counts: BroadcastCounts): Pick<BroadcastView, 'costPerLead' | 'roi'> {
  if (!cost) return { costPerLead: null, roi: null };
  return {
    costPerLead: counts.leads > 0 ? round(cost.amount / counts.leads, 2) : null,
    roi: cost.amount > 0 ? round((counts.revenue - cost.amount) / cost.amount, 4) : null,
  };
}

export function toBroadcastView(
  record: BroadcastRecord,
  live: { eta: Date | null; ratePerSecond: number } = { eta: null, ratePerSecond: 0 },
): BroadcastView {
  const accounts = record.accounts
    ? Object.fromEntries(Object.entries(record.accounts).map(([channel, id]) => [channel, String(id)]))
    : undefined;
  const countsByChannel = Object.fromEntries(
    Object.entries(record.countsByChannel ?? {}).map(([channel, counts]) => [channel, { ...emptyCounts(), ...counts }]),
  );
  const counts = { ...emptyCounts(), ...record.counts };
  return {
    id: record._id.toHexString(),
    name: record.name,
    segmentId: record.segmentId.toHexString(),
    variants: record.variants,
    channelOrder: record.channelOrder,
    ...(accounts ? { accounts } : {}),
    ...(record.schedule ? { schedule: { at: record.schedule.at.toISOString() } } : {}),
    ...(record.quietHours ? { quietHours: record.quietHours } : {}),
    timeZone: record.timeZone,
    ...(record.cost ? { cost: record.cost } : {}),
    status: record.status,
    counts,
    countsByChannel,
    ...(record.launchedAt ? { launchedAt: record.launchedAt.toISOString() } : {}),
    ...(record.completedAt ? { completedAt: record.completedAt.toISOString() } : {}),
    createdById: record.createdById.toHexString(),
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    eta: live.eta ? live.eta.toISOString() : null,
    ratePerSecond: live.ratePerSecond,
    ...returnOn(record.cost, counts),
  };
}
