/**
 * Checks for what the server sends, instead of zod: zod/mini alone is about 6.5 KB gzip, a fifth of
 * the widget's 30 KB budget. `shape<T>` demands a check for every field of T, so the guards are
 * typed against the zod-inferred types of the protocol and cannot silently drift from them.
 */
export type Guard<T> = (value: unknown) => value is T;

export const isString: Guard<string> = (value): value is string => typeof value === 'string';
export const isBoolean: Guard<boolean> = (value): value is boolean => typeof value === 'boolean';
export const isNumber: Guard<number> = (value): value is number => typeof value === 'number' && Number.isFinite(value);

export function literal<const T extends string | boolean>(expected: T): Guard<T> {
  return (value): value is T => value === expected;
}

export function oneOf<const T extends string>(values: readonly T[]): Guard<T> {
  return (value): value is T => values.some((allowed) => allowed === value);
}

export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (value): value is T | undefined => value === undefined || guard(value);
}

export function arrayOf<T>(guard: Guard<T>): Guard<T[]> {
  return (value): value is T[] => Array.isArray(value) && value.every(guard);
}

export function recordOf<T>(guard: Guard<T>): Guard<Record<string, T>> {
  return (value): value is Record<string, T> =>
    typeof value === 'object' && value !== null && Object.values(value).every(guard);
}

export function shape<T>(fields: { [Key in keyof T]-?: Guard<T[Key]> }): Guard<T> {
  return (value): value is T =>
    typeof value === 'object' &&
    value !== null &&
    Object.entries<Guard<unknown>>(fields).every(([key, guard]) => guard(Reflect.get(value, key)));
}

export function either<A, B>(first: Guard<A>, second: Guard<B>): Guard<A | B> {
  return (value): value is A | B => first(value) || second(value);
}
