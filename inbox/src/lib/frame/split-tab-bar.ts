/**
 * The phone's bottom tab bar holds at most `slots` tabs (five fit 360 px with their labels):
 * with more sections the last slot becomes "More", which lists the rest.
 */
export function splitTabBar<T>(sections: readonly T[], slots = 5): { tabs: T[]; more: T[] } {
  if (sections.length <= slots) return { tabs: [...sections], more: [] };
  return { tabs: sections.slice(0, slots - 1), more: sections.slice(slots - 1) };
}
