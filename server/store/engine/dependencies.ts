import { isPlainObject } from './key-encoding.js';

/**
 * Which top-level fields of a stored document a query or a pipeline reads, as MongoDB's
 * dependency tracker works it out: a pipeline that ends in `$group` or an inclusion `$project`
 * needs only the fields its stages name, so only those are decoded from the stored bytes.
 * `undefined` means the whole document (a `$$ROOT`, an exclusion projection, a stage not
 * analysed here); naming a field too many is harmless, one too few is not.
 */
export type Dependencies = Set<string> | undefined;

type Doc = Record<string, unknown>;

function addPath(out: Set<string>, path: string): void {
  out.add(path.split('.')[0]!);
}

/**
 * Adds the fields an aggregation expression reads; false when it reads the whole document.
 * `$$var` other than ROOT/CURRENT are the expression's own variables ($map's `$$this`...).
 */
export function addExpressionFields(expression: unknown, out: Set<string>): boolean {
  if (typeof expression === 'string') {
    if (!expression.startsWith('$')) return true;
    if (!expression.startsWith('$$')) {
      addPath(out, expression.slice(1));
      return true;
    }
    const variable = expression.slice(2).split('.')[0];
    if (variable !== 'ROOT' && variable !== 'CURRENT') return true;
    const path = expression.slice(2 + variable.length + 1);
    if (!path) return false;
    addPath(out, path);
    return true;
  }
  if (Array.isArray(expression)) return expression.every((item) => addExpressionFields(item, out));
  if (!isPlainObject(expression)) return true;
  for (const [key, value] of Object.entries(expression)) {
    if (key === '$literal') continue;
    // `{ $getField: 'name' }` reads a field of the current document by a plain name.
    if (key === '$getField') return false;
    if (!addExpressionFields(value, out)) return false;
  }
  return true;
}

/** Adds the fields a query filter reads; false when it reads the whole document. */
export function addFilterFields(filter: unknown, out: Set<string>): boolean {
  if (!isPlainObject(filter)) return false;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(value) || !value.every((part) => addFilterFields(part, out))) return false;
    } else if (key === '$expr') {
      if (!addExpressionFields(value, out)) return false;
    } else if (key === '$comment') {
      continue;
    } else if (key.startsWith('$')) {
      // $where, $text, $jsonSchema and the like: what they read is not spelled out.
      return false;
    } else {
      addPath(out, key);
    }
  }
  return true;
}

const isExcluded = (value: unknown) => value === 0 || value === false;

/** `{ a: { b: 0 } }`: a nested projection that excludes somewhere. */
function excludesInside(value: unknown): boolean {
  if (!isPlainObject(value) || Object.keys(value).some((key) => key.startsWith('$'))) return false;
  return Object.values(value).some((inner) => isExcluded(inner) || excludesInside(inner));
}

/** The fields an inclusion `$project` reads, or false for an exclusion one. */
function addProjectionFields(spec: unknown, out: Set<string>): boolean {
  if (!isPlainObject(spec)) return false;
  let includesId = true;
  let inclusion = false;
  for (const [key, value] of Object.entries(spec)) {
    const excluded = isExcluded(value);
    if (key === '_id') {
      if (excluded) includesId = false;
      else if (value === 1 || value === true) inclusion = true;
      else if (!addExpressionFields(value, out)) return false;
      else inclusion = true;
      continue;
    }
    if (excluded || excludesInside(value)) return false;
    inclusion = true;
    // A nested spec (`{ a: { b: 1 } }`) keeps parts of the field; an expression may read others.
    addPath(out, key);
    if (!addExpressionFields(value, out)) return false;
  }
  if (!inclusion) return false;
  if (includesId) out.add('_id');
  return true;
}

function addAccumulatorFields(spec: unknown, out: Set<string>): boolean {
  if (!isPlainObject(spec)) return false;
  return Object.values(spec).every((argument) => {
    // $top, $bottom and their N forms sort by plain field names.
    if (isPlainObject(argument) && isPlainObject(argument.sortBy)) {
      for (const key of Object.keys(argument.sortBy)) addPath(out, key);
    }
    return addExpressionFields(argument, out);
  });
}

/**
 * What each stage reads, and whether it ends the dependency (later stages read its output,
 * not the stored document). undefined: the stage's needs are not known here.
 */
function stageNeeds(name: string, spec: unknown, out: Set<string>): 'continue' | 'complete' | undefined {
  switch (name) {
    case '$match':
      return addFilterFields(spec, out) ? 'continue' : undefined;
    case '$sort':
      if (!isPlainObject(spec)) return undefined;
      for (const key of Object.keys(spec)) addPath(out, key);
      return 'continue';
    case '$limit':
    case '$skip':
    case '$unset':
      return 'continue';
    case '$unwind': {
      const path = typeof spec === 'string' ? spec : isPlainObject(spec) ? spec.path : undefined;
      if (typeof path !== 'string' || !path.startsWith('$')) return undefined;
      addPath(out, path.slice(1));
      return 'continue';
    }
    case '$addFields':
    case '$set':
      return addExpressionFields(spec, out) ? 'continue' : undefined;
    case '$project':
      return addProjectionFields(spec, out) ? 'complete' : undefined;
    case '$group': {
      if (!isPlainObject(spec) || !addExpressionFields(spec._id, out)) return undefined;
      for (const [field, accumulator] of Object.entries(spec)) {
        if (field !== '_id' && !addAccumulatorFields(accumulator, out)) return undefined;
      }
      return 'complete';
    }
    case '$count':
      return 'complete';
    case '$replaceRoot':
      return isPlainObject(spec) && addExpressionFields(spec.newRoot, out) ? 'complete' : undefined;
    case '$replaceWith':
      return addExpressionFields(spec, out) ? 'complete' : undefined;
    case '$sortByCount':
      return addExpressionFields(spec, out) ? 'complete' : undefined;
    case '$facet': {
      if (!isPlainObject(spec)) return undefined;
      for (const sub of Object.values(spec)) {
        const needs = Array.isArray(sub) ? pipelineDependencies(sub as Doc[]) : undefined;
        if (!needs) return undefined;
        for (const field of needs) out.add(field);
      }
      return 'complete';
    }
    default:
      return undefined;
  }
}

/** The top-level fields a pipeline reads from each input document; undefined: all of them. */
export function pipelineDependencies(pipeline: readonly Doc[]): Dependencies {
  const out = new Set<string>();
  for (const stage of pipeline) {
    const entries = isPlainObject(stage) ? Object.entries(stage) : [];
    if (entries.length !== 1) return undefined;
    const [name, spec] = entries[0]!;
    const needs = stageNeeds(name, spec, out);
    if (needs === undefined) return undefined;
    if (needs === 'complete') return out;
  }
  // The pipeline passes its input documents on: they go out whole.
  return undefined;
}
