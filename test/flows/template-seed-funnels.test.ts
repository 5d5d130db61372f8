import { describe, expect, it } from 'vitest';
import type { SimulationInput } from '../../flows/simulate/simulation-schema.js';
import { flowEffects, lines, playTemplate } from './template-trace.js';

/**
 * What the seeds describe and the shipped templates once left out, played through the templates as
 * `npm run flows -- simulate` plays them: the messages the client gets, the tasks and notifications
 * staff get, where the deal goes. Each expectation lists everything the flow did.
 */

type Events = SimulationInput['events'];

interface Client {
  contact: { id: string; name: string; phone: string };
  deal: { id: string; title: string; pipeline: string; stage: string; fields?: Record<string, unknown> };
  channel: 'telegram' | 'email';
}

/** One client with one deal and one conversation; the owner is the same on both. */
function story(client: Client, events: Events, window: { start: string; until: string }): SimulationInput {
  const ownerId = 'u-owner';
  return {
    ...window,
    world: {
      contacts: [{ ...client.contact, language: 'ru', ownerId }],
      deals: [{ ...client.deal, contactId: client.contact.id, ownerId }],
      conversations: [{ id: `chat-${client.contact.id}`, contactId: client.contact.id, channel: client.channel }],
    },
    events,
  };
}

const MARCH = { start: '2025-03-03T09:00:00+03:00', until: '2025-03-14T00:00:00+03:00' };

/** The window maker's client, measurement on Thursday 6 March at 11:00. */
const windowSale = (stage: string): Client => ({
  contact: { id: 'c-anna', name: 'Анна', phone: '+79991234567' },
  deal: {
    id: 'd-sale',
    title: 'Окна: ул. Лесная, 5',
    pipeline: 'sales',
    stage,
    fields: {
      measurement_at: '2025-03-06T11:00:00+03:00',
      measurement_address: 'ул. Лесная, 5, кв. 12',
      window_count: 4,
      measurer_id: 'u-measurer-ivan',
    },
  },
  channel: 'telegram',
});

describe('windows template after the measurement (seed 001)', () => {
  const play = (stage: string, events: Events) => playTemplate('windows', story(windowSale(stage), events, MARCH));
  const transferTask = 'Перенести документы замерщика в сделку и подготовить договор: Окна: ул. Лесная, 5 → owner';
  const thanks =
    'Анна, спасибо, замер выполнен! Менеджер подготовит окончательный расчёт и договор и свяжется с вами, чтобы согласовать предоплату.';

  it('should move the deal on when the measurer closes the task, task the owner with the documents and tell the client', () => {
    const result = play('measurement-scheduled', [
      { at: '2025-03-03T10:00:00+03:00', type: 'move', deal: 'd-sale', stage: 'measurer-assigned' },
      { at: '2025-03-06T12:30:00+03:00', type: 'task.completed', deal: 'd-sale', kind: 'measurement' },
    ]);
    expect(flowEffects(result, 'measurement-done')).toEqual({
      moveStage: ['2025-03-06 12:30 measurement-done: /measurement-done'],
      createTask: [`2025-03-06 12:30 measurement-done: ${transferTask} by 2025-03-07 12:30`],
      sendMessage: [`2025-03-06 12:30 measurement-done: ${thanks}`],
      // No contract five days later: the owner is reminded.
      notify: [
        '2025-03-11 11:00 measurement-done: Замер по «Окна: ул. Лесная, 5» выполнен 5 дней назад, а договор не подписан: свяжитесь с клиентом или переведите сделку в «Отложенный спрос».',
      ],
    });
    expect(result.deals[0]).toMatchObject({ pipeline: 'sales', stage: 'measurement-done' });
  });

  it('should do the same when a person moves the deal to «Замер выполнен», and stop once the contract is signed', () => {
    const result = play('measurer-assigned', [
      { at: '2025-03-06T14:00:00+03:00', type: 'move', deal: 'd-sale', stage: 'measurement-done' },
      { at: '2025-03-08T12:00:00+03:00', type: 'move', deal: 'd-sale', stage: 'contract-signed' },
    ]);
    expect(flowEffects(result, 'measurement-done')).toEqual({
      createTask: [`2025-03-06 14:00 measurement-done: ${transferTask} by 2025-03-07 14:00`],
      sendMessage: [`2025-03-06 14:00 measurement-done: ${thanks}`],
    });
  });

  it('should task the owner to hand a won sale over to production and installation', () => {
    const result = play('contract-signed', [
      { at: '2025-03-10T12:30:00+03:00', type: 'move', deal: 'd-sale', stage: 'won' },
    ]);
    expect(flowEffects(result, 'sale-won')).toEqual({
      createTask: [
        '2025-03-10 12:30 sale-won: Передать заказ в производство и монтаж: Окна: ул. Лесная, 5 → owner by 2025-03-11 12:30',
      ],
    });
  });
});

