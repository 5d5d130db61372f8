import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Language } from './schema/define-texts.js';
import { flowFileTexts } from './schema/flow-file-texts.js';
import { FLOW_JSON_SCHEMA_FILE, renderFlowJsonSchema } from './schema/render-flow-json-schema.js';
import { formatTrace } from './simulate/format-trace.js';
import { simulate } from './simulate/simulate.js';
import { simulationSchema } from './simulate/simulation-schema.js';
import { formatFlowIssue } from './validate/flow-file-error.js';
import { validateFlowFile } from './validate/parse-flow-file.js';

const USAGE = `Usage:
  npm run flows -- validate <file.yaml>...                  check flow files (exit 1 on errors)
  npm run flows -- simulate <file.yaml> --events <file.json> [--json]
                                                            play events on a simulated clock, print the trace
  npm run flows -- schema [--check]                         write (or check) flows/flow.schema.json`;

/** `validate` speaks English unless the terminal's locale is Russian (LANG=ru_RU.UTF-8). */
const LANGUAGE: Language = /^ru/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '')
  ? 'ru'
  : 'en';
const words = flowFileTexts.words(LANGUAGE);

/** A mistake in how the command was called or in its input: printed without a stack, exit 1. */
class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      events: { type: 'string' },
      json: { type: 'boolean' },
      check: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...files] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  switch (command) {
    case 'validate':
      return validate(files);
    case 'simulate':
      return simulateFile(files[0], values.events, values.json ?? false);
    case 'schema':
      return schema(values.check ?? false);
    default:
      throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  }
}

async function validate(files: string[]): Promise<number> {
  if (files.length === 0) throw new UsageError(`Name at least one file.\n${USAGE}`);
  let failed = false;
  for (const file of files) {
    const result = validateFlowFile(await readFile(file, 'utf8'), file, LANGUAGE);
    if (result.ok) {
      const { workspace, flows } = result.file;
      console.log(words('fileValid', { file, pipelines: workspace.pipelines.length, flows: flows.length }));
      continue;
    }
    failed = true;
    for (const issue of result.issues) console.error(formatFlowIssue(issue));
    console.error(words('fileProblems', { file, count: result.issues.length }));
  }
  return failed ? 1 : 0;
}

async function simulateFile(file: string | undefined, eventsFile: string | undefined, json: boolean): Promise<number> {
  if (!file || !eventsFile) throw new UsageError(`simulate needs a flow file and --events <file.json>.\n${USAGE}`);
  const flows = validateFlowFile(await readFile(file, 'utf8'), file, LANGUAGE);
  if (!flows.ok) {
    for (const issue of flows.issues) console.error(formatFlowIssue(issue));
    return 1;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(eventsFile, 'utf8'));
  } catch (error) {
    throw new UsageError(`${eventsFile}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = simulationSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${eventsFile}:\n${z.prettifyError(parsed.error)}`);
  const result = simulate(flows.definitions, flows.file.workspace, parsed.data);
  if (json) {
    console.log(JSON.stringify(result, null, 2));
    return 0;
  }
  const { timeZone } = flows.file.workspace;
  console.log(`Simulated time in ${timeZone}\n`);
  for (const line of formatTrace(result.trace, timeZone)) console.log(line);
  console.log('\nDeals at the end:');
  for (const deal of result.deals) console.log(`  ${deal.id}: ${deal.pipeline}/${deal.stage} (${deal.status})`);
  const open = result.tasks.filter((task) => !task.done);
  console.log(`Open tasks: ${open.length}`);
  for (const task of open) console.log(`  ${task.title} → ${task.assignee}${task.dueAt ? `, due ${task.dueAt}` : ''}`);
  console.log(
    `Runs: ${result.runs.length}, still waiting: ${result.runs.filter((run) => run.status === 'waiting').length}`,
  );
  return 0;
}

async function schema(check: boolean): Promise<number> {
  const rendered = await renderFlowJsonSchema();
  if (!check) {
    await writeFile(FLOW_JSON_SCHEMA_FILE, rendered);
    console.log(`wrote ${FLOW_JSON_SCHEMA_FILE}`);
    return 0;
  }
  const current = await readFile(FLOW_JSON_SCHEMA_FILE, 'utf8').catch(() => '');
  if (current === rendered) return 0;
  console.error(`${FLOW_JSON_SCHEMA_FILE} is out of date: run npm run flows -- schema`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof UsageError ? error.message : error);
    process.exitCode = 1;
  },
);
