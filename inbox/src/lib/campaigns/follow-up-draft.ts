import type { FollowUpFlow } from './follow-up-views';

/** The follow-up form as the marketer fills it in. */
export interface FollowUpDraft {
  name: string;
  flowId: string;
  sourceKind: 'segment' | 'stage';
  segmentId: string;
  pipelineId: string;
  stageId: string;
  /** Typed text: empty means no cost. */
  cost: string;
}

export type FollowUpProblem = 'name' | 'flow' | 'segment' | 'stage' | 'cost' | 'perDeal';

export function emptyFollowUpDraft(): FollowUpDraft {
  return { name: '', flowId: '', sourceKind: 'stage', segmentId: '', pipelineId: '', stageId: '', cost: '' };
}

function costOf(text: string): number | undefined {
  const amount = Number(text.replace(/\s/g, '').replace(',', '.'));
  return text.trim() && Number.isFinite(amount) && amount >= 0 ? amount : undefined;
}

/** What keeps the draft from starting, field by field (the server checks again). */
export function followUpProblems(draft: FollowUpDraft, flow: FollowUpFlow | undefined): FollowUpProblem[] {
  const problems: FollowUpProblem[] = [];
  if (!draft.name.trim()) problems.push('name');
  if (!flow) problems.push('flow');
  if (draft.sourceKind === 'segment' && !draft.segmentId) problems.push('segment');
  if (draft.sourceKind === 'segment' && flow?.runsPer === 'deal') problems.push('perDeal');
  if (draft.sourceKind === 'stage' && (!draft.pipelineId || !draft.stageId)) problems.push('stage');
  if (draft.cost.trim() && costOf(draft.cost) === undefined) problems.push('cost');
  return problems;
}

/** The body of `POST /api/v1/campaigns/follow-ups`. */
export function followUpInput(draft: FollowUpDraft): unknown {
  const amount = costOf(draft.cost);
  return {
    name: draft.name.trim(),
    flowId: draft.flowId,
    source:
      draft.sourceKind === 'segment'
        ? { kind: 'segment', segmentId: draft.segmentId }
        : { kind: 'stage', pipelineId: draft.pipelineId, stageId: draft.stageId },
    ...(amount === undefined ? {} : { cost: { amount, currency: 'RUB' } }),
  };
}