const MAY = { start: '2025-05-13T09:00:00+03:00', until: '2025-06-05T00:00:00+03:00' };

/** The estate agency's client, chatting in Telegram (the chat is `chat-c-ivan`). */
const buyer = (pipeline: string, stage: string, fields: Record<string, unknown>): Client => ({
  contact: { id: 'c-ivan', name: 'Иван', phone: '+79035550101' },
  deal: { id: 'd-ivan', title: 'Покупка квартиры', pipeline, stage, fields },
  channel: 'telegram',
});

describe('realty template: no client forgotten (seed 002)', () => {
  const reassign: Events = [
    { at: '2025-05-13T11:00:00+03:00', type: 'manual', contact: 'c-ivan', deal: 'd-ivan', flow: 'reassign-client' },
  ];

  it('should hand a leaving agent’s client to the next agent of the area and tell the client', () => {
    const result = playTemplate('realty', story(buyer('deals', 'negotiation', { region: 'north' }), reassign, MAY));
    expect(flowEffects(result, 'reassign-client')).toEqual({
      assign: ['2025-05-13 11:00 reassign-client: both → agents-north'],
      createTask: [
        '2025-05-13 11:00 reassign-client: Вам передан клиент Иван: представиться и продолжить работу → owner by 2025-05-13 13:00',
      ],
      sendMessage: [
        '2025-05-13 11:00 reassign-client: Иван, вашим вопросом теперь занимается другой агент нашего агентства. Вся история сохранена, повторять ничего не нужно — агент скоро свяжется с вами.',
      ],
    });
    // The task goes to the new owner: the agent the team gave the deal to.
    expect(result.tasks.map((task) => task.assignee)).toEqual(['agents-north member #1']);
  });

  it('should leave the choice of agent to a manager when the deal has no area', () => {
    const result = playTemplate('realty', story(buyer('deals', 'selection', {}), reassign, MAY));
    expect(flowEffects(result, 'reassign-client')).toEqual({
      createTask: ['2025-05-13 11:00 reassign-client: Передать клиента Иван другому агенту → role by 2025-05-13 13:00'],
    });
  });

  const agentChat = (answer: Events): Events => [
    { at: '2025-05-13T10:00:00+03:00', type: 'conversation.takenOver', conversation: 'chat-c-ivan', by: 'u-owner' },
    { at: '2025-05-13T11:00:00+03:00', type: 'message.received', contact: 'c-ivan', text: 'Когда можно посмотреть?' },
    ...answer,
  ];
  const warnings = [
    '2025-05-13 13:00 agent-silent: Иван ждёт вашего ответа 2 часа. Через час без ответа клиент перейдёт к другому агенту.',
    '2025-05-13 13:00 agent-silent: Иван ждёт ответа агента 2 часа',
  ];

  it('should warn a silent agent and the managers after 2 hours and pass the client on after 3', () => {
    const result = playTemplate('realty', story(buyer('deals', 'selection', { region: 'south' }), agentChat([]), MAY));
    expect(flowEffects(result, 'agent-silent')).toEqual({
      notify: warnings,
      enroll: ['2025-05-13 14:00 agent-silent: → reassign-client'],
    });
    // The silence carries no deal, so, as live, the contact's open deal decides the area: the south's next agent.
    expect(flowEffects(result, 'reassign-client').assign).toEqual([
      '2025-05-13 14:00 reassign-client: both → agents-south',
    ]);
  });

  it('should keep the client with the agent who answers within the hour', () => {
    const answered = agentChat([
      { at: '2025-05-13T13:20:00+03:00', type: 'message.sent', conversation: 'chat-c-ivan', by: 'operator' },
    ]);
    const result = playTemplate('realty', story(buyer('deals', 'selection', { region: 'south' }), answered, MAY));
    expect(flowEffects(result, 'agent-silent')).toEqual({ notify: warnings });
  });

  const stalled: Events = [{ at: '2025-05-15T19:45:00+03:00', type: 'move', deal: 'd-ivan', stage: 'negotiation' }];
  const callTask = 'Созвониться с клиентом: «Покупка квартиры» неделю без движения → owner';

  it('should ask a client whose deal has not moved for a week, every week, and task the agent when there is no answer', () => {
    const thinking: Events = [
      {
        at: '2025-05-22T12:00:00+03:00',
        type: 'message.received',
        contact: 'c-ivan',
        text: 'Пока думаю',
        buttonId: 'thinking',
      },
    ];
    const result = playTemplate(
      'realty',
      story(buyer('deals', 'viewing-done', { region: 'center' }), [...stalled, ...thinking], MAY),
    );
    const question = 'Иван, как ваши планы? Подберём ещё варианты или назначим показ — агент на связи.';
    expect(flowEffects(result, 'client-check-in')).toEqual({
      sendMessage: [
        `2025-05-22 11:00 client-check-in: ${question}`,
        '2025-05-22 12:00 client-check-in: Хорошо, не торопим. Напишите, когда будете готовы или появятся вопросы.',
        `2025-05-29 11:00 client-check-in: ${question}`,
      ],
      createTask: [`2025-05-31 11:00 client-check-in: ${callTask} by 2025-05-31 15:00`],
    });
  });

  it('should task the agent straight away, without the bot, when the agent runs the chat', () => {
    const takenOver: Events = [
      { at: '2025-05-14T10:00:00+03:00', type: 'conversation.takenOver', conversation: 'chat-c-ivan', by: 'u-owner' },
    ];
    const result = playTemplate(
      'realty',
      story(buyer('deals', 'viewing-done', { region: 'center' }), [...takenOver, ...stalled], {
        ...MAY,
        until: '2025-05-24T00:00:00+03:00',
      }),
    );
    expect(flowEffects(result, 'client-check-in')).toEqual({
      createTask: [`2025-05-22 11:00 client-check-in: ${callTask} by 2025-05-22 15:00`],
    });
  });

  it('should ask a past client about new plans half a year after the service and task the agent', () => {
    const events: Events = [
      { at: '2025-06-16T10:00:00+03:00', type: 'move', deal: 'd-ivan', stage: 'won' },
      {
        at: '2025-12-16T13:00:00+03:00',
        type: 'message.received',
        contact: 'c-ivan',
        text: 'Продать',
        buttonId: 'sell',
      },
    ];
    const result = playTemplate(
      'realty',
      story(buyer('service', 'support', {}), events, { ...MAY, until: '2025-12-20T00:00:00+03:00' }),
    );
    expect(flowEffects(result, 'past-client-plans')).toEqual({
      sendMessage: [
        '2025-12-16 12:00 past-client-plans: Иван, это агентство недвижимости. Не планируете купить, продать, снять или сдать жильё? Поможем, как в прошлый раз.',
        '2025-12-16 13:00 past-client-plans: Спасибо! Агент позвонит вам в ближайшее время.',
      ],
      createTask: [
        '2025-12-16 13:00 past-client-plans: Бывший клиент Иван снова ищет помощь агентства (ответ: Продать) → owner by 2025-12-17 12:00',
      ],
    });
  });
});

