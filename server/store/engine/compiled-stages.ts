import { compileExpression, keepBetter, type Doc, type Evaluate } from './compiled-expressions.js';
import { compileFilter } from './filter.js';
import { equalityKey, isPlainObject } from './key-encoding.js';

/**
 * The leading `$match`, `$project`, `$unwind` and `$group` stages of a pipeline run as compiled
 * closures over the documents read (see compiled-expressions.ts); the first stage not compiled
 * here, and all after it, go to mingo as before. Reports are such pipelines.
 */

type Stage = Record<string, unknown>;
type Transform = (input: Iterable<Doc>) => Iterable<Doc>;

const NO_VARIABLES = Object.freeze({}) as Record<string, unknown>;

function compileMatch(spec: unknown): Transform | undefined {
  if (!isPlainObject(spec)) return undefined;
  const filter = compileFilter(spec);
  if (filter.readsStoredTypes) return undefined;
  return function* (input) {
    for (const doc of input) if (filter.test(doc)) yield doc;
  };
}

/** An inclusion `$project` of top-level fields and expressions; `_id` first unless left out. */
function compileProject(spec: unknown): Transform | undefined {
  if (!isPlainObject(spec)) return undefined;
  let keepId = true;
  const fields: [string, Evaluate][] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (key.includes('.') || key.startsWith('$')) return undefined;
    if (value === 0 || value === false) {
      if (key !== '_id') return undefined;
      keepId = false;
      continue;
    }
    if (value === 1 || value === true) {
      fields.push([key, (doc) => doc[key]]);
      continue;
    }
    // A nested projection (`{ a: { b: 1 } }`) reads like an object expression but is not one.
    if (isPlainObject(value) && !Object.keys(value).some((inner) => inner.startsWith('$'))) return undefined;
    if (typeof value === 'number' || typeof value === 'boolean') return undefined;
    const compiled = compileExpression(value);
    if (!compiled) return undefined;
    fields.push([key, compiled]);
  }
  if (fields.length === 0) return undefined;
  if (keepId && !fields.some(([key]) => key === '_id')) fields.unshift(['_id', (doc) => doc._id]);
  return function* (input) {
    for (const doc of input) {
      const out: Doc = {};
      for (const [key, compiled] of fields) {
        const value = compiled(doc, NO_VARIABLES);
        if (value !== undefined) out[key] = value;
      }
      yield out;
    }
  };
}

/** `$unwind` of a top-level field: one document per element. */
function compileUnwind(spec: unknown): Transform | undefined {
  const options = typeof spec === 'string' ? { path: spec } : isPlainObject(spec) ? spec : undefined;
  if (!options || Object.keys(options).some((key) => key !== 'path' && key !== 'preserveNullAndEmptyArrays')) {
    return undefined;
  }
  const { path, preserveNullAndEmptyArrays: preserve = false } = options;
  if (
    typeof path !== 'string' ||
    !path.startsWith('$') ||
    path.slice(1).includes('.') ||
    typeof preserve !== 'boolean'
  ) {
    return undefined;
  }
  const field = path.slice(1);
  if (!field || field.startsWith('$')) return undefined;
  return function* (input) {
    for (const doc of input) {
      const value = doc[field];
      if (!Array.isArray(value)) {
        if ((value !== undefined && value !== null) || preserve) yield doc;
        continue;
      }
      if (value.length === 0) {
        if (preserve) {
          const { [field]: _, ...rest } = doc;
          yield rest;
        }
        continue;
      }
      for (const element of value) yield { ...doc, [field]: element };
    }
  };
}

interface Accumulator {
  add(value: unknown): void;
  result(): unknown;
}

const isNumeric = (value: unknown): value is number => typeof value === 'number';

