import { validateFlowFile, type FlowDefinition, type FlowIssue } from '../../flows/index.js';
import type { Language } from '../../flows/schema/define-texts.js';
import { flowFileTexts } from '../../flows/schema/flow-file-texts.js';
import type { Workspace } from '../../flows/schema/workspace-schema.js';

/** Lines the composed file puts above the uploaded flow: format, workspace, flows. */
const LINES_ABOVE = 3;
/** The uploaded flow is indented under `flows:` as a list item. */
const INDENT = 4;

export type FlowVersionCheck = { ok: true; definition: FlowDefinition } | { ok: false; issues: FlowIssue[] };

/**
 * Checks one flow's YAML the way the validator checks a whole file: wrapped in a file with the
 * installed workspace and the other flows (so stages, fields and the flows an `enroll` names are
 * checked too), with every problem's line and column given back in the uploaded text, worded in
 * the uploader's language.
 */
export function validateFlowVersion(
  yaml: string,
  flowId: string,
  workspace: Workspace,
  others: readonly { flowId: string; source: string }[],
  language: Language,
): FlowVersionCheck {
  const words = flowFileTexts.words(language);
  const lines = linesOf(yaml);
  const rest = others.filter((other) => other.flowId !== flowId).flatMap((other) => asItem(linesOf(other.source)));
  const indented = asItem(lines);
  const text = ['format: 1', `workspace: ${JSON.stringify(workspace)}`, 'flows:', ...indented, ...rest].join('\n');
  const result = validateFlowFile(text, `${flowId}.yaml`, language);
  if (!result.ok) {
    const own = (line: number) => line > LINES_ABOVE && line <= LINES_ABOVE + lines.length;
    return {
      ok: false,
      issues: result.issues.map((issue) =>
        own(issue.line)
          ? { ...issue, line: issue.line - LINES_ABOVE, column: Math.max(1, issue.column - INDENT) }
          : { ...issue, line: 1, column: 1, message: words('outsideFlow', { message: issue.message }) },
      ),
    };
  }
  const definition = result.definitions[0];
  if (!definition || definition.id !== flowId)
    return {
      ok: false,
      issues: [
        { file: `${flowId}.yaml`, line: 1, column: 1, path: 'id', message: words('flowIdMustBe', { id: flowId }) },
      ],
    };
  return { ok: true, definition };
}

function linesOf(yaml: string): string[] {
  return yaml.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
}

function asItem(lines: string[]): string[] {
  return lines.map((line, index) => (index === 0 ? `  - ${line}` : `${' '.repeat(INDENT)}${line}`));
}