/** The green-home builder's client, writing by e-mail. */
const house = (stage: string): Client => ({
  contact: { id: 'c-pavel', name: 'Павел', phone: '+79160000000' },
  deal: { id: 'd-house', title: 'Экодом 140 м², Руза', pipeline: 'green-house', stage },
  channel: 'email',
});

const APRIL = { start: '2025-04-08T09:00:00+03:00', until: '2025-05-23T00:00:00+03:00' };

describe('ecostroy template (seed 000)', () => {
  const play = (stage: string, events: Events) => playTemplate('ecostroy', story(house(stage), events, APRIL));
  const move = (at: string, stage: string): Events => [{ at, type: 'move', deal: 'd-house', stage }];
  // The product names a lead's source "form:<form>" or "<source>:<partner>".
  it.each(['form:Консультация', 'partner:domclick', 'exhibition:ecoexpo'])(
    'should thank the client and task the sales team with an urgent call for a lead from %s',
    (source) => {
      const lead: Events = [
        { at: '2025-04-08T12:00:00+03:00', type: 'lead.created', contact: 'c-pavel', deal: 'd-house', source },
      ];
      const result = play('consultation-request', lead);
      expect(lines(result, 'sendMessage', 'consultation-request')).toEqual([
        '2025-04-08 12:00 consultation-request: Здравствуйте, Павел! Спасибо за интерес к экодомам «ЭкоСтрой». Менеджер свяжется с вами в ближайшее время и запишет на бесплатную консультацию.',
      ]);
      expect(lines(result, 'createTask', 'consultation-request')).toEqual([
        '2025-04-08 12:00 consultation-request: Срочно: связаться с клиентом и записать на консультацию → team by 2025-04-08 12:15',
      ]);
    },
  );

  it('should thank the client for the meeting and task the manager with the needs assessment', () => {
    const result = play('consultation-request', move('2025-04-10T13:00:00+03:00', 'needs-assessment'));
    expect(flowEffects(result, 'needs-assessment')).toEqual({
      sendMessage: [
        '2025-04-10 13:00 needs-assessment: Павел, спасибо за встречу! Подберём решения под ваш участок и пожелания и пришлём персональное предложение со сметой.',
      ],
      createTask: [
        '2025-04-10 13:00 needs-assessment: Оценить требования клиента и особенности проекта: Экодом 140 м², Руза → owner by 2025-04-11 18:00',
      ],
    });
  });

  it('should task the manager with the contract and remind after a week without one', () => {
    const result = play('proposal', move('2025-04-18T12:00:00+03:00', 'contract'));
    expect(flowEffects(result, 'contract-negotiation')).toEqual({
      createTask: [
        '2025-04-18 12:00 contract-negotiation: Согласовать детали и заключить договор: Экодом 140 м², Руза → owner by 2025-04-21 18:00',
      ],
      notify: [
        '2025-04-25 10:00 contract-negotiation: Договор по «Экодом 140 м², Руза» обсуждается неделю и не подписан — узнайте у клиента, что мешает.',
      ],
    });
  });

  it('should send the inspectors to the site every two weeks of construction and pass their findings to the foreman', () => {
    const events: Events = [
      ...move('2025-04-24T11:00:00+03:00', 'construction'),
      {
        at: '2025-05-08T16:00:00+03:00',
        type: 'task.completed',
        deal: 'd-house',
        kind: 'meeting',
        result: 'Трещина в отмостке — переделать до заливки',
      },
    ];
    const result = play('prepayment', events);
    const inspection = 'Плановая инспекция стройки: Экодом 140 м², Руза → team';
    expect(flowEffects(result, 'construction-inspections')).toEqual({
      createTask: [
        `2025-05-08 10:00 construction-inspections: ${inspection} by 2025-05-09 17:00`,
        `2025-05-22 10:00 construction-inspections: ${inspection} by 2025-05-23 17:00`,
      ],
      notify: [
        '2025-05-08 16:00 construction-inspections: Инспекция «Экодом 140 м², Руза»: Трещина в отмостке — переделать до заливки',
      ],
    });
  });
});
