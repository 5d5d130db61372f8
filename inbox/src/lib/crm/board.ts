import { addAmount } from './amounts.js';
import type { Amount, Deal, Stage, StageTotal } from './deal-views.js';

/** One stage of a pipeline's board: the deals loaded so far (newest first) and the stage's true totals. */
export interface Column {
  stage: Stage;
  deals: Deal[];
  /** Where the next page starts; absent when every deal of the stage is loaded. */
  cursor?: string;
  state: 'idle' | 'loading' | 'ready' | 'failed';
  count: number;
  amounts: Amount[];
}

export type Board = Column[];

/** What the board shows: the owner ("mine") and words of the title. */
export interface BoardFilter {
  ownerId?: string;
  q?: string;
}

/** Where a deal sits on the board, to put it back when the server refuses a move. */
export interface Place {
  deal: Deal;
  stageId: string;
  index: number;
}

export function emptyBoard(stages: readonly Stage[]): Board {
  return [...stages]
    .sort((a, b) => a.order - b.order)
    .map((stage) => ({ stage, deals: [], state: 'idle', count: 0, amounts: [] }));
}

/** The server's counts and sums per stage; a stage it does not mention holds nothing. */
export function withTotals(board: Board, totals: readonly StageTotal[]): Board {
  return board.map((column) => {
    const total = totals.find((entry) => entry.stageId === column.stage.id);
    return { ...column, count: total?.count ?? 0, amounts: total?.amounts ?? [] };
  });
}

/** A page of a column's deals added below those loaded (a deal moved in meanwhile is not repeated). */
export function appendPage(board: Board, stageId: string, page: { items: Deal[]; nextCursor?: string }): Board {
  return board.map((column) => {
    if (column.stage.id !== stageId) return column;
    const known = new Set(column.deals.map((deal) => deal.id));
    const deals = [...column.deals, ...page.items.filter((deal) => !known.has(deal.id))];
    return { ...column, deals, state: 'ready', cursor: page.nextCursor };
  });
}

export function placeOf(board: Board, dealId: string): Place | undefined {
  for (const column of board) {
    const index = column.deals.findIndex((deal) => deal.id === dealId);
    if (index >= 0) return { deal: column.deals[index]!, stageId: column.stage.id, index };
  }
  return undefined;
}

function without(column: Column, deal: Deal): Column {
  return {
    ...column,
    deals: column.deals.filter((candidate) => candidate.id !== deal.id),
    count: Math.max(0, column.count - 1),
    amounts: addAmount(column.amounts, deal.currency, -deal.amount),
  };
}

function withDeal(column: Column, deal: Deal, index: number): Column {
  const deals = [...column.deals];
  deals.splice(Math.min(index, deals.length), 0, deal);
  return { ...column, deals, count: column.count + 1, amounts: addAmount(column.amounts, deal.currency, deal.amount) };
}

/**
 * The deal (as `deal`, e.g. the server's newer copy or the optimistic one) taken out of wherever it
 * is and put into its stage's column at `index` (the top by default), the totals of both following.
 */
export function putDeal(board: Board, deal: Deal, index = 0): Board {
  const from = placeOf(board, deal.id);
  return board.map((column) => {
    let next = column;
    if (from && column.stage.id === from.stageId) next = without(next, from.deal);
    if (column.stage.id === deal.stageId) next = withDeal(next, deal, index);
    return next;
  });
}

/** The optimistic move of a drag: the card in its new column at once, before the server answers. */
export function moveCard(board: Board, dealId: string, stageId: string): Board {
  const place = placeOf(board, dealId);
  const target = board.find((column) => column.stage.id === stageId);
  if (!place || !target || place.stageId === stageId) return board;
  return putDeal(board, { ...place.deal, stageId, status: target.stage.kind });
}

/** The server refused a move: the deal goes back where it was, as it was. */
export function rollback(board: Board, place: Place): Board {
  return putDeal(board, place.deal, place.index);
}

export function matchesFilter(deal: Deal, pipelineId: string, filter: BoardFilter): boolean {
  if (deal.pipelineId !== pipelineId) return false;
  if (filter.ownerId && deal.ownerId !== filter.ownerId) return false;
  const words = filter.q?.trim().toLocaleLowerCase();
  return !words || deal.title.toLocaleLowerCase().includes(words);
}

/**
 * A deal pushed by the server (created, moved, changed, handed to someone): its card follows it,
 * or leaves the board when it no longer fits the pipeline or the filter. The list's contact name
 * and next task are kept, as pushes do not carry them.
 */
export function applyDeal(board: Board, deal: Deal, pipelineId: string, filter: BoardFilter): Board {
  const place = placeOf(board, deal.id);
  const contactName = deal.contactName ?? place?.deal.contactName;
  const nextTask = deal.nextTask ?? place?.deal.nextTask;
  const fresh: Deal = { ...deal, ...(contactName ? { contactName } : {}), ...(nextTask ? { nextTask } : {}) };
  if (!matchesFilter(fresh, pipelineId, filter)) {
    return place
      ? board.map((column) => (column.stage.id === place.stageId ? without(column, place.deal) : column))
      : board;
  }
  return putDeal(board, fresh, place?.stageId === fresh.stageId ? place.index : 0);
}
