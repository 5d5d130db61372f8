import type { Page } from 'playwright-core';

/**
 * Drags a deal's card on the Deals board onto a stage's column (or the won / lost zone) with the
 * real mouse, the way a person does: press on the card, move in steps, release over the column.
 * The board must be open and the card loaded. Resolves once the card sits in that column, unless
 * the stage asks for more first (a lost reason) or `settle` is false.
 */
export async function dragDealToStage(
  page: Page,
  dealId: string,
  stageId: string,
  options: { settle?: boolean } = {},
): Promise<void> {
  const card = page.locator(`[data-deal="${dealId}"]`).first();
  const target = page.locator(`[data-stage="${stageId}"]`).first();
  await card.scrollIntoViewIfNeeded();
  const from = await card.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error(`The card of deal ${dealId} or the stage ${stageId} is not on screen`);
  // The card's top part: its bottom holds the stage menu, which takes the press itself.
  await page.mouse.move(from.x + from.width / 2, from.y + 12);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + 20, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 80), { steps: 12 });
  await page.mouse.up();
  if (options.settle === false) return;
  await target.locator(`[data-deal="${dealId}"]`).waitFor();
}
