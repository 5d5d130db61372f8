import { describe, expect, it } from 'vitest';
import {
  listensFor,
  listTimedTriggers,
  timedTriggerAnchorRange,
  timedTriggerFireAt,
  type TimedTrigger,
} from '../../flows/engine/timed-triggers.js';
import { defineFlows } from './flow-fixtures.js';

describe('timed triggers', () => {
  it('should list the timed events waitFor steps wait for, also in a switched-off flow', () => {
    const [on, off] = defineFlows([
      { id: 'on', triggers: [{ type: 'task.overdue' }], steps: [{ id: 'a', type: 'addTag', tags: ['x'] }] },
      {
        id: 'off',
        enabled: false,
        triggers: [{ type: 'appointment.upcoming', before: '1d' }],
        steps: [
          {
            id: 'w',
            type: 'waitFor',
            event: { type: 'noReply', waiting: 'client', after: '2h' },
            timeout: '1d',
            onTimeout: 'a',
          },
          { id: 'a', type: 'addTag', tags: ['x'] },
        ],
      },
    ]);
    expect(listTimedTriggers([on!, off!]).map((spec) => spec.key)).toEqual(['noReply:client+2h']);
    expect(listensFor([on!, off!], 'task.overdue')).toBe(true);
    expect(listensFor([on!, off!], 'appointment.upcoming')).toBe(false);
  });

  it('should give an anchor range that holds every anchor firing in the window', () => {
    const triggers: TimedTrigger[] = [
      { type: 'date', field: 'installment.dueAt', before: '3d', at: '10:00' },
      { type: 'date', field: 'deal.fields.next_contact_at', after: '1w', at: '23:30' },
      { type: 'appointment.upcoming', before: '2h' },
      { type: 'noReply', waiting: 'operator', after: '15m' },
    ];
    const from = new Date('2025-03-28T12:00:00Z');
    const to = new Date('2025-03-31T12:00:00Z');
    for (const trigger of triggers) {
      const range = timedTriggerAnchorRange(trigger, from, to);
      // Every hour over two months of anchors across the DST change of 30 March in Europe.
      for (
        let anchor = Date.parse('2025-03-01T00:00:00Z');
        anchor < Date.parse('2025-05-01T00:00:00Z');
        anchor += 3_600_000
      ) {
        const fireAt = timedTriggerFireAt(trigger, new Date(anchor), 'Europe/Berlin').getTime();
        if (fireAt > from.getTime() && fireAt <= to.getTime()) {
          expect(anchor).toBeGreaterThanOrEqual(range.from.getTime());
          expect(anchor).toBeLessThanOrEqual(range.to.getTime());
        }
      }
    }
  });
});
