import type { Document } from 'bson';
import { OpType } from 'mingo/core';
import { CommandError, ErrorCodes } from '../errors.js';
import { knowsOperator } from './mingo-options.js';
import { parseProjection } from './projection.js';
import { isPlainObject } from './key-encoding.js';
import { validateExpression, validateFilter } from './query-validation.js';

/**
 * Checks a pipeline stage by stage, as MongoDB parses it before running it: unknown stages,
 * expressions and accumulators, and the projection and filter mistakes find reports too. mingo
 * would report most of these only when a document reaches them, with its own messages.
 */

/** Accumulators mingo has that MongoDB allows only in `$setWindowFields`. */
const WINDOW_ONLY_ACCUMULATORS = new Set(['$covariancePop', '$covarianceSamp']);

function isGroupAccumulator(name: string): boolean {
  return knowsOperator(OpType.ACCUMULATOR, name) && !WINDOW_ONLY_ACCUMULATORS.has(name);
}

/** One `{field: {$accumulator: argument}}` of `$group` (AccumulationStatement::parseAccumulationStatement). */
function validateAccumulator(field: string, spec: unknown): void {
  const [operator, ...others] = isPlainObject(spec) ? Object.keys(spec) : [];
  if (!operator?.startsWith('$')) {
    throw new CommandError(ErrorCodes.Location40234, `The field '${field}' must be an accumulator object`);
  }
  if (others.length > 0) {
    throw new CommandError(ErrorCodes.Location40238, `The field '${field}' must specify one accumulator`);
  }
  if (!isGroupAccumulator(operator)) {
    throw new CommandError(ErrorCodes.Location15952, `unknown group operator '${operator}'`);
  }
  validateExpression((spec as Document)[operator]);
}

function validateGroup(spec: unknown): void {
  if (!isPlainObject(spec)) return;
  if (!('_id' in spec)) throw new CommandError(ErrorCodes.Location15955, 'a group specification must include an _id');
  for (const [field, value] of Object.entries(spec)) {
    if (field === '_id') validateExpression(value);
    else validateAccumulator(field, value);
  }
}

/** `$bucket` and `$bucketAuto`: an expression to group by, and accumulators as in `$group`. */
function validateBucket(spec: unknown): void {
  if (!isPlainObject(spec)) return;
  validateExpression(spec.groupBy);
  if (isPlainObject(spec.output)) {
    for (const [field, value] of Object.entries(spec.output)) validateAccumulator(field, value);
  }
}

function validateSubPipeline(pipeline: unknown): void {
  if (Array.isArray(pipeline)) validatePipeline(pipeline as Document[]);
}

const STAGE_CHECKS: Record<string, (spec: unknown) => void> = {
  $match: validateFilter,
  $project: (spec) => isPlainObject(spec) && parseProjection(spec, { find: false }),
  $addFields: validateExpression,
  $set: validateExpression,
  $group: validateGroup,
  $bucket: validateBucket,
  $bucketAuto: validateBucket,
  $replaceRoot: (spec) => isPlainObject(spec) && validateExpression(spec.newRoot),
  $replaceWith: validateExpression,
  $sortByCount: validateExpression,
  $redact: validateExpression,
  $facet: (spec) => isPlainObject(spec) && Object.values(spec).forEach(validateSubPipeline),
  $lookup: (spec) => {
    if (!isPlainObject(spec)) return;
    if (isPlainObject(spec.let)) Object.values(spec.let).forEach(validateExpression);
    validateSubPipeline(spec.pipeline);
  },
  $unionWith: (spec) => isPlainObject(spec) && validateSubPipeline(spec.pipeline),
};

/** Throws the error MongoDB reports for the first stage it cannot parse. */
export function validatePipeline(pipeline: Document[]): void {
  for (const stage of pipeline) {
    if (!isPlainObject(stage)) continue;
    const [name] = Object.keys(stage);
    if (name === undefined) continue;
    if (!knowsOperator(OpType.PIPELINE, name)) {
      throw new CommandError(ErrorCodes.Location40324, `Unrecognized pipeline stage name: '${name}'`);
    }
    STAGE_CHECKS[name]?.(stage[name]);
  }
}
