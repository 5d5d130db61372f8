import { describe, expect, it } from 'vitest';
import { addAmount, formatAmounts, formatMoney } from '../../inbox/src/lib/crm/amounts.js';
import {
  appendPage,
  applyDeal,
  emptyBoard,
  matchesFilter,
  moveCard,
  placeOf,
  rollback,
  withTotals,
  type Board,
} from '../../inbox/src/lib/crm/board.js';
import type { Deal, Stage } from '../../inbox/src/lib/crm/deal-views.js';
import { stageAge } from '../../inbox/src/lib/crm/stage-age.js';

const PIPELINE = 'a'.repeat(24);
const ME = 'e'.repeat(24);
const COLLEAGUE = 'f'.repeat(24);
const STAGES: Stage[] = [
  { id: 'offer', name: 'Предложение', kind: 'open', order: 1 },
  { id: 'first', name: 'Первичный контакт', kind: 'open', order: 0 },
  { id: 'won', name: 'Успешно', kind: 'won', order: 2 },
  { id: 'lost', name: 'Отказ', kind: 'lost', order: 3 },
];

let counter = 0;
function deal(extra: Partial<Deal> = {}): Deal {
  counter += 1;
  return {
    id: String(counter).padStart(24, '0'),
    title: `Окна ${counter}`,
    pipelineId: PIPELINE,
    stageId: 'first',
    amount: 100_000,
    currency: 'RUB',
    ownerId: ME,
    status: 'open',
    stageHistory: [{ pipelineId: PIPELINE, stageId: 'first', enteredAt: '2026-11-20T10:00:00.000Z' }],
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...extra,
  };
}

/** A board whose two open columns hold the given deals, with totals that count exactly them. */
function boardOf(first: Deal[], offer: Deal[] = []): Board {
  const sum = (deals: Deal[]) =>
    deals.length ? [{ currency: 'RUB', amount: deals.reduce((a, d) => a + d.amount, 0) }] : [];
  let board = withTotals(emptyBoard(STAGES), [
    { stageId: 'first', count: first.length, amounts: sum(first) },
    { stageId: 'offer', count: offer.length, amounts: sum(offer) },
  ]);
  board = appendPage(board, 'first', { items: first });
  return appendPage(board, 'offer', { items: offer });
}

const column = (board: Board, stageId: string) => board.find((candidate) => candidate.stage.id === stageId)!;
const ids = (board: Board, stageId: string) => column(board, stageId).deals.map((item) => item.id);