const ACCUMULATORS: Record<string, () => Accumulator> = {
  $sum: () => {
    let total = 0;
    return { add: (value) => void (isNumeric(value) && (total += value)), result: () => total };
  },
  $avg: () => {
    let total = 0;
    let count = 0;
    return {
      add: (value) => void (isNumeric(value) && ((total += value), count++)),
      result: () => (count === 0 ? null : total / count),
    };
  },
  $push: () => {
    const list: unknown[] = [];
    // MongoDB's $push leaves a missing value out.
    return { add: (value) => void (value !== undefined && list.push(value)), result: () => list };
  },
  $addToSet: () => {
    const seen = new Map<string, unknown>();
    return {
      add: (value) => void (value !== undefined && seen.set(equalityKey(value), value)),
      result: () => [...seen.values()],
    };
  },
  $first: () => {
    let first: unknown;
    let seen = false;
    return {
      add: (value) => void (seen || ((first = value), (seen = true))),
      result: () => first ?? null,
    };
  },
  $last: () => {
    let last: unknown;
    return { add: (value) => void (last = value), result: () => last ?? null };
  },
  $min: () => extreme((order) => order < 0),
  $max: () => extreme((order) => order > 0),
};

function extreme(better: (order: number) => boolean): Accumulator {
  let best: unknown = null;
  return { add: (value) => void (best = keepBetter(best, value, better)), result: () => best };
}

/** `$group` by an expression with the common accumulators; groups come out in order of first sight. */
function compileGroup(spec: unknown): Transform | undefined {
  if (!isPlainObject(spec) || !('_id' in spec)) return undefined;
  const key = compileExpression(spec._id);
  if (!key) return undefined;
  const outputs: { field: string; make: () => Accumulator; argument: Evaluate }[] = [];
  for (const [field, accumulator] of Object.entries(spec)) {
    if (field === '_id') continue;
    if (field.includes('.') || !isPlainObject(accumulator)) return undefined;
    const entries = Object.entries(accumulator);
    if (entries.length !== 1) return undefined;
    const [name, argument] = entries[0]!;
    if (name === '$count' && isPlainObject(argument) && Object.keys(argument).length === 0) {
      outputs.push({ field, make: ACCUMULATORS.$sum!, argument: () => 1 });
      continue;
    }
    const make = ACCUMULATORS[name];
    const compiled = make && compileExpression(argument);
    if (!compiled) return undefined;
    outputs.push({ field, make, argument: compiled });
  }
  return function* (input) {
    const groups = new Map<string, { id: unknown; accumulators: Accumulator[] }>();
    for (const doc of input) {
      const id = key(doc, NO_VARIABLES) ?? null;
      const hash = equalityKey(id);
      let group = groups.get(hash);
      if (!group) {
        group = { id, accumulators: outputs.map((output) => output.make()) };
        groups.set(hash, group);
      }
      for (let i = 0; i < outputs.length; i++) group.accumulators[i]!.add(outputs[i]!.argument(doc, NO_VARIABLES));
    }
    for (const group of groups.values()) {
      const out: Doc = { _id: group.id };
      outputs.forEach((output, i) => (out[output.field] = group.accumulators[i]!.result()));
      yield out;
    }
  };
}

const STAGE_COMPILERS: Record<string, (spec: unknown) => Transform | undefined> = {
  $match: compileMatch,
  $project: compileProject,
  $unwind: compileUnwind,
  $group: compileGroup,
};

/**
 * The longest run of leading stages compiled here, as one transform, and the stages left for
 * mingo. `compiled` is undefined when not even the first stage compiles.
 */
export function compileLeadingStages(pipeline: readonly Stage[]): { compiled?: Transform; rest: Stage[] } {
  const transforms: Transform[] = [];
  let index = 0;
  for (; index < pipeline.length; index++) {
    const stage = pipeline[index]!;
    const entries = Object.entries(stage);
    if (entries.length !== 1) break;
    const [name, spec] = entries[0]!;
    const transform = STAGE_COMPILERS[name]?.(spec);
    if (!transform) break;
    transforms.push(transform);
  }
  const rest = pipeline.slice(index) as Stage[];
  if (transforms.length === 0) return { rest };
  return { compiled: (input) => transforms.reduce<Iterable<Doc>>((docs, transform) => transform(docs), input), rest };
}
