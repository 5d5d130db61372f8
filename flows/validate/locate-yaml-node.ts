import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

export type IssuePath = readonly PropertyKey[];

export interface YamlLocation {
  line: number;
  column: number;
}

/**
 * The position of the node at `path`: the value itself when present, otherwise the closest
 * existing ancestor (a missing key is reported where its map starts). With `key`, the position of
 * that key inside the map at `path` (for unknown keys).
 */
export function locateYamlNode(doc: Document, lineCounter: LineCounter, path: IssuePath, key?: string): YamlLocation {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    const child = childOf(node, segment);
    if (!child) break;
    node = child.value ?? child.key;
    offset = rangeStart(child.value) ?? rangeStart(child.key) ?? offset;
  }
  if (key !== undefined) {
    const pair = isMap(node) ? node.items.find((item) => isPair(item) && keyText(item.key) === key) : undefined;
    offset = rangeStart(pair?.key) ?? offset;
  }
  const position = lineCounter.linePos(offset);
  return { line: position.line, column: position.col };
}

function childOf(node: unknown, segment: PropertyKey): { key?: unknown; value?: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => keyText(item.key) === String(segment));
    return pair ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}
