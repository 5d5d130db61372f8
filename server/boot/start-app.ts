import { createServer, type Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import type { Server as SocketServer } from 'socket.io';
import type { Config } from '../config/config.js';
import { connectDatabase, type Database } from '../db/connect-database.js';
import { seedDemoChannels } from '../demo/seed-demo-channels.js';
import { seedDemoOnFirstStart } from '../demo/seed-demo-on-first-start.js';
import { connectDemoTelegramBots } from '../demo/telegram-sandbox/connect-demo-telegram-bots.js';
import { createDemoTelegramRouter } from '../demo/telegram-sandbox/demo-telegram-router.js';
import { createDemoTelegramSandbox, describeDemoTelegram } from '../demo/telegram-sandbox/demo-telegram.js';
import { createHttpApp } from '../http/create-http-app.js';
import type { ReadinessReport } from '../http/health-routes.js';
import type { Logger } from '../observability/logger.js';
import { Metrics } from '../observability/metrics.js';
import { QueueRegistry } from '../queues/queue-registry.js';
import { createRealtime } from '../realtime/create-realtime.js';
import { discoverRedis, type RedisEndpoint } from '../redis/discover-redis.js';
import { RedisConnections } from '../redis/redis-connections.js';
import { describeMongoUri, describeRedisUrl } from './describe-dependencies.js';
import { mountApi } from './mount-api.js';
import type { ApiServices } from '../api/api-services.js';
import { attachVisitorNamespace } from '../../bot/webchat/visitor-namespace.js';
import type { VisitorBackend } from '../../bot/webchat/visitor-backend.js';
import { createChannelRegistry } from '../../bot/channels/channel-registry.js';
import { ChannelAccounts } from '../channels/channel-accounts.js';
import { loadSecretsKey, SecretBox } from '../channels/secret-box.js';
import { DomainEvents } from '../events/domain-events.js';
import { createFileStore } from '../files/create-file-store.js';
import { FileLinkSigner } from '../files/signed-file-url.js';
import { createVisitorBackend } from '../messaging/create-visitor-backend.js';
import { InboundBatcher } from '../messaging/inbound-batcher.js';
import { createVisitorDelivery } from '../messaging/create-visitor-delivery.js';
import { relayOperatorTyping } from '../messaging/relay-operator-typing.js';
import { attachInboxNamespace } from '../realtime/inbox-namespace.js';
import { createRealtimePublisher } from '../realtime/realtime-publisher.js';
import { redisNamespace } from '../redis/redis-namespace.js';
import { pushDomainEvents } from '../realtime/push-domain-events.js';
import { autoAssignOnArrival } from '../messaging/auto-assign-conversation.js';
import { askForRatingOnResolve } from '../csat/ask-for-rating.js';
import { recordRatingsOnArrival } from '../csat/record-rating.js';
import { notifyAssigneeOnAssign } from '../notifications/notify-assignee.js';
import { takeRatingComments } from '../csat/take-rating-comment.js';
import { mountChannels } from './mount-channels.js';
import { startChannelWorkers } from './start-channel-workers.js';
import { installFlowTemplate } from '../flows/install-flow-template.js';
import { listenForFlowEvents } from '../flows/listen-for-flow-events.js';
import { startFlowWorkers } from '../flows/start-flow-workers.js';
import { answerAppointmentButtons } from '../appointments/answer-appointment-buttons.js';
import { listenForBroadcastEvents } from '../broadcasts/listen-for-broadcast-events.js';
import { startAppointmentWorkers } from '../appointments/start-appointment-workers.js';
import { createFrontDoorBot } from '../../bot/assistant/front-door/create-front-door-bot.js';

/** The port is taken: a message for the person starting the app. */
export class PortInUseError extends Error {
  constructor(port: number) {
    super(`Port ${port} is already in use (is the app already running?). Set PORT to another one.`);
    this.name = 'PortInUseError';
  }
}

export interface App {
  config: Config;
  /** Where the HTTP server listens (web role); undefined in a worker-only process. */
  port: number | undefined;
  database: Database;
  redis: RedisEndpoint;
  queues: QueueRegistry;
  /** What handlers and workers use: models, channels, files, domain events. */
  services: ApiServices;
  readiness(): Promise<ReadinessReport>;
  /** Graceful stop: no new requests, in-flight ones finish, sockets close, workers finish their job. */
  close(): Promise<void>;
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error),
    );
    server.listen(port, host, () => resolve());
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

