/** Makes user-typed search text match literally inside a RegExp (no ReDoS, no surprise wildcards). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
