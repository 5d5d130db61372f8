import type { MessageKey } from '../i18n.svelte';
import type { BroadcastStatus } from './campaign-views';

/** A broadcast status's words and its chip's colour class (sections.css). */
export function statusChip(status: BroadcastStatus): { label: MessageKey; tone: string } {
  switch (status) {
    case 'draft':
      return { label: 'broadcasts.status.draft', tone: '' };
    case 'scheduled':
      return { label: 'broadcasts.status.scheduled', tone: 'chip-info' };
    case 'running':
      return { label: 'broadcasts.status.running', tone: 'chip-info' };
    case 'paused':
      return { label: 'broadcasts.status.paused', tone: 'chip-warning' };
    case 'cancelled':
      return { label: 'broadcasts.status.cancelled', tone: 'ui-chip-danger' };
    case 'completed':
      return { label: 'broadcasts.status.completed', tone: 'ui-chip-ok' };
  }
}
