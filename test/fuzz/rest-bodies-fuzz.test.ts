import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { newMember, newTeamWithChannel, visitorWrites } from '../api/inbox-fixture.js';
import { waitUntil } from '../wait-until.js';
import {
  countDocuments,
  expectRefusal,
  fuzzBody,
  fuzzParameters,
  grown,
  runsOf,
  send,
  timeoutFor,
  watchProcess,
} from './fuzz-kit.js';

/**
 * Authenticated REST bodies under generated input, with an operator's and a marketer's session
 * (cookie and CSRF token, as the inbox sends them): a representative set of the routes that
 * write, each with a template of its real body that the generators break.
 */

interface Target {
  method: 'POST' | 'PATCH';
  path: string;
  template: Record<string, unknown>;
}

describe('REST bodies under fuzzing', () => {
  let api: TestApi;
  let sessions: Record<'operator' | 'marketer', ApiClient>;
  const targets: Target[] = [];
  const watcher = watchProcess();

  /** Counts once the bot and the flows have finished answering the seeded conversation. */
  async function quietCounts(): Promise<Record<string, number>> {
    let last = JSON.stringify(await countDocuments(api.db));
    return waitUntil('the store to settle', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const now = await countDocuments(api.db);
      const same = JSON.stringify(now) === last;
      last = JSON.stringify(now);
      return same ? now : undefined;
    });
  }

  beforeAll(async () => {
    api = await startTestApi();
    const pipelines = await ensureDefaultPipelines(api.db);
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    sessions = { operator, marketer: await api.as('marketer') };
    const { conversation } = await visitorWrites(api, channelId, 'Хочу рассчитать дом 10×12');
    const pipelineId = String(pipelines.sales!._id);
    const deal = await operator.post('/deals', { title: `Дом ${randomBytes(2).toString('hex')}`, pipelineId });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const segmentBody = {
      name: 'VIP',
      definition: { match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'vip' }] },
    };
    const segment = await sessions.marketer.post('/segments', segmentBody);
    expect(segment.status, JSON.stringify(segment.body)).toBe(201);
    const contactBody = { name: 'Анна', phones: ['+79161234567'], emails: ['anna@example.com'], tags: ['vip'] };
    targets.push(
      { method: 'POST', path: '/contacts', template: contactBody },
      { method: 'PATCH', path: `/contacts/${conversation.contactId}`, template: contactBody },
      {
        method: 'POST',
        path: '/deals',
        template: { title: 'Дом', pipelineId, contactId: conversation.contactId, amount: 100 },
      },
      { method: 'PATCH', path: `/deals/${deal.body.id}`, template: { title: 'Дом', amount: 100, stageId: 'x' } },
      { method: 'POST', path: `/conversations/${conversation.id}/messages`, template: { text: 'Здравствуйте!' } },
      { method: 'POST', path: `/conversations/${conversation.id}/notes`, template: { text: 'Перезвонить' } },
      {
        method: 'PATCH',
        path: `/conversations/${conversation.id}`,
        template: { assigneeId: operator.user!.id, status: 'open' },
      },
      { method: 'POST', path: '/segments', template: segmentBody },
      { method: 'POST', path: '/segments/preview', template: { definition: segmentBody.definition } },
      { method: 'PATCH', path: `/segments/${segment.body.id}`, template: segmentBody },
      {
        method: 'POST',
        path: '/broadcasts',
        template: { name: 'Акция', segmentId: segment.body.id, variants: { telegram: { text: 'Скидка' } } },
      },
      {
        method: 'POST',
        path: '/contacts/000000000000000000000000/merge',
        template: { sourceId: conversation.contactId },
      },
    );
  });

  afterAll(async () => {
    watcher.stop();
    await api?.close();
  });

  const runs = runsOf(0.25);
  it(
    'should refuse generated bodies to the writing routes for an operator and a marketer, storing nothing',
    async () => {
      const before = await quietCounts();
      let acceptedEmpty = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<'operator' | 'marketer'>('operator', 'marketer'),
          fc
            .nat({ max: targets.length - 1 })
            .chain((index) =>
              fc.tuple(
                fc.constant(targets[index]!),
                fuzzBody(targets[index]!.template, { nullIsValid: targets[index]!.method === 'PATCH' }),
              ),
            ),
          async (role, [target, body]) => {
            const session = sessions[role];
            const headers: Record<string, string> = {
              accept: 'application/json',
              cookie: session.cookie!,
              'x-csrf-token': session.csrfToken!,
            };
            if (body.contentType) headers['content-type'] = body.contentType;
            const answer = await send(`${api.baseUrl}/api/v1${target.path}`, {
              method: target.method,
              headers,
              body: body.body,
            });
            // An empty PATCH changes nothing and is answered as such (the store check below still holds).
            const empty = ['', '{}'].includes(body.body.toString('utf8').trim());
            if (target.method === 'PATCH' && empty && answer.status === 200) {
              acceptedEmpty++;
              return;
            }
            expectRefusal(answer, `${role} ${target.method} ${target.path}`);
          },
        ),
        fuzzParameters(runs),
      );
      // An accepted empty PATCH is audited like any change (one entry at most); nothing else may grow.
      const { auditlogs = 0, ...others } = grown(before, await countDocuments(api.db));
      expect(others).toEqual({});
      expect(auditlogs).toBeLessThanOrEqual(acceptedEmpty);
      expect(watcher.problems).toEqual([]);
    },
    timeoutFor(runs),
  );
});
