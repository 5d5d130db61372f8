/** One problem in a flow file, pointing at the YAML node it concerns (1-based line and column). */
export interface FlowIssue {
  file: string;
  line: number;
  column: number;
  /** Where in the document, e.g. flows[0].steps[3].next. */
  path: string;
  message: string;
}

export function formatFlowIssue(issue: FlowIssue): string {
  const where = issue.path ? ` (${issue.path})` : '';
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}${where}`;
}

/** A flow file that does not parse, fit the schema or make sense; carries every issue found. */
export class FlowFileError extends Error {
  readonly code = 'FLOW_FILE_INVALID';

  constructor(readonly issues: FlowIssue[]) {
    super(`Invalid flow file:\n${issues.map(formatFlowIssue).join('\n')}`);
    this.name = 'FlowFileError';
  }
}
