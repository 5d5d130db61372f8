/**
 * MongoDB's error codes, as the server reports them (src/mongo/base/error_codes.yml).
 * Drivers and mongoose branch on `code` / `codeName`, so we reuse MongoDB's numbers exactly.
 */
export const ErrorCodes = {
  InternalError: 1,
  Unauthorized: 13,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidBSON: 22,
  IllegalOperation: 20,
  PathNotViable: 28,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidIdField: 53,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  InvalidIndexSpecificationOption: 197,
  IndexKeySpecsConflict: 86,
  ConflictingUpdateOperators: 40,
  CannotIndexParallelArrays: 171,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
  InvalidPipelineOperator: 168,
  Location40324: 40324,
  Location40415: 40415,
  // Parse errors of queries, projections and pipelines, which MongoDB names by their location.
  Location15952: 15952, // unknown group operator
  Location15955: 15955, // $group without _id
  Location31252: 31252, // expression in an exclusion projection
  Location31253: 31253, // inclusion in an exclusion projection
  Location31254: 31254, // exclusion in an inclusion projection
  Location31275: 31275, // $elemMatch projection on a nested field
  Location31310: 31310, // literal in an exclusion projection
  Location31325: 31325, // unknown expression in a projection
  Location40234: 40234, // $group field that is not an accumulator object
  Location40238: 40238, // $group field with several accumulators
  Location51091: 51091, // invalid regular expression
  Location51108: 51108, // invalid regular expression flag
  NotImplemented: 238,
  IllegalOpMsgFlag: 223,
  ChecksumMismatch: 282,
} as const;

const codeNames = new Map<number, string>(Object.entries(ErrorCodes).map(([name, code]) => [code, name]));

export function codeNameOf(code: number): string {
  const name = codeNames.get(code);
  return name && !name.startsWith('Location') ? name : `Location${code}`;
}

/** A command failure reported to the client as `{ ok: 0, errmsg, code, codeName }`. */
export class CommandError extends Error {
  readonly code: number;
  readonly extra: Record<string, unknown>;

  constructor(code: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.extra = extra;
  }

  toReply(): Record<string, unknown> {
    const codeName = codeNameOf(this.code);
    // MongoDB's 'LocationNNNN' codes carry no codeName in the reply.
    return {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      ...(codeName.startsWith('Location') ? {} : { codeName }),
      ...this.extra,
    };
  }
}

/** A per-document write failure inside an insert/update/delete batch (`writeErrors[]`). */
export class WriteError extends CommandError {
  constructor(code: number, message: string, extra: Record<string, unknown> = {}) {
    super(code, message, extra);
    this.name = 'WriteError';
  }
}

export function typeMismatch(field: string, actual: unknown, expected: string): CommandError {
  return new CommandError(
    ErrorCodes.TypeMismatch,
    `BSON field '${field}' is the wrong type '${bsonTypeName(actual)}', expected type '${expected}'`,
  );
}

export function bsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  const tag = (value as { _bsontype?: string })._bsontype;
  if (tag === 'ObjectId') return 'objectId';
  if (tag === 'Long') return 'long';
  if (tag === 'Decimal128') return 'decimal';
  if (tag === 'Binary') return 'binData';
  if (tag === 'Timestamp') return 'timestamp';
  return 'object';
}
