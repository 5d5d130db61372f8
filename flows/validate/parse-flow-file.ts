import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { Language } from '../schema/define-texts.js';
import { flowFileTexts } from '../schema/flow-file-texts.js';
import { flowFileSchema, type FlowDefinition, type FlowFile } from '../schema/flow-schema.js';
import { zodErrorMap } from '../schema/zod-error-map.js';
import { checkFlowFile } from './check-flow-file.js';
import { describeZodIssues, type DescribedIssue } from './describe-zod-issues.js';
import { FlowFileError, type FlowIssue } from './flow-file-error.js';
import { locateYamlNode } from './locate-yaml-node.js';

export type FlowFileResult =
  { ok: true; file: FlowFile; definitions: FlowDefinition[] } | { ok: false; issues: FlowIssue[] };

/**
 * Reads a flow file: YAML syntax, then the schema, then the cross-references; every problem comes
 * back with the line and column of the node it is about, sorted by position, worded in `language`.
 */
export function validateFlowFile(text: string, fileName = '<input>', language: Language = 'en'): FlowFileResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => {
        const position = error.linePos?.[0] ?? { line: 1, col: 1 };
        return {
          file: fileName,
          line: position.line,
          column: position.col,
          path: '',
          message: yamlProblem(error, language),
        };
      }),
    };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const locate = (issues: DescribedIssue[]): FlowIssue[] =>
    issues
      .map((issue) => ({
        file: fileName,
        ...locateYamlNode(doc, lineCounter, issue.path, issue.key),
        path: formatPath(issue.key === undefined ? issue.path : [...issue.path, issue.key]),
        message: issue.message,
      }))
      .sort((a, b) => a.line - b.line || a.column - b.column)
      .filter((issue, index, all) => index === 0 || formatKey(issue) !== formatKey(all[index - 1]));

  const parsed = flowFileSchema.safeParse(data, { error: zodErrorMap(language) });
  if (!parsed.success) return { ok: false, issues: locate(describeZodIssues(parsed.error.issues, data, language)) };
  const semantic = checkFlowFile(parsed.data, language);
  if (semantic.length > 0) return { ok: false, issues: locate(semantic) };
  return { ok: true, file: parsed.data, definitions: toFlowDefinitions(parsed.data) };
}

/** Like validateFlowFile, but throws a FlowFileError listing the issues. */
export function parseFlowFile(text: string, fileName = '<input>'): { file: FlowFile; definitions: FlowDefinition[] } {
  const result = validateFlowFile(text, fileName);
  if (!result.ok) throw new FlowFileError(result.issues);
  return { file: result.file, definitions: result.definitions };
}

/** Each flow with the workspace settings it relies on copied in (what a run pins). */
export function toFlowDefinitions(file: FlowFile): FlowDefinition[] {
  const { workspace } = file;
  const lostReasons = Object.fromEntries(
    workspace.pipelines.map((pipeline) => [
      pipeline.key,
      Object.fromEntries(pipeline.lostReasons.map((reason) => [reason.id, reason.name])),
    ]),
  );
  return file.flows.map((flow) => ({
    ...flow,
    timeZone: flow.timeZone ?? workspace.timeZone,
    language: workspace.language,
    businessHours: workspace.businessHours,
    quietHours: flow.quietHours ?? workspace.quietHours,
    lostReasons,
  }));
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text ? `${text}.${String(segment)}` : String(segment);
  }, '');
}

function formatKey(issue: FlowIssue | undefined): string {
  return issue ? `${issue.line}:${issue.column}:${issue.message}` : '';
}

/** yaml's message without the code excerpt and the position it appends (ours is in front). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

/** Texts for the yaml package's error codes; a code not here is named in a general text. */
const YAML_PROBLEMS: Partial<Record<YAMLError['code'], Parameters<typeof flowFileTexts.say>[0]>> = {
  BAD_INDENT: 'yamlIndent',
  DUPLICATE_KEY: 'yamlDuplicateKey',
  TAB_AS_INDENT: 'yamlTab',
  MULTILINE_IMPLICIT_KEY: 'yamlKeyOneLine',
  BLOCK_AS_IMPLICIT_KEY: 'yamlKeyOneLine',
  MISSING_CHAR: 'yamlMissingChar',
  UNEXPECTED_TOKEN: 'yamlUnexpected',
  BAD_SCALAR_START: 'yamlScalarStart',
  BLOCK_IN_FLOW: 'yamlBlockInFlow',
  MULTIPLE_DOCS: 'yamlDocuments',
};

/** A YAML syntax error: yaml's own words in English (they say more), ours by its code otherwise. */
function yamlProblem(error: YAMLError, language: Language): string {
  if (language === 'en') return firstLine(error.message);
  const words = flowFileTexts.words(language);
  const key = YAML_PROBLEMS[error.code];
  return key ? words(key) : words('yamlOther', { code: error.code });
}
