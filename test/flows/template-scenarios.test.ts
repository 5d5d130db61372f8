import { describe, expect, it } from 'vitest';
import { done, lines, playExample as play } from './template-trace.js';

describe('template scenarios', () => {
  describe('windows (seed 001)', () => {
    const result = play('windows');

    it('should take a lead from the first message through qualification and conversion', () => {
      // The bot greets and starts asking; the manager qualifies the lead at 10:20, which ends the bot's questions.
      expect(lines(result, 'sendMessage', 'lead-intake').map((line) => line.slice(0, 50))).toEqual([
        '2025-03-03 10:00 lead-intake: Здравствуйте! Я бот ',
        '2025-03-03 10:00 lead-intake: Что вас интересует?',
      ]);
      expect(lines(result, 'createTask', 'lead-intake')).toEqual([]);
      expect(lines(result, 'sendMessage', 'collect-data')).toEqual([
        '2025-03-03 10:40 collect-data: Чтобы подготовить предложение, подскажите, сколько окон нужно заменить?',
      ]);
      expect(done(result).find((entry) => entry.effect.type === 'setField')?.effect).toMatchObject({
        field: 'fields.window_count',
        value: 4,
      });
    });

    it('should task the head of measurers, then the assigned measurer, and remind the client the evening before', () => {
      expect(lines(result, 'createTask', 'measurement-scheduled')).toEqual([
        '2025-03-05 15:01 measurement-scheduled: Назначить замерщика: 10.03.2025 11:00 → team by 2025-03-05 17:01',
      ]);
      expect(
        done(result).find((entry) => entry.flow === 'measurement-scheduled' && entry.effect.type === 'createTask')
          ?.effect,
      ).toMatchObject({
        assignee: { type: 'team', team: 'measurers', pick: 'lead' },
      });
      expect(lines(result, 'createTask', 'measurer-assigned')).toEqual([
        '2025-03-05 16:01 measurer-assigned: Замер: ул. Лесная, 5, кв. 12 → u-measurer-ivan by 2025-03-10 11:00',
      ]);
      expect(lines(result, 'sendMessage', 'measurer-assigned')).toEqual([
        '2025-03-09 18:00 measurer-assigned: Напоминаем: завтра в 11:00 к вам приедет замерщик. Если планы изменились — напишите нам.',
      ]);
    });

    it('should copy an installment sale to installment control, remind before each payment and win it when paid', () => {
      expect(
        done(result)
          .filter((entry) => entry.effect.type === 'copyDeal')
          .map((entry) => [entry.at, entry.effect]),
      ).toEqual([
        [
          '2025-03-12 12:05',
          expect.objectContaining({ pipeline: 'installments', stage: 'awaiting-payment', dealId: 'd-sale' }),
        ],
      ]);
      expect(lines(result, 'sendMessage', 'installment-reminder')).toEqual([
        '2025-04-07 10:00 installment-reminder: Анна, напоминаем: 10.04.2025 — очередной платёж по рассрочке, 60 000 ₽.',
        '2025-05-07 10:00 installment-reminder: Анна, напоминаем: 10.05.2025 — очередной платёж по рассрочке, 60 000 ₽.',
        '2025-06-07 10:00 installment-reminder: Анна, напоминаем: 10.06.2025 — очередной платёж по рассрочке, 60 000 ₽.',
      ]);
      expect(lines(result, 'sendMessage', 'installment-payment')).toEqual([
        '2025-04-09 12:00 installment-payment: Платёж 60 000 ₽ получен, спасибо!',
        '2025-05-10 09:00 installment-payment: Платёж 60 000 ₽ получен, спасибо!',
        '2025-06-12 13:00 installment-payment: Платёж 60 000 ₽ получен — рассрочка полностью погашена. Спасибо!',
      ]);
    });

    it('should move an overdue installment to "overdue" with a task, and close the plan as won once paid', () => {
      expect(lines(result, 'moveStage', 'installment-overdue')).toEqual([
        '2025-06-10 18:00 installment-overdue: /overdue',
      ]);
      expect(lines(result, 'createTask', 'installment-overdue')).toEqual([
        '2025-06-10 18:00 installment-overdue: Просрочка платежа №3 (60 000 ₽): связаться с клиентом → owner by 2025-06-10 22:00',
      ]);
      expect(lines(result, 'markWon')).toEqual(['2025-06-12 13:00 installment-payment']);
      const stages = Object.fromEntries(result.deals.map((deal) => [deal.id, `${deal.pipeline}/${deal.stage}`]));
      expect(stages).toMatchObject({
        'd-lead': 'leads/converted',
        'd-sale': 'sales/won',
        'd-sale-copy1': 'installments/won',
      });
    });

    it('should fire the time-based triggers by themselves: an unanswered client, overdue tasks, dates, payments', () => {
      const fired = result.trace.flatMap((entry) => (entry.kind === 'event' ? [entry.event.type] : []));
      for (const type of ['noReply', 'task.overdue', 'date.reached', 'payment.overdue', 'payment.received'])
        expect(fired).toContain(type);
      const sla = lines(result, 'notify', 'operator-sla');
      expect(sla).toHaveLength(1);
      expect(sla[0]).toMatch(/operator-sla: Клиент Анна ждёт ответа больше 15 минут$/);
    });

    it('should task the employee on the next-contact date and return the deferred deal to Sales', () => {
      expect(lines(result, 'createTask', 'deferred-contact-due')).toEqual([
        '2025-04-01 10:00 deferred-contact-due: Связаться с клиентом (отложенный спрос): вернуть в продажу или закрыть → owner by 2025-04-01 14:00',
      ]);
      expect(lines(result, 'moveStage', 'deferred-contact-due')).toEqual([
        '2025-04-01 10:00 deferred-contact-due: deferred/contacted',
        '2025-04-01 15:00 deferred-contact-due: sales/data-collection',
      ]);
      expect(result.deals.find((deal) => deal.id === 'd-oleg')).toMatchObject({
        pipeline: 'sales',
        stage: 'data-collection',
      });
    });
  });

  describe('ecostroy (seed 000)', () => {
    const result = play('ecostroy');

    it('should answer a night request in the morning with an urgent call task', () => {
      expect(lines(result, 'sendMessage', 'consultation-request')[0]).toMatch(
        /^2025-04-08 09:00 consultation-request: Здравствуйте, Мария!/,
      );
      expect(lines(result, 'createTask', 'consultation-request')).toEqual([
        '2025-04-08 09:00 consultation-request: Срочно: связаться с клиентом и записать на консультацию → team by 2025-04-08 09:15',
      ]);
    });

    it('should remind of the consultation a day and two hours before', () => {
      expect(lines(result, 'sendMessage', 'meeting-reminders')).toEqual([
        '2025-04-09 11:00 meeting-reminders: Мария, напоминаем о встрече «Консультация по экодому» 10.04.2025 11:00, офис ЭкоСтрой, ул. Лесная, 10. Подтверждаете?',
        '2025-04-10 09:00 meeting-reminders: Ждём вас через 2 часа: офис ЭкоСтрой, ул. Лесная, 10.',
      ]);
    });

    it('should order the estimate from the estimate service and the estimators', () => {
      const hook = done(result).find((entry) => entry.effect.type === 'callWebhook');
      expect(hook?.effect).toMatchObject({
        url: 'https://estimates.ecostroy.example/api/estimates',
        body: { dealId: 'd-house', area: 160, budget: 12000000, interests: ['solar', 'heat-pump'] },
      });
    });

    it('should start construction on the prepayment and report progress every Friday until quality control', () => {
      expect(lines(result, 'moveStage', 'prepayment')).toEqual(['2025-04-24 11:00 prepayment: /construction']);
      const reports = lines(result, 'createTask', 'progress-reports');
      expect(reports).toHaveLength(8);
      expect(reports[0]).toBe(
        '2025-04-25 12:00 progress-reports: Фотоотчёт клиенту за неделю: Экодом 160 м², Истра → team by 2025-04-25 17:00',
      );
      expect(reports.every((line) => new Date(`${line.slice(0, 10)}T12:00:00Z`).getUTCDay() === 5)).toBe(true);
      expect(reports.at(-1)).toMatch(/^2025-06-13 12:00/);
    });

    it('should warn about the deadline, remind of the final payment and task accounting when it is late', () => {
      expect(lines(result, 'notify', 'deadline-watch')).toEqual([
        '2025-06-16 10:00 deadline-watch: Срок сдачи «Экодом 160 м², Истра» — 30.06.2025. Проверьте график работ.',
        '2025-06-16 10:00 deadline-watch: Приближается срок сдачи «Экодом 160 м², Истра»: 30.06.2025',
      ]);
      expect(lines(result, 'sendMessage', 'payment-reminders')).toEqual([
        '2025-06-27 10:00 payment-reminders: Мария, напоминаем: 30.06.2025 — платёж 8 400 000 ₽ по договору.',
      ]);
      expect(lines(result, 'createTask', 'payment-overdue')).toEqual([
        '2025-06-30 18:00 payment-overdue: Просрочен платёж 8 400 000 ₽ от 30.06.2025 → team by 2025-07-01 18:00',
      ]);
    });

    it('should ask for feedback after the handover, thank for a good rating and offer services later', () => {
      expect(lines(result, 'sendMessage', 'after-sale-feedback')).toEqual([
        expect.stringMatching(
          /^2025-07-04 11:00 after-sale-feedback: Мария, .* Оцените, пожалуйста, нашу работу от 1 до 5\.$/,
        ),
        expect.stringMatching(/^2025-07-04 12:10 after-sale-feedback: Спасибо! Будем благодарны за отзыв/),
      ]);
      expect(
        done(result)
          .filter((entry) => entry.effect.type === 'setField')
          .map((entry) => entry.effect),
      ).toEqual([expect.objectContaining({ field: 'fields.feedback_score', value: '5' })]);
      expect(lines(result, 'sendMessage', 'referral-request')).toHaveLength(1);
      expect(lines(result, 'moveStage', 'after-sale-feedback')).toEqual([
        '2025-08-03 11:00 after-sale-feedback: /relationship',
      ]);
      expect(lines(result, 'sendMessage', 'upsell')).toEqual([
        '2025-11-04 11:00 upsell: Мария, пора на сезонное обслуживание теплового насоса и вентиляции. Записать вас?',
      ]);
    });
  });

  describe('realty (seed 002)', () => {
    const result = play('realty');

    it('should route leads by region, record the first contact and escalate a silent agent', () => {
      const assigned = done(result)
        .filter((entry) => entry.effect.type === 'assign')
        .map((entry) => entry.effect);
      expect(assigned).toEqual([
        expect.objectContaining({
          dealId: 'd-ivan-lead',
          assignee: { type: 'team', team: 'agents-north', pick: 'round-robin' },
        }),
        expect.objectContaining({
          dealId: 'd-olga-lead',
          assignee: { type: 'team', team: 'agents-center', pick: 'round-robin' },
        }),
      ]);
      const firstContact = done(result).find(
        (entry) => entry.effect.type === 'setField' && entry.effect.field === 'fields.first_contact_at',
      );
      expect(firstContact).toMatchObject({ at: '2025-05-13 11:10', effect: { value: '2025-05-13T08:10:00.000Z' } });
      expect(lines(result, 'notify', 'lead-routing')).toEqual([
        '2025-05-13 20:05 lead-routing: Обращение Ольга без ответа 15 минут (район: center)',
        '2025-05-14 10:00 lead-routing: Обращение от контрагента «competitor»: АН «Конкурент» — проверьте вручную',
      ]);
      // 22:05 is in quiet hours: the manager takes over without a message to the client.
      expect(lines(result, 'handoff', 'lead-routing')).toEqual(['2025-05-13 22:05 lead-routing']);
      expect(lines(result, 'sendMessage', 'lead-routing')).toEqual([]);
    });

    it('should tag a client who came from an ad link', () => {
      expect(
        done(result).find((entry) => entry.flow === 'ad-start' && entry.effect.type === 'addTags')?.effect,
      ).toMatchObject({
        tags: ['from-ad'],
      });
    });

    it('should confirm the viewing the day before, warn the agent two hours before and follow up after it', () => {
      expect(lines(result, 'sendMessage', 'viewing-reminders')).toEqual([
        '2025-05-14 15:00 viewing-reminders: Иван, напоминаем о показе завтра, 15.05.2025 15:00: ул. Северная, 12, кв. 45. Подтверждаете?',
        '2025-05-14 15:30 viewing-reminders: Отлично, агент будет ждать вас!',
      ]);
      expect(lines(result, 'notify', 'viewing-reminders')).toEqual([
        '2025-05-15 13:00 viewing-reminders: Через 2 часа показ: ул. Северная, 12, кв. 45, клиент Иван (+79035550101)',
      ]);
      expect(lines(result, 'moveStage', 'viewing-feedback')).toEqual([
        '2025-05-15 19:45 viewing-feedback: /negotiation',
      ]);
    });

    it('should carry a closed deal into after-sale service up to the anniversary', () => {
      expect(lines(result, 'sendMessage', 'post-deal-service')).toEqual([
        expect.stringMatching(/^2025-06-16 10:00 post-deal-service: Поздравляем с новосельем!/),
        expect.stringMatching(/^2025-07-16 12:00 post-deal-service: Прошёл месяц после переезда/),
        expect.stringMatching(/^2026-06-16 12:00 post-deal-service: Год назад вы получили ключи/),
      ]);
      expect(result.deals.find((deal) => deal.id === 'd-ivan-copy1')).toMatchObject({
        pipeline: 'service',
        stage: 'won',
        status: 'won',
      });
    });
  });

  it('should give the same trace every time', () => {
    expect(play('windows').trace).toEqual(play('windows').trace);
  });
});
