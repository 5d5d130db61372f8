/** The follow-up campaign API's answers (server/campaigns/follow-up-schemas.ts). */
export interface LocalName {
  ru: string;
  en?: string;
}

export interface FollowUpFlow {
  id: string;
  name: LocalName;
  runsPer: 'contact' | 'deal';
  goals: { id: string; name?: LocalName }[];
  splits: { step: string; variants: string[] }[];
}

export interface FollowUpCounts {
  enrolled: number;
  active: number;
  completed: number;
  reachedGoal: number;
  exited: number;
  replied: number;
  goals: Record<string, number>;
  exits: Record<string, number>;
}

export type FollowUpSourceView =
  | { kind: 'segment'; segmentId: string; segmentName?: string }
  | { kind: 'stage'; pipelineId: string; stageId: string; pipelineName?: string; stageName?: string };

export interface FollowUpView {
  id: string;
  name: string;
  flowId: string;
  flow?: FollowUpFlow;
  source: FollowUpSourceView;
  status: 'running' | 'stopped';
  cost?: { amount: number; currency: string };
  createdById: string;
  startedAt: string;
  stoppedAt?: string;
  createdAt: string;
  results: FollowUpCounts & { variants: (FollowUpCounts & { step: string; variant: string })[] };
}

/** A flow's or a goal's name in the reader's language (Russian when the flow has no English). */
export function localName(name: LocalName | undefined, locale: 'ru' | 'en', fallback: string): string {
  if (!name) return fallback;
  return (locale === 'en' ? name.en : undefined) ?? name.ru;
}
