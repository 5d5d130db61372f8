import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FLOW_JSON_SCHEMA_FILE, renderFlowJsonSchema } from '../../flows/schema/render-flow-json-schema.js';

const ROOT = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'flows-cli-'));

/** Runs the CLI in an English terminal, or in the one `locale` names. */
function run(args: string[], locale = 'C.UTF-8') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'flows/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LANG: locale, LC_ALL: '', LC_MESSAGES: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cli = (...args: string[]) => run(args);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('flows CLI', () => {
  it('should validate the templates', () => {
    const result = cli('validate', 'flows/templates/windows.yaml', 'flows/templates/realty.yaml');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      '✓ flows/templates/windows.yaml: 4 pipelines, 16 flows\n✓ flows/templates/realty.yaml: 3 pipelines, 16 flows\n',
    );
  });

  it('should print each problem with its line and exit 1 on a broken file', () => {
    const broken = join(scratch, 'broken.yaml');
    const text = readFileSync(join(ROOT, 'flows/templates/windows.yaml'), 'utf8')
      .replace(
        'stage: measurement-scheduled, includeExisting: true',
        'stage: measurement-planned, includeExisting: true',
      )
      .replace('        next: ask-product\n', '        next: ask-prodcut\n');
    writeFileSync(broken, text);
    const lineOf = (needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
    const result = cli('validate', broken);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      `${broken}:${lineOf('next: ask-prodcut')}:15: Unknown step "ask-prodcut" (flows[0].steps[1].next)`,
      `${broken}:${lineOf('measurement-planned')}:56: Unknown stage "measurement-planned" in pipeline "sales" (flows[5].triggers[0].stage)`,
      `✗ ${broken}: 2 problem(s)`,
      '',
    ]);
    const russian = run(['validate', broken], 'ru_RU.UTF-8');
    expect(russian.code).toBe(1);
    expect(russian.stderr.split('\n')).toEqual([
      `${broken}:${lineOf('next: ask-prodcut')}:15: Неизвестный шаг "ask-prodcut" (flows[0].steps[1].next)`,
      `${broken}:${lineOf('measurement-planned')}:56: Неизвестный этап "measurement-planned" в воронке "sales" (flows[5].triggers[0].stage)`,
      `✗ ${broken}: проблем — 2`,
      '',
    ]);
  });

  it('should simulate a template over its example events', () => {
    const result = cli('simulate', 'flows/templates/windows.yaml', '--events', 'flows/examples/windows.events.json');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Simulated time in Europe/Moscow');
    expect(result.stdout).toContain('2025-06-12 13:00    installment-payment-19 ⇒ markWon');
    expect(result.stdout).toContain('d-sale-copy1: installments/won (won)');
  });

  it('should refuse a malformed events file and unknown commands', () => {
    const events = join(scratch, 'events.json');
    writeFileSync(events, JSON.stringify({ start: 'yesterday', events: [] }));
    const bad = cli('simulate', 'flows/templates/windows.yaml', '--events', events);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Use an ISO date-time with an offset');
    expect(cli('frobnicate').code).toBe(1);
  });
});

describe('flow.schema.json', () => {
  it('should match the zod schema it is generated from (npm run flows -- schema)', async () => {
    expect(readFileSync(FLOW_JSON_SCHEMA_FILE, 'utf8')).toBe(await renderFlowJsonSchema());
  });
});
