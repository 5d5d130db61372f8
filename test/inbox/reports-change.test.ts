import { describe, expect, it } from 'vitest';
import { figureChange, lowerIsBetter } from '../../inbox/src/lib/reports/figure-change.js';

const NBSP = '\u00a0';

describe('headline change', () => {
  it('should show growth with an up arrow and a relative percent', () => {
    // 100 leads before, 112 now: +12 %.
    expect(figureChange({ key: 'leads', unit: 'count', value: 112, previous: 100 }, 'ru', 'п. п.')).toEqual({
      direction: 'up',
      text: `▲ 12${NBSP}%`,
      tone: 'good',
    });
    expect(figureChange({ key: 'revenue', unit: 'money', value: 75, previous: 100 }, 'en', 'pp')).toEqual({
      direction: 'down',
      text: '▼ 25%',
      tone: 'bad',
    });
  });

  it('should call a shorter response time good news', () => {
    // 7 min before, 5 min now: −28.6 %, shown whole above 10 %.
    const change = figureChange({ key: 'firstResponse', unit: 'seconds', value: 300, previous: 420 }, 'en', 'pp');
    expect(change).toEqual({ direction: 'down', text: '▼ 29%', tone: 'good' });
    expect(lowerIsBetter({ key: 'lost', unit: 'count' })).toBe(true);
    expect(lowerIsBetter({ key: 'won', unit: 'count' })).toBe(false);
  });

  it('should compare percents in percentage points', () => {
    // A conversion from 20 % to 25 % is 5 points up, not 25 % up.
    expect(figureChange({ key: 'conversion', unit: 'percent', value: 25, previous: 20 }, 'ru', 'п. п.')?.text).toBe(
      '▲ 5 п. п.',
    );
    expect(figureChange({ key: 'withinSla', unit: 'percent', value: 80.5, previous: 82 }, 'en', 'pp')?.text).toBe(
      '▼ 1.5 pp',
    );
  });

  it('should show a small change with one decimal, no change as equal, nothing to compare as nothing', () => {
    expect(figureChange({ key: 'deals', unit: 'count', value: 103, previous: 100 }, 'en', 'pp')?.text).toBe('▲ 3%');
    expect(figureChange({ key: 'deals', unit: 'count', value: 101.5, previous: 100 }, 'ru', 'п. п.')?.text).toBe(
      `▲ 1,5${NBSP}%`,
    );
    expect(figureChange({ key: 'deals', unit: 'count', value: 7, previous: 7 }, 'en', 'pp')).toEqual({
      direction: 'flat',
      text: '= 0',
      tone: 'neutral',
    });
    expect(figureChange({ key: 'deals', unit: 'count', value: 5, previous: 0 }, 'en', 'pp')?.text).toBe('▲');
    expect(figureChange({ key: 'deals', unit: 'count', value: 5, previous: null }, 'en', 'pp')).toBeUndefined();
  });
});
