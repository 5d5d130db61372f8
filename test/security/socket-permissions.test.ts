import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VISITOR_NAMESPACE } from '../../bot/webchat/visitor-events.js';
import { newVisitorId } from '../../bot/webchat/visitor-id.js';
import { visitorRoom } from '../../bot/webchat/visitor-room.js';
import { authModels } from '../../server/auth/auth-models.js';
import { conversationModel, type ConversationRecord } from '../../server/messaging/conversation-model.js';
import { conversationIsVisible } from '../../server/messaging/find-visible-conversation.js';
import { userRoom } from '../../server/realtime/inbox-rooms.js';
import { createRealtimePublisher, type RealtimePublisher } from '../../server/realtime/realtime-publisher.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { newMember, newTeamWithChannel, visitorWrites } from '../api/inbox-fixture.js';
import { waitUntil } from '../wait-until.js';

const SITE = 'https://inbox-tests.example';
const SIGN_IN_FIRST = 'Sign in to the inbox first';
const SENTINEL = 'test.sentinel';
/** The conversation pushes of the inbox: each must reach exactly those who may see the conversation. */
const CONVERSATION_EVENTS = ['message.created', 'conversation.updated', 'note.created', 'typing'] as const;

/** What a push is about: its conversation (inbox pushes) or its text (widget messages, sentinels). */
const pushSchema = z.object({
  conversationId: z.string().optional(),
  conversation: z.object({ id: z.string() }).optional(),
  text: z.string().optional(),
});
const historySchema = z.object({ ok: z.literal(true), messages: z.array(z.object({ text: z.string().optional() })) });
const messagesSchema = z.object({ items: z.array(z.object({ content: z.object({ text: z.string().optional() }) })) });

/** Everything a socket hears from now on, per event: what each push was about. */
class Ear {
  private readonly heard = new Map<string, string[]>();

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => {
      const push = pushSchema.safeParse(payload).data;
      const about = push?.conversationId ?? push?.conversation?.id ?? push?.text ?? '';
      this.heard.set(event, [...this.of(event), about]);
    });
  }

  of(event: string): string[] {
    return this.heard.get(event) ?? [];
  }

  events(): string[] {
    return [...this.heard.keys()];
  }

  /** The conversation pushes heard about one conversation. */
  pushesAbout(conversationId: string): string[] {
    return CONVERSATION_EVENTS.filter((event) => this.of(event).includes(conversationId));
  }
}

/**
 * The permission matrix over sockets, on the real app (embedded store, Redis, Socket.IO): who may
 * open `/inbox`, which conversation pushes reach whom (against the visibility rule the REST API
 * applies, and against its answers), which client events are relayed, what a site chat widget on
 * `/visitor` can reach, and what a deactivation does to an open socket.
 */
