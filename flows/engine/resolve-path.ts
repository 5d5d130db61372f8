/** The values a flow reads, by root: contact, deal, conversation, …, vars, event, system. */
export type Scope = Readonly<Record<string, unknown>>;

/** The value at a dotted path such as `deal.fields.region`; undefined when any part is missing. */
export function resolvePath(scope: Scope, path: string): unknown {
  let current: unknown = scope;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = Reflect.get(current, segment);
  }
  return current;
}

/** A copy of `target` with the value at `segments` replaced (objects on the way are copied, not mutated). */
export function withValueAt(
  target: Record<string, unknown>,
  segments: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = segments;
  if (head === undefined) return target;
  if (rest.length === 0) return { ...target, [head]: value };
  const child = target[head];
  const childRecord = child !== null && typeof child === 'object' && !Array.isArray(child) ? { ...child } : {};
  return { ...target, [head]: withValueAt(childRecord, rest, value) };
}

/** Whether a value counts as filled in: not missing, not null, not an empty text or list. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
