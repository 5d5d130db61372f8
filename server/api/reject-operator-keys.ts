/**
 * Finds a key starting with '$' (or containing a dot) anywhere in a parsed JSON body or query:
 * such keys would be MongoDB operators or paths if they ever reached a query.
 */
export function findOperatorKey(value: unknown, path: string[] = [], depth = 0): string | undefined {
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findOperatorKey(value[i], [...path, String(i)], depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$') || key.includes('.') || key === '__proto__') return [...path, key].join('/');
    const found = findOperatorKey(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}
