import { join } from 'node:path';
import { z } from 'zod';
import { flowFileSchema } from './flow-schema.js';

/** Where the generated schema is committed (templates point at it for editor completion). */
export const FLOW_JSON_SCHEMA_FILE = join(import.meta.dirname, '..', 'flow.schema.json');

/**
 * The JSON Schema of flow files, generated from the zod schema (editors use it for completion via
 * `# yaml-language-server: $schema=../flow.schema.json`). It describes what authors write, so
 * defaults are optional; cross-references are checked by `npm run flows -- validate` only.
 * Formatted with prettier so the committed file passes `prettier --check`.
 */
export async function renderFlowJsonSchema(): Promise<string> {
  const schema = z.toJSONSchema(flowFileSchema, { io: 'input', target: 'draft-2020-12' });
  const document = {
    ...schema,
    $id: 'https://funnel-inbox.local/flows/flow.schema.json',
    title: 'Flow file',
    description: 'A workspace setup (pipelines, fields, teams, hours) and the flows that drive it.',
  };
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(FLOW_JSON_SCHEMA_FILE)) ?? {};
  return prettier.format(JSON.stringify(document), { ...options, parser: 'json' });
}
