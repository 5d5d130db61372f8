import type { MessageKey } from '../i18n.svelte';
import { localName, type FollowUpSourceView, type FollowUpView } from './follow-up-views';

/** The run exit reasons of flows/engine/run-state-schema.ts, as the marketer reads them. */
const EXIT_LABELS: Record<string, MessageKey> = {
  'stage-left': 'followUps.exit.stageLeft',
  'opted-out': 'followUps.exit.optedOut',
  'taken-over': 'followUps.exit.takenOver',
  'exit-condition': 'followUps.exit.exitCondition',
  left: 'followUps.exit.left',
  're-enrolled': 'followUps.exit.reEnrolled',
  'step-limit': 'followUps.exit.stepLimit',
};

export function exitLabel(reason: string): MessageKey {
  return EXIT_LABELS[reason] ?? 'followUps.exit.other';
}

/** "Продажа → КП отправлено" or the segment's name; ids when what they named is gone. */
export function sourceText(source: FollowUpSourceView): string {
  switch (source.kind) {
    case 'segment':
      return source.segmentName ?? source.segmentId;
    case 'stage':
      return `${source.pipelineName ?? source.pipelineId} → ${source.stageName ?? source.stageId}`;
  }
}

/** The campaign's flow by name, or its id when the flow was removed. */
export function flowText(view: FollowUpView, locale: 'ru' | 'en'): string {
  return localName(view.flow?.name, locale, view.flowId);
}

/** A goal by its name in the flow, or its id. */
export function goalText(view: FollowUpView, goalId: string, locale: 'ru' | 'en'): string {
  return localName(view.flow?.goals.find((goal) => goal.id === goalId)?.name, locale, goalId);
}
