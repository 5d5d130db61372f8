import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import type { PipelineRecord } from '../../server/pipelines/pipeline-model.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { newTeamWithChannel, visitorWrites } from './inbox-fixture.js';

type Hit = { conversation: { id: string; contactName?: string } };

describe('message search by pipeline stage', () => {
  let api: TestApi;
  let manager: ApiClient;
  let pipelines: Record<string, PipelineRecord>;

  beforeAll(async () => {
    api = await startTestApi();
    pipelines = await ensureDefaultPipelines(api.db);
    manager = await api.as('manager');
  });
  afterAll(() => api?.close());

  const found = async (query: string) => {
    const response = await manager.get(`/search/messages?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items as Hit[];
  };

  it("should find only conversations whose contact has a deal in the stage, and name each hit's contact", async () => {
    const { channelId } = await newTeamWithChannel(api);
    const word = `подоконник${randomBytes(3).toString('hex').replace(/\d/g, 'щ')}`;
    const inProposal = (await visitorWrites(api, channelId, `Пришлите смету на ${word}`)).conversation;
    const early = (await visitorWrites(api, channelId, `Интересует ${word}`)).conversation;
    const noDeal = (await visitorWrites(api, channelId, `Просто ${word}`)).conversation;
    const salesId = String(pipelines.sales!._id);
    for (const conversation of [inProposal, early]) {
      const deal = await manager.post('/deals', {
        title: `Окна ${word}`,
        pipelineId: salesId,
        contactId: conversation.contactId,
      });
      expect(deal.status, JSON.stringify(deal.body)).toBe(201);
      if (conversation === inProposal)
        expect((await manager.post(`/deals/${deal.body.id}/move`, { stageId: 'proposal-sent' })).status).toBe(200);
    }

    const q = encodeURIComponent(word);
    expect((await found(`q=${q}`)).map((hit) => hit.conversation.id).sort()).toEqual(
      [inProposal.id, early.id, noDeal.id].sort(),
    );
    const proposal = await found(`q=${q}&stageId=proposal-sent&pipelineId=${salesId}`);
    expect(proposal.map((hit) => hit.conversation.id)).toEqual([inProposal.id]);
    expect(proposal[0]!.conversation.contactName).toBe('Посетитель сайта');
    expect((await found(`q=${q}&stageId=data-collection`)).map((hit) => hit.conversation.id)).toEqual([early.id]);
    expect(await found(`q=${q}&stageId=no-such-stage`)).toEqual([]);
    expect((await manager.get(`/search/messages?q=${q}&pipelineId=nope`)).status).toBe(400);
  });
});
