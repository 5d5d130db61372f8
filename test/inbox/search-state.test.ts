import { describe, expect, it } from 'vitest';
import { aroundFirstMatch, highlightMatches } from '../../inbox/src/lib/search/highlight-matches.js';
import { searchQuery, searchStateFromItem, searchStateToItem } from '../../inbox/src/lib/search/search-state.js';

describe('search state in the hash', () => {
  it('should survive the round trip through a shared link, words and filters alike', () => {
    const state = {
      q: 'окна «в рассрочку»',
      channel: 'telegram',
      stage: 'p1:proposal-sent',
      from: '2026-11-01',
      open: 'c1',
    };
    expect(searchStateFromItem(searchStateToItem(state))).toEqual(state);
  });

  it('should leave empty fields out of the link and drop malformed days', () => {
    expect(searchStateToItem({ q: ' ', channel: '' })).toBeUndefined();
    expect(searchStateFromItem('q=x&from=yesterday&to=2026-11-30&bogus=1')).toEqual({ q: 'x', to: '2026-11-30' });
    expect(searchStateFromItem(undefined)).toEqual({ q: '' });
  });

  it('should ask the API only when there are words, with the stage split and whole days', () => {
    expect(searchQuery({ q: '  ' })).toBeUndefined();
    const query = searchQuery({
      q: 'окна',
      stage: 'p1:proposal-sent',
      assignee: 'unassigned',
      from: '2026-11-01',
      to: '2026-11-02',
    })!;
    expect(query.get('q')).toBe('окна');
    expect(query.get('pipelineId')).toBe('p1');
    expect(query.get('stageId')).toBe('proposal-sent');
    expect(query.get('assignee')).toBe('unassigned');
    expect(new Date(query.get('from')!).getTime()).toBe(new Date('2026-11-01T00:00:00').getTime());
    expect(new Date(query.get('to')!).getTime()).toBe(new Date('2026-11-02T23:59:59.999').getTime());
  });
});

describe('highlightMatches', () => {
  const marked = (text: string, query: string) =>
    highlightMatches(text, query)
      .filter((part) => part.match)
      .map((part) => part.text);

  it('should mark the found words in any form, as the stemmed search finds them', () => {
    expect(marked('Нужны окна на кухню', 'окно')).toEqual(['окна']);
    expect(marked('Сколько стоит установка окна?', 'установку окно')).toEqual(['установка', 'окна']);
    expect(marked('Windows and WINDOW frames', 'window')).toEqual(['Windows', 'WINDOW']);
  });

  it('should keep the whole text and not mark excluded words', () => {
    const parts = highlightMatches('окна без рассрочки', 'окна -рассрочки');
    expect(parts.map((part) => part.text).join('')).toBe('окна без рассрочки');
    expect(parts.filter((part) => part.match).map((part) => part.text)).toEqual(['окна']);
    expect(highlightMatches('text', '  ')).toEqual([{ text: 'text', match: false }]);
  });

  it('should cut a long beginning so the first match shows', () => {
    const parts = aroundFirstMatch(highlightMatches(`${'слово '.repeat(40)}ламинат`, 'ламинат'), 20);
    expect(parts[0]!.text.startsWith('…')).toBe(true);
    expect(parts[0]!.text.length).toBe(21);
    expect(parts[1]).toEqual({ text: 'ламинат', match: true });
  });
});
