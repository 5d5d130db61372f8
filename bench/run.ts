import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBroadcastBench } from './broadcast.bench.js';
import { runIngestBench } from './ingest.bench.js';
import { runRealtimeBench } from './realtime.bench.js';
import { runReportsBench } from './reports.bench.js';
import { runStoreBench } from './store.bench.js';

/** One row of a bench table: a measured figure beside its target. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target: number;
  /** 'min': the value must reach the target; 'max': it must stay below; 'info': shown, never judged. */
  kind: 'min' | 'max' | 'info';
  /** The same measurement of something that does no work, taken in the same run (this machine is noisy). */
  baseline?: { name: string; value: number };
}

const benches: Record<string, () => Promise<Figure[]>> = {
  store: runStoreBench,
  ingest: runIngestBench,
  realtime: runRealtimeBench,
  broadcast: runBroadcastBench,
  reports: runReportsBench,
};

function verdict(f: Figure): string {
  if (f.kind === 'info') return 'info';
  const ok = f.kind === 'min' ? f.value >= f.target : f.value < f.target;
  return ok ? 'ok' : 'MISSED';
}

function printTable(name: string, figures: Figure[]): void {
  console.log(`\n${name}`);
  console.log(`${'figure'.padEnd(52)} ${'value'.padStart(12)} ${'target'.padStart(14)}  ratio  verdict  baseline`);
  for (const f of figures) {
    const ratio = f.kind === 'info' ? Number.NaN : f.kind === 'min' ? f.value / f.target : f.target / f.value;
    const target = f.kind === 'info' ? '' : `${f.kind === 'min' ? '≥' : '<'} ${f.target}`;
    console.log(
      `${f.name.padEnd(52)} ${`${round(f.value)} ${f.unit}`.padStart(12)} ${`${target} ${f.unit}`.padStart(14)}  ${(Number.isNaN(ratio) ? '' : ratio.toFixed(2)).padStart(5)}  ${verdict(f).padEnd(7)}  ${f.baseline ? `${f.baseline.name} ${round(f.baseline.value)} ${f.unit}` : ''}`,
    );
  }
}

function round(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(3).replace(/\.?0+$/, '');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length > 0 ? wanted : Object.keys(benches);
  const unknown = names.filter((n) => !benches[n]);
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  const resultsDir = join(import.meta.dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  let missed = 0;
  for (const name of names) {
    const figures = await benches[name]!();
    printTable(name, figures);
    missed += figures.filter((f) => verdict(f) === 'MISSED').length;
    const file = join(resultsDir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ bench: name, at: new Date().toISOString(), figures }, null, 2));
    console.log(`written ${file}`);
  }
  process.exitCode = missed > 0 ? 1 : 0;
}

await main();
