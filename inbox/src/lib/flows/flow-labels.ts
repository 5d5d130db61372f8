import { translate, type MessageKey } from '../i18n.svelte';
import { EXIT_LABELS, STEP_LABELS, TRIGGER_LABELS } from './flow-label-keys';

/** A type the inbox has no words for yet (a newer server) shows as the file names it. */
const labelOf = (labels: Record<string, MessageKey>, type: string) => {
  const key = labels[type];
  return key ? translate(key) : type;
};

export const stepTypeLabel = (type: string): string => labelOf(STEP_LABELS, type);
export const triggerTypeLabel = (type: string): string => labelOf(TRIGGER_LABELS, type);
export const exitReasonLabel = (reason: string): string => labelOf(EXIT_LABELS, reason);
