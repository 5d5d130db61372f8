import type { Locator } from 'playwright-core';

/**
 * What a person would find wrong with how `names` are drawn inside `scope` (empty when nothing):
 * - a word broken across two lines although it is narrower than the scope's box (only a word that
 *   fits on no line of it, like a long e-mail address, may break; a heading squeezed beside a button
 *   must make room for its words rather than break them);
 * - text running out of its own box or out of the scope's;
 * - a name cut with an ellipsis whose whole text is in no title.
 * Each name is looked for in the text nodes of the scope, wherever it is drawn.
 */
export function nameLayoutProblems(scope: Locator, names: readonly string[]): Promise<string[]> {
  return scope.evaluate((root, wanted: readonly string[]) => {
    const document = root.ownerDocument;
    const view = document.defaultView;
    const problems: string[] = [];
    const box = root.getBoundingClientRect();
    const right = Math.min(box.right, document.documentElement.clientWidth);
    const rootStyle = view.getComputedStyle(root);
    const widest = root.clientWidth - parseFloat(rootStyle.paddingLeft) - parseFloat(rootStyle.paddingRight);
    // Half a pixel either way: subpixel layout rounds edges that merely touch.
    const outside = (rect: { left: number; right: number }) => rect.left < box.left - 0.5 || rect.right > right + 0.5;
    const describe = (element: { tagName: string; classList: Iterable<string> }) =>
      [element.tagName.toLowerCase(), ...[...element.classList].filter((name) => !name.startsWith('svelte-'))].join(
        '.',
      );
    // Where the browser may end a line without breaking a word: at a space or after a hyphen.
    const breaksAfter = (character: string | undefined) => character === undefined || /[\s-]/.test(character);
    const range = document.createRange();
    const charBox = (node: unknown, index: number) => {
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      return range.getClientRects()[0];
    };

    function checkName(node: { data: string; parentElement: typeof root }, name: string, start: number): void {
      const element = node.parentElement;
      const own = element.getBoundingClientRect();
      // Not drawn, or drawn for screen readers only (a 1 px clipped box).
      if (own.width <= 1 || own.height <= 1) return;
      const where = `"${name}" in ${describe(element)}`;
      let cutter = element;
      while (cutter !== root && view.getComputedStyle(cutter).textOverflow !== 'ellipsis')
        cutter = cutter.parentElement;
      if (view.getComputedStyle(cutter).textOverflow === 'ellipsis' && cutter.scrollWidth > cutter.clientWidth) {
        if (!element.closest('[title]')?.getAttribute('title')?.includes(name)) {
          problems.push(`${where} is cut with an ellipsis and no title holds it whole`);
        }
        if (outside(cutter.getBoundingClientRect())) problems.push(`${where} sticks out of ${describe(root)}`);
        return;
      }
      let lineBox = element;
      while (view.getComputedStyle(lineBox).display === 'inline' && lineBox !== root) lineBox = lineBox.parentElement;
      if (lineBox.scrollWidth > lineBox.clientWidth + 0.5) problems.push(`${where} runs out of ${describe(lineBox)}`);
      const text = node.data;
      const drawn: { index: number; top: number; bottom: number; width: number }[] = [];
      for (let index = start; index < start + name.length; index += 1) {
        if (/\s/.test(text[index] ?? '')) continue;
        const rect = charBox(node, index);
        if (!rect) continue;
        if (outside(rect)) {
          problems.push(`${where} sticks out of ${describe(root)}`);
          return;
        }
        drawn.push({ index, top: rect.top, bottom: rect.bottom, width: rect.width });
      }
      for (const [position, next] of drawn.entries()) {
        const previous = drawn[position - 1];
        if (!previous || next.top < previous.bottom - 1) continue;
        if (/\s/.test(text.slice(previous.index, next.index)) || breaksAfter(text[previous.index])) continue;
        // The piece between break opportunities that the line break fell inside.
        let first = previous.index;
        while (first > start && !breaksAfter(text[first - 1])) first -= 1;
        let last = next.index;
        while (last < start + name.length - 1 && !breaksAfter(text[last]) && !/\s/.test(text[last + 1] ?? ' ')) {
          last += 1;
        }
        const pieceWidth = drawn
          .filter(({ index }) => index >= first && index <= last)
          .reduce((sum, { width }) => sum + width, 0);
        if (pieceWidth <= widest) {
          const piece = text.slice(first, last + 1);
          problems.push(
            `${where} breaks inside "${piece}" (${Math.round(pieceWidth)} px, the box ${Math.round(widest)} px)`,
          );
        }
      }
    }

    if (root.scrollWidth > root.clientWidth + 0.5) problems.push(`${describe(root)} scrolls sideways`);
    const walker = document.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const name of wanted) {
        const start = node.data.indexOf(name);
        if (start !== -1) checkName(node, name, start);
      }
    }
    return problems;
  }, names);
}