describe('the deals board', () => {
  it('should lay out the stages in pipeline order with the server totals, a missing stage holding nothing', () => {
    const board = withTotals(emptyBoard(STAGES), [
      { stageId: 'offer', count: 310, amounts: [{ currency: 'RUB', amount: 5e7 }] },
    ]);
    expect(board.map((item) => item.stage.id)).toEqual(['first', 'offer', 'won', 'lost']);
    expect(column(board, 'offer')).toMatchObject({
      count: 310,
      amounts: [{ currency: 'RUB', amount: 5e7 }],
      state: 'idle',
    });
    expect(column(board, 'first')).toMatchObject({ count: 0, amounts: [] });
  });

  it('should append pages below the loaded deals, keeping the cursor of the next one and never repeating a deal', () => {
    const [a, b, c] = [deal(), deal(), deal()];
    let board = appendPage(emptyBoard(STAGES), 'first', { items: [a, b], nextCursor: 'next' });
    expect(column(board, 'first')).toMatchObject({ state: 'ready', cursor: 'next' });
    board = appendPage(board, 'first', { items: [b, c] });
    expect(ids(board, 'first')).toEqual([a.id, b.id, c.id]);
    expect(column(board, 'first').cursor).toBeUndefined();
  });

  it('should move a card optimistically with both columns’ counts and sums, and roll it back where it was', () => {
    const [a, b, c] = [deal({ amount: 150_000.5 }), deal(), deal()];
    const before = boardOf([a, b], [c]);
    const place = placeOf(before, b.id)!;
    const moved = moveCard(before, b.id, 'offer');
    expect(ids(moved, 'first')).toEqual([a.id]);
    expect(ids(moved, 'offer')).toEqual([b.id, c.id]);
    expect(column(moved, 'offer').deals[0]).toMatchObject({ stageId: 'offer', status: 'open' });
    expect(column(moved, 'first')).toMatchObject({ count: 1, amounts: [{ currency: 'RUB', amount: 150_000.5 }] });
    expect(column(moved, 'offer')).toMatchObject({ count: 2, amounts: [{ currency: 'RUB', amount: 200_000 }] });

    const undone = rollback(moved, place);
    expect(ids(undone, 'first')).toEqual([a.id, b.id]);
    expect(undone.map(({ count, amounts }) => ({ count, amounts }))).toEqual(
      before.map(({ count, amounts }) => ({ count, amounts })),
    );
  });

  it('should close a deal into the won or lost stage with its status, leaving the open columns', () => {
    const a = deal();
    const lost = moveCard(boardOf([a]), a.id, 'lost');
    expect(ids(lost, 'first')).toEqual([]);
    expect(column(lost, 'lost')).toMatchObject({ count: 1, amounts: [{ currency: 'RUB', amount: 100_000 }] });
    expect(column(lost, 'lost').deals[0]!.status).toBe('lost');
    expect(moveCard(lost, 'unknown', 'first')).toBe(lost);
  });

  it('should follow pushed deals: a move, a new deal on top, a change in place, one leaving the filter', () => {
    const [a, b] = [deal({ contactName: 'Ирина', nextTask: { title: 'Позвонить' } }), deal()];
    let board = boardOf([a, b]);
    board = applyDeal(board, { ...a, stageId: 'offer', amount: 120_000 }, PIPELINE, {});
    expect(ids(board, 'offer')).toEqual([a.id]);
    // Pushes carry no contact name nor next task: the list's are kept.
    expect(column(board, 'offer').deals[0]).toMatchObject({
      contactName: 'Ирина',
      nextTask: { title: 'Позвонить' },
      amount: 120_000,
    });
    expect(column(board, 'offer').amounts).toEqual([{ currency: 'RUB', amount: 120_000 }]);

    const fresh = deal();
    board = applyDeal(board, fresh, PIPELINE, {});
    expect(ids(board, 'first')).toEqual([fresh.id, b.id]);
    board = applyDeal(board, { ...b, title: 'Окна в баню' }, PIPELINE, {});
    expect(ids(board, 'first')).toEqual([fresh.id, b.id]);

    board = applyDeal(board, { ...b, ownerId: COLLEAGUE }, PIPELINE, { ownerId: ME });
    expect(ids(board, 'first')).toEqual([fresh.id]);
    expect(column(board, 'first').count).toBe(1);
    expect(applyDeal(board, deal({ pipelineId: 'b'.repeat(24) }), PIPELINE, {})).toEqual(board);
  });

  it('should match the owner and the words of the title, whatever their case', () => {
    const item = deal({ title: 'Окна ПВХ в коттедж' });
    expect(matchesFilter(item, PIPELINE, { ownerId: ME, q: 'пвх' })).toBe(true);
    expect(matchesFilter(item, PIPELINE, { ownerId: COLLEAGUE })).toBe(false);
    expect(matchesFilter(item, PIPELINE, { q: 'баня' })).toBe(false);
    expect(matchesFilter(item, 'b'.repeat(24), {})).toBe(false);
  });
});

describe('deal amounts', () => {
  it('should add per currency to the kopeck and drop a currency that comes to nothing', () => {
    expect(addAmount([{ currency: 'RUB', amount: 0.1 }], 'RUB', 0.2)).toEqual([{ currency: 'RUB', amount: 0.3 }]);
    expect(addAmount([{ currency: 'RUB', amount: 10 }], 'USD', 5)).toEqual([
      { currency: 'RUB', amount: 10 },
      { currency: 'USD', amount: 5 },
    ]);
    expect(addAmount([{ currency: 'RUB', amount: 10 }], 'RUB', -10)).toEqual([]);
  });

  it('should format roubles with Intl in both languages', () => {
    const nbsp = /[\u00a0\u202f]/g;
    expect(formatMoney(1_250_000, 'RUB', 'ru').replace(nbsp, ' ')).toBe('1 250 000 ₽');
    expect(formatMoney(185_000.5, 'RUB', 'ru').replace(nbsp, ' ')).toBe('185 000,50 ₽');
    expect(formatMoney(1_250_000, 'RUB', 'en')).toBe('₽1,250,000');
    expect(formatAmounts([], 'ru').replace(nbsp, ' ')).toBe('0 ₽');
    expect(
      formatAmounts(
        [
          { currency: 'RUB', amount: 5 },
          { currency: 'USD', amount: 3 },
        ],
        'en',
      ),
    ).toBe('₽5 + $3');
  });

  it('should tell how long a deal has been in its stage', () => {
    const item = deal({
      stageHistory: [
        {
          pipelineId: PIPELINE,
          stageId: 'first',
          enteredAt: '2026-11-01T10:00:00.000Z',
          leftAt: '2026-11-20T10:00:00.000Z',
        },
        { pipelineId: PIPELINE, stageId: 'offer', enteredAt: '2026-11-20T10:00:00.000Z' },
      ],
    });
    expect(stageAge(item, new Date('2026-11-23T11:00:00.000Z'), 'en')).toBe('3 days');
    expect(stageAge(item, new Date('2026-11-20T15:30:00.000Z'), 'en')).toBe('5 hr');
  });
});
