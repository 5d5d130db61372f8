import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectSchema, type Effect, type EffectOf, type EffectType } from '../../flows/engine/effect-schema.js';
import type { DomainFlowEvent } from '../../flows/engine/flow-event-schema.js';
import { runStateSchema } from '../../flows/engine/run-state-schema.js';
import { startRun, step, type StepResult } from '../../flows/engine/step.js';
import { simulate } from '../../flows/simulate/simulate.js';
import { simulationSchema } from '../../flows/simulate/simulation-schema.js';
import { parseFlowFile } from '../../flows/validate/parse-flow-file.js';
import { defineFlow, FakeClock, manual, message, SUBJECT } from '../flows/flow-fixtures.js';

function of<T extends EffectType>(effects: readonly Effect[], type: T): EffectOf<T>[] {
  return effects.filter((effect): effect is EffectOf<T> => effect.type === type);
}

function valid(result: StepResult): StepResult {
  runStateSchema.parse(result.state);
  for (const effect of result.effects) effectSchema.parse(effect);
  return result;
}

const booking = defineFlow({
  steps: [
    {
      id: 'book',
      type: 'book',
      with: { type: 'team', team: 'measurers' },
      title: { ru: 'Бесплатный замер', en: 'Free measurement' },
      kind: 'measurement',
      format: 'visit',
      duration: '1h30m',
      offerDays: 2,
      text: { ru: 'Выберите время', en: 'Pick a time' },
      saveTo: 'deal.fields.measure_at',
      timeout: '1d',
      onTimeout: 'call',
      onNoSlots: 'call',
    },
    { id: 'thanks', type: 'send', text: { ru: 'Ждём вас {{appointment.startsAt | datetime}}' }, next: 'done' },
    { id: 'call', type: 'createTask', title: { ru: 'Позвонить клиенту' }, kind: 'call' },
    { id: 'done', type: 'end' },
  ],
});

const booked = (stepId = 'book'): DomainFlowEvent => ({
  type: 'appointment.booked',
  subject: SUBJECT,
  stepId,
  appointment: { id: 'a1', title: 'Бесплатный замер', startsAt: '2025-03-04T07:00:00.000Z', status: 'planned' },
});

describe('book step (engine)', () => {
  const clock = new FakeClock('2025-03-03T09:00:00Z');
  const started = () => valid(startRun(booking, manual(), 'run1', clock));

  it('should ask the executor to offer slots of the calendar, rendered in the client language, and wait', () => {
    const result = started();
    const [offer] = of(result.effects, 'offerSlots');
    expect(offer).toMatchObject({
      stepId: 'book',
      contactId: 'c1',
      conversationId: 'conv1',
      dealId: 'd1',
      channel: 'telegram',
      language: 'ru',
      booking: {
        calendar: { type: 'team', team: 'measurers' },
        title: 'Бесплатный замер',
        kind: 'measurement',
        format: 'visit',
        durationMinutes: 90,
        days: 7,
        offerDays: 2,
        perDay: 3,
        minNoticeMinutes: 120,
        reminderMinutes: [1440, 60],
        timeZone: 'Europe/Moscow',
        texts: { offer: 'Выберите время' },
      },
    });
    expect(result.state).toMatchObject({ status: 'waiting', cursor: 'book' });
    expect(result.state.waits).toMatchObject([{ stepId: 'book', kind: 'timeout' }]);
  });

  it('should hand each answer to the executor as a choice and go on only once the slot is booked', () => {
    const pressed = valid(
      step(booking, started().state, message('', { buttonId: 'slot:2025-03-04T07:00:00.000Z' }), clock),
    );
    expect(of(pressed.effects, 'bookSlot')).toMatchObject([
      { stepId: 'book', choice: { text: '', buttonId: 'slot:2025-03-04T07:00:00.000Z' } },
    ]);
    expect(pressed.state).toMatchObject({ status: 'waiting', cursor: 'book' });

    const typed = valid(step(booking, pressed.state, message('завтра в 15'), clock));
    expect(of(typed.effects, 'bookSlot')[0]?.choice).toEqual({ text: 'завтра в 15' });

    // Another book step's booking is not this one's.
    expect(valid(step(booking, typed.state, booked('other'), clock)).state.cursor).toBe('book');

    const done = valid(step(booking, typed.state, booked(), clock));
    expect(of(done.effects, 'cancelWait')).toHaveLength(1);
    expect(of(done.effects, 'setField')).toMatchObject([
      { entity: 'deal', recordId: 'd1', field: 'fields.measure_at', value: '2025-03-04T07:00:00.000Z' },
    ]);
    expect(of(done.effects, 'sendMessage')[0]?.text).toBe('Ждём вас 04.03.2025 10:00');
    expect(done.state.status).toBe('completed');
  });

  it('should offer the slots again, and book nothing, for a question the bot answered itself', () => {
    const asked = valid(
      step(booking, started().state, message('Сколько стоит замер завтра в 15?', { answered: true }), clock),
    );
    expect(of(asked.effects, 'bookSlot')).toEqual([]);
    expect(of(asked.effects, 'offerSlots')).toMatchObject([
      { stepId: 'book', booking: { texts: { offer: 'Выберите время' } } },
    ]);
    expect(asked.state).toMatchObject({ status: 'waiting', cursor: 'book' });
    // The step still waits for its answer until the same timeout.
    expect(asked.state.waits).toEqual(started().state.waits);
    expect(asked.state.history.at(-1)?.result).toBe('the client asked something; asked again');
  });

  it('should go to onNoSlots when no manager is free, and to onTimeout when nothing was chosen', () => {
    const none = valid(
      step(booking, started().state, { type: 'booking.noSlots', subject: SUBJECT, stepId: 'book' }, clock),
    );
    expect(of(none.effects, 'createTask')).toMatchObject([{ title: 'Позвонить клиенту', kind: 'call' }]);

    const waiting = started();
    const timeout = waiting.state.waits[0]!;
    const late = new FakeClock(timeout.at);
    const timedOut = valid(step(booking, waiting.state, { type: 'wait.elapsed', waitId: timeout.id }, late));
    expect(of(timedOut.effects, 'createTask')).toHaveLength(1);
    expect(timedOut.state.history.map((entry) => entry.result)).toContain('no slot chosen in time');
  });

  it('should show offers, a taken slot and the booking in a simulation without servers', () => {
    const root = join(import.meta.dirname, '../..');
    const { file, definitions } = parseFlowFile(
      readFileSync(join(root, 'flows/templates/windows.yaml'), 'utf8'),
      'windows',
    );
    const story = simulationSchema.parse(
      JSON.parse(readFileSync(join(root, 'flows/examples/windows-booking.events.json'), 'utf8')),
    );
    const notes = simulate(definitions, file.workspace, story).trace.flatMap((entry) =>
      entry.kind === 'effect' && entry.flowId === 'book-consultation'
        ? [entry.effect.type + ': ' + (entry.note ?? '')]
        : [],
    );
    expect(notes[0]).toMatch(/^offerSlots: offered 2026-11-26 12:00, 2026-11-26 14:00/);
    expect(notes.some((note) => note.startsWith('bookSlot: no time in the answer; offered 2026-11-26 14:00'))).toBe(
      true,
    );
    expect(notes.some((note) => /^bookSlot: 2026-11-26 13:00 is taken/.test(note))).toBe(true);
    expect(notes).toContain('bookSlot: booked 2026-11-27 09:00');
    expect(notes).toContain('setField: ');
  });
});