/**
 * Starts one process of the app in its role: the HTTP server first (so /healthz answers and a
 * taken port fails fast), then the store, Redis, queues and realtime. Anything that fails on the
 * way is closed again before the error is thrown.
 */
export async function startApp(
  config: Config,
  logger: Logger,
  options: { inboxDir?: string; widgetDir?: string } = {},
): Promise<App> {
  const cleanups: (() => Promise<void>)[] = [];
  // What lets requests in (HTTP, then the realtime engine on it) closes first, so the requests
  // already in are answered while the store, Redis and the queues they need are still there.
  const frontDoor: (() => Promise<void>)[] = [];
  const closeAll = async (onError: (error: unknown) => void) => {
    for (const cleanup of [...[...frontDoor].reverse(), ...[...cleanups].reverse()]) {
      try {
        await cleanup();
      } catch (error) {
        onError(error);
      }
    }
  };
  let queues: QueueRegistry | undefined;
  let database: Database | undefined;
  let redis: RedisEndpoint | undefined;
  let connections: RedisConnections | undefined;
  let io: SocketServer | undefined;
  let stopping = false;
  let services: ApiServices | undefined;
  let visitorBackend: VisitorBackend | undefined;

  const readiness = async (): Promise<ReadinessReport> => {
    const report: ReadinessReport = { ready: false, role: config.ROLE };
    if (stopping) return { ...report, stopping: true };
    // Ready once everything is up, the demo seed included: until then requests would meet a half-built app.
    if (!database || !connections || !redis || !services) return { ...report, starting: true };
    const store = database.store
      ? { kind: 'embedded', address: database.store.uri, dataDir: join(config.dataDir, 'db') }
      : { kind: 'external', address: describeMongoUri(database.uri) };
    const redisInfo = { source: redis.source, address: describeRedisUrl(redis.url) };
    const [storeCheck, redisCheck] = await Promise.allSettled([
      withTimeout(database.mongoose.connection.db!.admin().ping(), 2000, 'the store'),
      withTimeout(connections.ping(), 2000, 'Redis'),
    ]);
    const problem = (r: PromiseSettledResult<unknown>) =>
      r.status === 'rejected' ? String(r.reason?.message ?? r.reason) : undefined;
    return {
      ready: storeCheck.status === 'fulfilled' && redisCheck.status === 'fulfilled',
      role: config.ROLE,
      store: { ...store, ok: storeCheck.status === 'fulfilled', error: problem(storeCheck) },
      redis: { ...redisInfo, ok: redisCheck.status === 'fulfilled', error: problem(redisCheck) },
    };
  };

  const metrics = new Metrics(async () => (queues ? queues.depths() : []));
  const telegramSandbox = createDemoTelegramSandbox(config);
  let httpServer: HttpServer | undefined;
  try {
    if (config.runsWeb) {
      const app = createHttpApp({
        inboxDir: options.inboxDir,
        logger,
        metrics,
        readiness,
        metricsToken: config.METRICS_TOKEN,
        publicUrl: config.publicUrl,
        trustProxy: config.TRUST_PROXY,
        mount: (http) => {
          mountApi(http, () => services);
          http.use(createDemoTelegramRouter(() => services));
          mountChannels(
            http,
            () => services,
            () => visitorBackend,
            {
              widgetDir: options.widgetDir,
              publicUrl: config.publicUrl,
            },
          );
        },
      });
      // A keep-alive client (a balancer, a provider's retries) told to close its connection while
      // this process stops opens its next one to a process that is not stopping.
      httpServer = createServer((req, res) => {
        if (stopping) res.setHeader('Connection', 'close');
        app(req, res);
      });
      await listen(httpServer, config.PORT, config.HOST);
      const server = httpServer;
      frontDoor.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
            // Requests still running when the shutdown deadline nears are cut off by the caller.
          }),
      );
    }
    database = await connectDatabase({ uri: config.MONGODB_URI, dataDir: join(config.dataDir, 'db') });
    cleanups.push(() => database!.close());
    logger.info(
      { store: database.store ? `embedded (${join(config.dataDir, 'db')})` : describeMongoUri(database.uri) },
      'store connected',
    );
    const secretsKey = loadSecretsKey(config.CHANNEL_SECRETS_KEY, config.dataDir);
    redis = await discoverRedis({ configuredUrl: config.REDIS_URL, dataDir: config.dataDir });
    cleanups.push(() => redis!.stop());
    logger.info({ redis: describeRedisUrl(redis.url), source: redis.source }, 'redis connected');
    connections = new RedisConnections(redis.url, redisNamespace(secretsKey));
    cleanups.push(() => connections!.closeAll());
    queues = new QueueRegistry(connections, config.runsWorkers, logger);
    cleanups.push(() => queues!.close());
    if (httpServer) {
      io = createRealtime(httpServer, connections, metrics, logger);
      const realtime = io;
      // Closing the engine drops this process's sockets ("transport close"), which clients retry.
      // Not disconnectSockets(true): through the Redis adapter it would reach every process, and a
      // socket told "io server disconnect" never reconnects.
      frontDoor.push(async () => {
        realtime.engine.close();
      });
    }
    const publisher = createRealtimePublisher(io, connections);
    const db = database.mongoose.connection;
    const fileLinks = new FileLinkSigner(secretsKey);
    const listening = httpServer?.address();
    const demoTelegram = describeDemoTelegram(
      config,
      typeof listening === 'object' && listening ? listening : undefined,
      telegramSandbox,
    );
    if (telegramSandbox) cleanups.push(async () => telegramSandbox.close());
    const registry = createChannelRegistry({
      telegramApiRoot: config.TELEGRAM_API_ROOT,
      ...(demoTelegram ? { telegramSandboxApiRoot: demoTelegram.apiRoot } : {}),
      whatsappGraphUrl: config.WHATSAPP_GRAPH_URL,
      vkApiRoot: config.VK_API_ROOT,
      twilioApiRoot: config.TWILIO_API_ROOT,
      smsruApiRoot: config.SMSRU_API_ROOT,
      zadarmaApiRoot: config.ZADARMA_API_ROOT,
      publicUrl: config.publicUrl,
      visitors: createVisitorDelivery(db, publisher, fileLinks, config.publicUrl),
    });
    const ready: ApiServices = {
      db,
      redis: connections,
      logger,
      config,
      queues,
      channels: new ChannelAccounts(db, new SecretBox(secretsKey), registry),
      files: await createFileStore(config),
      fileLinks,
      events: new DomainEvents(logger),
      inbound: new InboundBatcher(() => ready),
      ...(demoTelegram ? { demoTelegram } : {}),
    };
    if (config.DEMO_DATA && (await seedDemoOnFirstStart(db, logger))) await seedDemoChannels(ready);
    if (config.DEMO_DATA) await installFlowTemplate(db, logger);
    pushDomainEvents(ready.events, publisher, ready);
    autoAssignOnArrival(ready.events, ready);
    askForRatingOnResolve(ready.events, ready);
    recordRatingsOnArrival(ready.events, ready);
    notifyAssigneeOnAssign(ready.events, ready);
    takeRatingComments(ready.events, ready);
    listenForFlowEvents(ready);
    answerAppointmentButtons(ready);
    listenForBroadcastEvents(ready);
    if (io) {
      attachInboxNamespace(
        io,
        () => services,
        (user, conversationId, typing) => relayOperatorTyping(ready, publisher, user, conversationId, typing),
      );
      visitorBackend = createVisitorBackend(() => services, io, publisher);
      attachVisitorNamespace(io, visitorBackend, {
        onError: (error, context) => logger.error({ err: error, ...context }, 'site chat request failed'),
      });
    }
    if (config.runsWorkers) {
      const channelWorkers = startChannelWorkers(ready);
      cleanups.push(() => channelWorkers.stop());
      const flowWorkers = startFlowWorkers(ready, createFrontDoorBot(ready));
      cleanups.push(() => flowWorkers.stop());
      const appointmentWorkers = startAppointmentWorkers(ready);
      cleanups.push(() => appointmentWorkers.stop());
    }
    services = ready;
    // After `services`: the sandbox delivers the bot's webhook to this very server, which answers once ready.
    await connectDemoTelegramBots(ready);
  } catch (error) {
    await closeAll(() => undefined);
    throw error;
  }

  const address = httpServer?.address();
  return {
    config,
    port: typeof address === 'object' && address ? address.port : undefined,
    database,
    redis,
    queues,
    services: services!,
    readiness,
    async close() {
      stopping = true;
      // HTTP and sockets first, then the rest in reverse start order: workers, queues, Redis, the store.
      await closeAll((error) => logger.warn({ err: error }, 'error while shutting down'));
    },
  };
}
