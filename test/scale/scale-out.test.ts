import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';
import { waitUntil } from '../wait-until.js';
import { ScaleCluster, type ClusterProcess } from './scale-cluster.js';
import { inboxSocket, listen, logIn, PASSWORD, setUpFirstAdmin, type Heard, type Person } from './scale-clients.js';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer.js';
import { watchInbox } from './watched-inbox.js';

/**
 * Scale-out (issue 13): two web processes and two workers against one store (its own process)
 * and one Redis, as docker-compose runs them. A message that arrives at one web process reaches
 * operators connected to the other (the Socket.IO Redis adapter), a worker's push reaches sockets
 * on both (the Redis emitter), and each queued reply is sent by one worker only.
 */

interface ConversationPush {
  conversation: { id: string; status: string };
}

interface MessagePush {
  message: { id: string; conversationId: string; direction: string; status: string; content: { text?: string } };
  conversation?: { id: string };
}

/** socket.io-client's longest first retry: reconnectionDelay 1000 ms × (1 + randomizationFactor 0.5). */
const FIRST_RETRY_MS = 1500;
/** A new connection's handshake and session lookup, with room for a loaded 2-core machine. */
const HANDSHAKE_MS = 2000;
const WEBHOOK_SECRET = 'scale-out-webhook-secret';
const webAUrl = () => `http://127.0.0.1:${processes.webA.port}`;
const webBUrl = () => `http://127.0.0.1:${processes.webB.port}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const processes = {} as { webA: ClusterProcess; webB: ClusterProcess };
let cluster: ScaleCluster;
let telegram: TelegramBotApiStandIn;
let webEnv: Record<string, string>;
/** One pass-through in front of Telegram per worker: which worker sent what. */
let senders: TcpBalancer[] = [];
let channelId: string;
let operator: Person;
let colleague: Person;
const sockets: Socket[] = [];
let nextUpdate = 1;

/** A Telegram update as the Bot API posts it (https://core.telegram.org/bots/api#update). */
async function clientWrites(via: string, chatId: number, text: string, updateId = nextUpdate++): Promise<number> {
  const response = await fetch(`${via}/hooks/telegram/${channelId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify({
      update_id: updateId,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: `Клиент ${chatId}` },
        from: { id: chatId, is_bot: false, first_name: `Клиент ${chatId}` },
        text,
      },
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

const textOf = (heard: { payload: MessagePush }) => heard.payload.message.content.text;

beforeAll(async () => {
  telegram = await startTelegramBotApi();
  const telegramPort = Number(new URL(telegram.apiRoot).port);
  senders = await Promise.all([1, 2].map(() => startTcpBalancer(() => [telegramPort])));
  webEnv = { TELEGRAM_API_ROOT: telegram.apiRoot };
  cluster = await ScaleCluster.start();
  // Web B starts while web A gets the installation ready: cold starts take a while.
  const webB = cluster.startWeb('web B', webEnv);
  webB.catch(() => undefined);
  processes.webA = await cluster.startWeb('web A', webEnv);

  const admin = await setUpFirstAdmin(webAUrl());
  const team = await admin.request(webAUrl(), 'POST', '/teams', { name: 'Продажи' });
  expect(team.status).toBe(201);
  for (const email of ['operator@scale.test', 'colleague@scale.test']) {
    const user = { name: email, email, password: PASSWORD, role: 'operator', teamIds: [team.body.id] };
    expect((await admin.request(webAUrl(), 'POST', '/users', user)).status).toBe(201);
  }
  const channel = await admin.request(webAUrl(), 'POST', '/channels', {
    type: 'telegram',
    name: 'Бот продаж',
    token: telegram.token,
    webhookSecret: WEBHOOK_SECRET,
    teamIds: [team.body.id],
    ratePerSecond: 100,
  });
  expect(channel.status).toBe(201);
  channelId = channel.body.id;
  // Workers after the channel: a worker started before it would take its outbound queue only at its next check (10 s).
  const workers = Promise.all(
    senders.map((sender, index) => cluster.startWorker(`worker ${index + 1}`, { TELEGRAM_API_ROOT: sender.url })),
  );
  workers.catch(() => undefined);
  processes.webB = await webB;
  [operator, colleague] = await Promise.all([
    logIn(webBUrl(), 'operator@scale.test'),
    logIn(webAUrl(), 'colleague@scale.test'),
  ]);
  await workers;
}, 240_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await cluster?.close();
  await Promise.all(senders.map((sender) => sender.close()));
  await telegram?.close();
}, 60_000);

/** A process's JSON log as one short line per entry (time, level, message, error type), for a failure's message. */
function logSummary(output: string): string {
  return output
    .split('\n')
    .flatMap((line) => {
      try {
        const entry = JSON.parse(line) as { time?: number; level?: number; msg?: string; err?: { type?: string } };
        return [`${entry.time ?? ''} ${entry.level ?? ''} ${entry.msg ?? ''} ${entry.err?.type ?? ''}`];
      } catch {
        return [];
      }
    })
    .slice(-60)
    .join('\n');
}

