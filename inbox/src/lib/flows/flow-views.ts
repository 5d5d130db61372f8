/** The flow API's answers as the Flows section reads them (server/flows/flow-views.ts). */
export interface LocalizedName {
  ru: string;
  en?: string;
}

export interface FlowSummary {
  id: string;
  name: LocalizedName;
  enabled: boolean;
  version: number;
  versions: number[];
  valid: boolean;
  updatedAt: string;
}

/** A flow's trigger or step as stored: a `type` and its own keys. */
export interface FlowPart {
  type: string;
  id?: string;
  next?: string;
  [key: string]: unknown;
}

export interface FlowDetail extends FlowSummary {
  source: string;
  activeRuns: number;
  definition: {
    triggers: FlowPart[];
    steps: FlowPart[];
    goals: { id: string; when: unknown }[];
    conditions?: unknown;
  };
}

export interface FlowIssue {
  line: number;
  column: number;
  path: string;
  message: string;
}

export interface FlowRun {
  id: string;
  flowId: string;
  flowVersion: number;
  status: 'active' | 'waiting' | 'completed' | 'exited';
  exitReason?: string;
  contactId: string;
  dealId?: string;
  cursor: string | null;
  startedAt: string;
  endedAt?: string;
  /** `result` is the server's English; `code` and `params` let the inbox word it (history-note.ts). */
  history: { step: string; at: string; result: string; code?: string; params?: Record<string, string | number> }[];
  /** `code` and `params` word the reason in the reader's language (server/flows/skip-reasons.ts). */
  skipped: {
    step: string;
    effect: string;
    reason: string;
    code?: string;
    params?: Record<string, string>;
    at: string;
  }[];
  pendingWaits: { id: string; step: string; kind: string; at: string }[];
}

/** A shipped funnel template (GET /flows/templates, server/flows/flow-template-routes.ts). */
export interface FlowTemplate {
  name: string;
  title: LocalizedName;
  description?: LocalizedName;
  pipelines: { key: string; name: LocalizedName; stages: number }[];
  flows: { id: string; name: LocalizedName }[];
  installed: boolean;
}

/** What an install added (POST /flows/templates/:name/install); empty lists: it was all there. */
export interface TemplateInstallReport {
  template: string;
  created: Record<'pipelines' | 'stages' | 'lostReasons' | 'fields' | 'teams' | 'flows', string[]>;
  keptFlows: string[];
}