describe('socket permissions', () => {
  let api: TestApi;
  let sentinels: RealtimePublisher;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    // A worker's publisher, through Redis: it reaches a socket after all the web process pushed to it before.
    sentinels = createRealtimePublisher(undefined, api.app.services.redis);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await api?.close();
  });

  function open(
    namespace: string,
    options: { cookie?: string; origin?: string; auth?: Record<string, unknown> } = {},
  ): Socket {
    const socket = connect(`${api.baseUrl}${namespace}`, {
      extraHeaders: {
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      },
      auth: options.auth ?? {},
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return socket;
  }

  /** How the handshake ends: connected, or refused with a message (and, from the widget's namespace, a code). */
  function outcome(socket: Socket): Promise<{ connected: boolean; message?: string; code?: unknown }> {
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ connected: true }));
      socket.once('connect_error', (error: Error & { data?: { code?: unknown } }) =>
        resolve({ connected: false, message: error.message, ...(error.data ? { code: error.data.code } : {}) }),
      );
    });
  }

  async function inboxEar(client: ApiClient): Promise<Ear> {
    const socket = open('/inbox', { cookie: client.cookie });
    expect(await outcome(socket)).toEqual({ connected: true });
    return new Ear(socket);
  }

  /**
   * Waits until each ear hears a sentinel sent to its own room after the pushes under test: a
   * socket gets its packets in order, so what it has not heard by then was never sent to it.
   */
  async function settle(ears: { ear: Ear; namespace: '/inbox' | '/visitor'; room: string }[]): Promise<void> {
    const text = randomBytes(4).toString('hex');
    for (const { namespace, room } of ears) sentinels.emit(namespace, [room], SENTINEL, { text });
    await waitUntil('every socket hears its sentinel', () =>
      ears.every(({ ear }) => ear.of(SENTINEL).includes(text)) ? true : undefined,
    );
  }

  const settleInbox = (pairs: [Ear, ApiClient][]) =>
    settle(pairs.map(([ear, client]) => ({ ear, namespace: '/inbox' as const, room: userRoom(client.user!.id) })));

  describe('the /inbox handshake', () => {
    it('should refuse a socket without a session or with a forged, expired or signed-out cookie, which hears nothing', async () => {
      const { teamId, channelId } = await newTeamWithChannel(api);
      const expired = await newMember(api, 'operator', [teamId]);
      await authModels(api.db).Session.updateMany(
        { userId: new Types.ObjectId(expired.user!.id) },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      );
      const signedOut = await newMember(api, 'operator', [teamId]);
      const signedOutCookie = signedOut.cookie;
      expect((await signedOut.post('/auth/logout')).status).toBeLessThan(300);
      const refused = [
        open('/inbox'),
        open('/inbox', { cookie: `sid=${randomBytes(32).toString('base64url')}` }),
        open('/inbox', { cookie: 'sid=%E0%A4%A' }),
        open('/inbox', { cookie: expired.cookie }),
        open('/inbox', { cookie: signedOutCookie }),
      ];
      for (const result of await Promise.all(refused.map(outcome))) {
        expect(result).toEqual({ connected: false, message: SIGN_IN_FIRST });
      }
      const ears = refused.map((socket) => new Ear(socket));

      const witness = await inboxEar(await newMember(api, 'operator', [teamId]));
      const { conversation } = await visitorWrites(api, channelId, 'это слышат только свои');
      await waitUntil('a signed-in colleague hears the message', () =>
        witness.of('message.created').includes(conversation.id) ? true : undefined,
      );
      for (const ear of ears) expect(ear.events()).toEqual([]);
    });

    it('should take an API token only with the conversations.read scope', async () => {
      const operator = await api.as('operator');
      const tokenWith = async (scopes: string[]) => {
        const created = await operator.post('/auth/tokens', { name: `socket ${scopes.join(' ')}`, scopes });
        expect(created.status).toBe(201);
        return String(created.body.token);
      };
      const withToken = (token: string) => outcome(open('/inbox', { auth: { token } }));
      expect(await withToken(await tokenWith(['contacts.read']))).toEqual({ connected: false, message: SIGN_IN_FIRST });
      expect(await withToken(`fit_${randomBytes(24).toString('hex')}`)).toEqual({
        connected: false,
        message: SIGN_IN_FIRST,
      });
      expect(await withToken(await tokenWith(['conversations.read']))).toEqual({ connected: true });
    });

    it("should refuse the session cookie from another page of the same site, and take it from the inbox's own", async () => {
      const { cookie } = await api.as('operator');
      const { hostname, port } = new URL(api.baseUrl);
      // What a browser sends from the company's website or another app on the host: the cookie goes along (same site).
      for (const origin of ['https://www.company-site.example', `http://${hostname}:${Number(port) + 1}`, 'null']) {
        expect(await outcome(open('/inbox', { cookie, origin })), origin).toEqual({
          connected: false,
          message: "The inbox's realtime channel is open to the inbox's own pages only",
        });
      }
      // The page the socket was asked from (the dev server's proxy), the public URL, and a client that is no browser.
      for (const origin of [api.baseUrl, api.app.config.publicUrl, undefined]) {
        expect(await outcome(open('/inbox', { cookie, origin })), origin).toEqual({ connected: true });
      }
    });
  });

  describe('conversation pushes', () => {
    const people = ['admin', 'manager', 'operatorA', 'colleagueA', 'operatorB', 'marketerA'] as const;
    type Person = (typeof people)[number];
    type Fixture = 'teamA' | 'assignedInB' | 'noTeam' | 'onlyOperatorA';
    const clients = {} as Record<Person, ApiClient>;
    const conversations = {} as Record<Fixture, { id: string; write: () => Promise<unknown> }>;
    let teamA: string;
    let teamB: string;

    beforeAll(async () => {
      const [a, b] = [await newTeamWithChannel(api), await newTeamWithChannel(api)];
      teamA = a.teamId;
      teamB = b.teamId;
      clients.admin = await api.as('admin');
      clients.manager = await api.as('manager');
      clients.operatorA = await newMember(api, 'operator', [a.teamId]);
      clients.colleagueA = await newMember(api, 'operator', [a.teamId]);
      clients.operatorB = await newMember(api, 'operator', [b.teamId]);
      clients.marketerA = await newMember(api, 'marketer', [a.teamId]);
      const change = async (id: string, body: unknown) =>
        expect((await clients.admin.patch(`/conversations/${id}`, body)).status).toBe(200);
      const noTeam = await clients.admin.post('/channels', {
        type: 'webchat',
        name: 'Без команды',
        allowedOrigins: [SITE],
      });
      expect(noTeam.status).toBe(201);
      const start = async (channelId: string) => {
        const { conversation, visitorId } = await visitorWrites(api, channelId, 'здравствуйте');
        return { id: conversation.id, write: () => visitorWrites(api, channelId, 'ещё вопрос', visitorId) };
      };
      conversations.teamA = await start(a.channelId);
      conversations.assignedInB = await start(b.channelId);
      await change(conversations.assignedInB.id, { assigneeId: clients.operatorB.user!.id });
      conversations.noTeam = await start(noTeam.body.id);
      // Given to operator A through team A, then taken out of every team: theirs alone.
      conversations.onlyOperatorA = await start(noTeam.body.id);
      await change(conversations.onlyOperatorA.id, { teamId: a.teamId });
      await change(conversations.onlyOperatorA.id, { assigneeId: clients.operatorA.user!.id });
      await change(conversations.onlyOperatorA.id, { teamId: null });
    });

    async function earsOfEveryone(): Promise<Record<Person, Ear>> {
      const ears = {} as Record<Person, Ear>;
      for (const person of people) ears[person] = await inboxEar(clients[person]);
      return ears;
    }

    const settleEveryone = (ears: Record<Person, Ear>) =>
      settleInbox(people.map((person) => [ears[person], clients[person]]));

    it('should push messages, changes, notes and typing to exactly those the REST API lets see the conversation', async () => {
      const ears = await earsOfEveryone();
      for (const { id, write } of Object.values(conversations)) {
        await write();
        expect((await clients.admin.patch(`/conversations/${id}`, { priority: 'high' })).status).toBe(200);
        expect((await clients.admin.post(`/conversations/${id}/notes`, { text: 'заметка' })).status).toBe(201);
        ears.admin.socket.emit('typing', { conversationId: id, typing: true });
      }
      // The positive control: the admin sees every conversation, so hears every push of each.
      await waitUntil('the admin hears every push', () =>
        Object.values(conversations).every(({ id }) => ears.admin.pushesAbout(id).length === CONVERSATION_EVENTS.length)
          ? true
          : undefined,
      );
      await settleEveryone(ears);

      const visiblePairs: string[] = [];
      for (const person of people) {
        const { id: userId, name, email, role, teamIds } = clients[person].user!;
        for (const [fixture, { id }] of Object.entries(conversations)) {
          const record = await conversationModel(api.db).findById(id).lean<ConversationRecord>();
          const visible = await conversationIsVisible(
            api.app.services,
            { id: userId, name, email, role, teamIds },
            record!,
          );
          expect((await clients[person].get(`/conversations/${id}`)).status, `${person} GET ${fixture}`).toBe(
            visible ? 200 : 404,
          );
          expect(ears[person].pushesAbout(id), `${person} hears ${fixture}`).toEqual(
            visible ? [...CONVERSATION_EVENTS] : [],
          );
          if (visible) visiblePairs.push(`${person}:${fixture}`);
        }
      }
      // The fixtures reach every branch of the rule: sees everything, the team's, the assignee's, none.
      expect(visiblePairs.sort()).toEqual(
        [
          ...Object.keys(conversations).flatMap((fixture) => [`admin:${fixture}`, `manager:${fixture}`]),
          'colleagueA:teamA',
          'marketerA:teamA',
          'operatorA:onlyOperatorA',
          'operatorA:teamA',
          'operatorB:assignedInB',
        ].sort(),
      );
    });

    it('should relay typing only from those who may see and answer the conversation, and let no client join a room', async () => {
      const ears = await earsOfEveryone();
      const { teamA: ofTeamA, assignedInB } = conversations;
      for (const event of ['join', 'subscribe', 'conversation.join'])
        ears.operatorB.socket.emit(event, 'inbox:all', { conversationId: ofTeamA.id });
      // Refused: operator B may not see it; the marketer sees it but does not answer conversations.
      ears.operatorB.socket.emit('typing', { conversationId: ofTeamA.id, typing: true });
      ears.marketerA.socket.emit('typing', { conversationId: ofTeamA.id, typing: true });
      // The positive controls, after the refused ones on the same sockets.
      ears.operatorB.socket.emit('typing', { conversationId: assignedInB.id, typing: true });
      ears.operatorA.socket.emit('typing', { conversationId: ofTeamA.id, typing: true });
      await waitUntil('the manager hears both allowed typists', () =>
        [assignedInB.id, ofTeamA.id].every((id) => ears.manager.of('typing').includes(id)) ? true : undefined,
      );
      await ofTeamA.write();
      await waitUntil('operator A hears the next message', () =>
        ears.operatorA.of('message.created').includes(ofTeamA.id) ? true : undefined,
      );
      await settleEveryone(ears);

      // Operator A's typing alone reached each who sees team A's conversation.
      for (const person of ['admin', 'manager', 'operatorA', 'colleagueA', 'marketerA'] as const) {
        expect(
          ears[person].of('typing').filter((id) => id === ofTeamA.id),
          person,
        ).toHaveLength(1);
      }
      expect(ears.operatorB.of('typing')).toEqual([assignedInB.id]);
      expect(ears.operatorB.of('message.created')).toEqual([]);
    });

    it('should move an operator’s socket to the rooms of a new team when an admin changes their teams', async () => {
      const moving = await newMember(api, 'operator', [teamA]);
      const ear = await inboxEar(moving);
      const closed = new Promise<string>((resolve) => ear.socket.once('disconnect', resolve));
      expect((await clients.admin.patch(`/users/${moving.user!.id}`, { teamIds: [teamB] })).status).toBe(200);
      expect(await closed).toBe('io server disconnect');
      // As the inbox does: straight back, with the session it still has, into team B's rooms.
      ear.socket.connect();
      await waitUntil('the moved operator is connected again', () => (ear.socket.connected ? true : undefined));
      await conversations.teamA.write();
      await conversations.assignedInB.write();
      await waitUntil('the moved operator hears team B’s conversation', () =>
        ear.of('message.created').includes(conversations.assignedInB.id) ? true : undefined,
      );
      await settleInbox([[ear, moving]]);
      expect(ear.pushesAbout(conversations.teamA.id)).toEqual([]);
    });

    describe('a deactivated operator', () => {
      let leaving: ApiClient;
      let leavingEar: Ear;
      let witness: Ear;

      it('should be signed out of REST and refused a new socket at once', async () => {
        leaving = await newMember(api, 'operator', [teamA]);
        [leavingEar, witness] = [await inboxEar(leaving), await inboxEar(clients.colleagueA)];
        const cookie = leaving.cookie;
        expect((await leaving.get(`/conversations/${conversations.teamA.id}`)).status).toBe(200);
        expect((await clients.admin.patch(`/users/${leaving.user!.id}`, { active: false })).status).toBe(200);
        expect((await leaving.get(`/conversations/${conversations.teamA.id}`)).status).toBe(401);
        expect(await outcome(open('/inbox', { cookie }))).toEqual({ connected: false, message: SIGN_IN_FIRST });
      });

      it('should lose the socket opened before: closed by the server and refused as signed out when it comes back', async () => {
        // The deactivation above closed it (in every web process, through the Redis adapter).
        await waitUntil('the server closed the leaving operator’s socket', () =>
          leavingEar.socket.connected ? undefined : true,
        );
        await conversations.teamA.write();
        await waitUntil('the colleague hears the message', () =>
          witness.of('message.created').includes(conversations.teamA.id) ? true : undefined,
        );
        expect(leavingEar.pushesAbout(conversations.teamA.id)).toEqual([]);
        // The inbox reconnects a socket the server closed; without a session it is told to sign in.
        const refused = new Promise<{ message: string; signedOut?: boolean }>((resolve) =>
          leavingEar.socket.once('connect_error', (error: Error & { data?: { signedOut?: boolean } }) =>
            resolve({ message: error.message, signedOut: error.data?.signedOut }),
          ),
        );
        leavingEar.socket.connect();
        expect(await refused).toEqual({ message: SIGN_IN_FIRST, signedOut: true });
      });
    });
  });

  describe('the /visitor namespace', () => {
    let channelA: string;
    let channelB: string;
    let operatorA: ApiClient;
    let operatorB: ApiClient;

    beforeAll(async () => {
      const [a, b] = [await newTeamWithChannel(api), await newTeamWithChannel(api)];
      [channelA, channelB] = [a.channelId, b.channelId];
      operatorA = await newMember(api, 'operator', [a.teamId]);
      operatorB = await newMember(api, 'operator', [b.teamId]);
    });

    async function widget(channelId: string, visitorId?: string): Promise<{ ear: Ear; visitorId: string }> {
      const socket = open(VISITOR_NAMESPACE, {
        origin: SITE,
        auth: { channelId, locale: 'ru', ...(visitorId ? { visitorId } : {}) },
      });
      const session = await new Promise<{ visitorId: string }>((resolve, reject) => {
        socket.once('session', resolve);
        socket.once('connect_error', reject);
      });
      return { ear: new Ear(socket), visitorId: session.visitorId };
    }

    const historyOf = async (socket: Socket) =>
      historySchema.parse(await socket.emitWithAck('history', {})).messages.map((message) => message.text);

    const storedTexts = async (conversationId: string) =>
      messagesSchema
        .parse((await (await api.as('admin')).get(`/conversations/${conversationId}/messages`)).body)
        .items.map((message) => message.content.text);

    async function conversationOf(channelId: string, visitorId: string): Promise<string> {
      const found = await conversationModel(api.db)
        .findOne({ channelAccountId: new Types.ObjectId(channelId), chatId: visitorId })
        .lean<ConversationRecord>();
      if (!found) throw new Error(`No conversation of ${visitorId}`);
      return found._id.toHexString();
    }

    it("should deliver a visitor's conversation, replies and typing to that visitor's widgets only", async () => {
      const visitorId = newVisitorId();
      const [tab, otherTab] = [await widget(channelA, visitorId), await widget(channelA, visitorId)];
      const stranger = await widget(channelA);
      const sameIdOtherChannel = await widget(channelB, visitorId);
      const [teamAEar, teamBEar] = [await inboxEar(operatorA), await inboxEar(operatorB)];
      const sent = await tab.ear.socket.emitWithAck('message', {
        clientMessageId: randomBytes(8).toString('hex'),
        text: 'от посетителя',
      });
      expect(sent).toMatchObject({ ok: true });
      const id = await conversationOf(channelA, visitorId);
      expect((await (await api.as('admin')).post(`/conversations/${id}/messages`, { text: 'ответ' })).status).toBe(202);
      teamAEar.socket.emit('typing', { conversationId: id, typing: true });
      tab.ear.socket.emit('typing', { typing: true });
      await waitUntil('both tabs show the reply and the typing, and team A sees the visitor type', () =>
        [tab, otherTab].every(({ ear }) => ear.of('message').includes('ответ') && ear.of('typing').length > 0) &&
        teamAEar.of('typing').filter((about) => about === id).length === 2
          ? true
          : undefined,
      );
      expect(otherTab.ear.of('message')).toContain('от посетителя');
      await settle([
        { ear: stranger.ear, namespace: '/visitor', room: visitorRoom(channelA, stranger.visitorId) },
        { ear: sameIdOtherChannel.ear, namespace: '/visitor', room: visitorRoom(channelB, visitorId) },
      ]);
      await settleInbox([[teamBEar, operatorB]]);

      for (const { ear } of [stranger, sameIdOtherChannel]) {
        expect(ear.of('message')).toEqual([]);
        expect(ear.of('typing')).toEqual([]);
      }
      expect(teamBEar.pushesAbout(id)).toEqual([]);
      expect(await historyOf(tab.ear.socket)).toEqual(expect.arrayContaining(['от посетителя', 'ответ']));
      expect(await historyOf(stranger.ear.socket)).toEqual([]);
      expect(await historyOf(sameIdOtherChannel.ear.socket)).toEqual([]);
    });

    it('should keep a widget to its own conversation whatever id it claims or sends', async () => {
      // A conversation whose chat id the widget never issued (short, guessable): no widget may take it over.
      const { conversation: taken, visitorId: guessable } = await visitorWrites(api, channelA, 'чужая история');
      const claiming = await widget(channelA, guessable);
      expect(claiming.visitorId).not.toBe(guessable);
      expect(await historyOf(claiming.ear.socket)).toEqual([]);

      const smuggled = await claiming.ear.socket.emitWithAck('message', {
        clientMessageId: randomBytes(8).toString('hex'),
        text: 'в чужой разговор',
        conversationId: taken.id,
        visitorId: guessable,
      });
      expect(smuggled).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      const own = await claiming.ear.socket.emitWithAck('message', {
        clientMessageId: randomBytes(8).toString('hex'),
        text: 'в свой разговор',
      });
      expect(own).toMatchObject({ ok: true });
      const takenTexts = await storedTexts(taken.id);
      expect(takenTexts).toContain('чужая история');
      expect(takenTexts).not.toContain('в свой разговор');
      expect(takenTexts).not.toContain('в чужой разговор');
      expect(await storedTexts(await conversationOf(channelA, claiming.visitorId))).toContain('в свой разговор');
    });

    it('should refuse a widget on a site the channel does not allow, or of a channel that does not exist', async () => {
      const wrongSite = open(VISITOR_NAMESPACE, { origin: 'https://evil.example', auth: { channelId: channelA } });
      expect(await outcome(wrongSite)).toMatchObject({ connected: false, code: 'origin_not_allowed' });
      const noSite = open(VISITOR_NAMESPACE, { auth: { channelId: channelA } });
      expect(await outcome(noSite)).toMatchObject({ connected: false, code: 'origin_not_allowed' });
      const unknown = new Types.ObjectId().toHexString();
      const noChannel = open(VISITOR_NAMESPACE, { origin: SITE, auth: { channelId: unknown } });
      expect(await outcome(noChannel)).toMatchObject({ connected: false, code: 'unknown_channel' });
    });
  });
});
