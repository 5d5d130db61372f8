/** A call entry's content as the messages API shows it (server/messaging/message-views.ts). */
export interface CallView {
  kind: 'call';
  direction: 'in' | 'out';
  from: string;
  to: string;
  operator?: { extension: string; userId?: string };
  startedAt: string;
  durationSec: number;
  outcome: 'answered' | 'missed' | 'busy' | 'failed';
  recording?: { state: 'pending' | 'kept' | 'failed'; url?: string; mimeType?: string };
}