describe('scale-out across processes', () => {
  it("should bring a message that arrived at web A to an operator on web B, and a worker's status to both", async () => {
    const onB = await inboxSocket(webBUrl(), operator);
    const onA = await inboxSocket(webAUrl(), colleague);
    sockets.push(onB, onA);
    const [createdOnB, createdOnA] = [
      listen<MessagePush>(onB, 'message.created'),
      listen<MessagePush>(onA, 'message.created'),
    ];
    const [updatedOnB, updatedOnA] = [
      listen<MessagePush>(onB, 'message.updated'),
      listen<MessagePush>(onA, 'message.updated'),
    ];

    expect(await clientWrites(webAUrl(), 5_100_001, 'Здравствуйте, нужны окна на дачу')).toBe(200);
    const inbound = await waitUntil('the operator on web B to hear the message', () =>
      createdOnB.find((heard) => textOf(heard) === 'Здравствуйте, нужны окна на дачу'),
    );
    expect(createdOnA.map(textOf)).toContain('Здравствуйте, нужны окна на дачу');

    // The operator answers through web B; a worker sends it and marks it sent, which only Redis carries back.
    const conversationId = inbound.payload.message.conversationId;
    const reply = await operator.request(webBUrl(), 'POST', `/conversations/${conversationId}/messages`, {
      text: 'Добрый день! Какой размер окон?',
    });
    expect(reply.status).toBe(202);
    const sentOn = (heard: typeof updatedOnA) =>
      heard.find((item) => item.payload.message.id === reply.body.id && item.payload.message.status === 'sent');
    await waitUntil('the sent status on web B', () => sentOn(updatedOnB));
    await waitUntil('the sent status on web A', () => sentOn(updatedOnA));
    expect(telegram.sent().filter((sent) => sent.text === 'Добрый день! Какой размер окон?')).toHaveLength(1);
    expect(createdOnA.map(textOf)).toContain('Добрый день! Какой размер окон?');
  }, 90_000);

  it('should wake a snoozed conversation once, from a worker, on the screens of both processes', async () => {
    const onB = await inboxSocket(webBUrl(), operator);
    const onA = await inboxSocket(webAUrl(), colleague);
    sockets.push(onB, onA);
    const created = listen<MessagePush>(onA, 'message.created');
    const [updatedOnA, updatedOnB] = [
      listen<ConversationPush>(onA, 'conversation.updated'),
      listen<ConversationPush>(onB, 'conversation.updated'),
    ];
    expect(await clientWrites(webBUrl(), 5_150_001, 'Перезвоните мне завтра')).toBe(200);
    const { conversationId } = (
      await waitUntil('the message', () => created.find((heard) => textOf(heard) === 'Перезвоните мне завтра'))
    ).payload.message;

    // A delayed job in Redis: whichever worker takes it when it is due opens the conversation again.
    const snoozedUntil = new Date(Date.now() + 2000).toISOString();
    const snoozed = await operator.request(webAUrl(), 'PATCH', `/conversations/${conversationId}`, {
      status: 'snoozed',
      snoozedUntil,
    });
    expect(snoozed.status).toBe(200);
    const woken = (heard: Heard<ConversationPush>[]) =>
      heard.filter(
        (item) => item.payload.conversation.id === conversationId && item.payload.conversation.status === 'open',
      );
    const wokenBefore = [woken(updatedOnA).length, woken(updatedOnB).length];
    await waitUntil('web A to show it open again', () =>
      woken(updatedOnA).length > wokenBefore[0]! ? true : undefined,
    );
    await waitUntil('web B to show it open again', () =>
      woken(updatedOnB).length > wokenBefore[1]! ? true : undefined,
    );
    await sleep(1500);
    expect([woken(updatedOnA).length, woken(updatedOnB).length]).toEqual(wokenBefore.map((count) => count + 1));
    const stored = await operator.request(webBUrl(), 'GET', `/conversations/${conversationId}`);
    expect(stored.body.status).toBe('open');
  }, 90_000);

  it('should send each of many queued replies exactly once though two workers take the jobs', async () => {
    const chats = [5_200_001, 5_200_002, 5_200_003, 5_200_004, 5_200_005, 5_200_006];
    const watcher = await inboxSocket(webAUrl(), colleague);
    sockets.push(watcher);
    const created = listen<MessagePush>(watcher, 'message.created');
    for (const [index, chatId] of chats.entries()) {
      expect(await clientWrites(index % 2 ? webBUrl() : webAUrl(), chatId, `Сколько стоит монтаж? ${chatId}`)).toBe(
        200,
      );
    }
    const conversationIds = await waitUntil('every conversation to show up', () => {
      const ids = chats.map(
        (chatId) => created.find((heard) => textOf(heard) === `Сколько стоит монтаж? ${chatId}`)?.payload.message,
      );
      return ids.every(Boolean) ? ids.map((message) => message!.conversationId) : undefined;
    });
    const linesBefore = senders.map((sender) => sender.requestLines().length);
    const sentBefore = telegram.sent().length;

    const texts: string[] = [];
    // Seven rounds of one reply per conversation, each round sent at once, half through each web process.
    for (let round = 0; round < 7; round++) {
      const replies = conversationIds.map((conversationId, index) => {
        const text = `Ответ ${round + 1} в разговор ${index + 1}`;
        texts.push(text);
        const via = (round + index) % 2 ? webBUrl() : webAUrl();
        return operator.request(via, 'POST', `/conversations/${conversationId}/messages`, { text });
      });
      for (const reply of await Promise.all(replies)) expect(reply.status).toBe(202);
    }

    await waitUntil(
      'every reply to reach Telegram',
      () => (telegram.sent().length >= sentBefore + texts.length ? true : undefined),
      60_000,
    );
    // A little longer: a job taken by both workers would show up now as a second send.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = telegram
      .sent()
      .slice(sentBefore)
      .map((record) => record.text);
    expect(sent.toSorted()).toEqual(texts.toSorted());
    const byWorker = senders.map(
      (sender, index) =>
        sender
          .requestLines()
          .slice(linesBefore[index])
          .filter((line) => /\/sendMessage$/i.test(line)).length,
    );
    // Both took part, and between them asked Telegram once per reply.
    expect(byWorker.every((count) => count > 0)).toBe(true);
    expect(byWorker[0]! + byWorker[1]!).toBe(texts.length);
  }, 90_000);

  it('should keep every operator connected and told of every message while web A, then web B, restart', async () => {
    // Each operator's browser reaches "its" process through a balancer that fails over to the other
    // (nginx's ip_hash with proxy_next_upstream); the provider's webhooks go round robin.
    const ports = () => [processes.webA.port, processes.webB.port];
    const toA = await startTcpBalancer(() => ports());
    const toB = await startTcpBalancer(() => ports().reverse());
    let turn = 0;
    const provider = await startTcpBalancer(() => (turn++ % 2 ? ports() : ports().reverse()));
    const balancers = [toA, toB, provider];
    try {
      const watched = [await watchInbox(toA.url, operator), await watchInbox(toB.url, colleague)];
      sockets.push(...watched.map((inbox) => inbox.socket));

      // Telegram goes on posting through the deploy, and posts an update again until it gets its 200.
      const acknowledged: string[] = [];
      let posting = true;
      const posts = (async () => {
        for (let index = 1; posting; index++) {
          const text = `Сообщение во время выкладки ${index}`;
          const updateId = nextUpdate++;
          const chatId = 5_300_000 + (index % 3);
          while ((await clientWrites(provider.url, chatId, text, updateId).catch(() => 0)) !== 200) await sleep(200);
          acknowledged.push(text);
          await sleep(100);
        }
      })();

      const stops: { code: number | null; ms: number; output: string }[] = [];
      await sleep(1000);
      for (const name of ['webA', 'webB'] as const) {
        const old = processes[name];
        stops.push({ ...(await cluster.stop(old)), output: old.output() });
        processes[name] = await cluster.startWeb(`${old.name} (new)`, webEnv, old.port);
        await sleep(1000);
      }
      posting = false;
      await posts;

      for (const stop of stops) {
        // A process that stopped badly says why in its last lines.
        expect(stop.code, stop.code === 0 ? '' : logSummary(stop.output)).toBe(0);
        expect(stop.ms).toBeLessThan(10_000);
      }
      // Both processes served both operators at some time, so each of them lived through a restart.
      for (const balancer of [toA, toB]) expect(new Set(balancer.routed())).toEqual(new Set(ports()));
      for (const inbox of watched) {
        await waitUntil('the inbox to be connected', () => (inbox.down() ? undefined : true));
        await inbox.settled();
        expect(inbox.gaps.length).toBeGreaterThan(0);
        // The client's first retry comes after 1 s ± 50 % (socket.io-client's reconnectionDelay and
        // randomizationFactor); it must find a process: no gap longer than that and a handshake.
        expect(inbox.gaps.map((gap) => gap.attempts)).toEqual(inbox.gaps.map(() => 1));
        expect(Math.max(...inbox.gaps.map((gap) => gap.ms))).toBeLessThan(FIRST_RETRY_MS + HANDSHAKE_MS);
        const missed = acknowledged.filter((text) => !inbox.pushed.includes(text) && !inbox.reread.has(text));
        expect(missed).toEqual([]);
      }
      console.log(
        JSON.stringify({
          acknowledged: acknowledged.length,
          stops,
          gaps: watched.map((inbox) => inbox.gaps),
          pushed: watched.map((inbox) => acknowledged.filter((text) => inbox.pushed.includes(text)).length),
        }),
      );
    } finally {
      await Promise.all(balancers.map((balancer) => balancer.close()));
    }
  }, 300_000);
});
