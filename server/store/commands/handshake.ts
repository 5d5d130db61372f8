import { hostname } from 'node:os';
import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { MAX_MESSAGE_BYTES } from '../wire/message-reader.js';
import type { CommandContext, CommandHandler, ServerParameters } from './context.js';

export const SERVER_VERSION = '7.0.0';
const MAX_WIRE_VERSION = 21;
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

function hello(ctx: CommandContext, body: Document): Document {
  return {
    ...(body.helloOk ? { helloOk: true } : {}),
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

function buildInfo(): Document {
  return {
    version: SERVER_VERSION,
    gitVersion: 'funnel-inbox-embedded-store',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['sqlite'],
    javascriptEngine: 'none',
    modules: [],
    ok: 1,
  };
}

const PARAMETER_NAMES: (keyof ServerParameters)[] = ['ttlMonitorSleepSecs', 'cursorTimeoutMillis'];

function getParameter(ctx: CommandContext, body: Document): Document {
  const all = body.getParameter === '*' || (typeof body.getParameter === 'object' && body.getParameter?.allParameters);
  const out: Document = {};
  if (all || body.featureCompatibilityVersion !== undefined) out.featureCompatibilityVersion = { version: '7.0' };
  for (const name of PARAMETER_NAMES) if (all || body[name] !== undefined) out[name] = ctx.parameters[name];
  if (Object.keys(out).length === 0) throw new CommandError(ErrorCodes.InvalidOptions, 'no option found to get');
  return { ...out, ok: 1 };
}

function setParameter(ctx: CommandContext, body: Document): Document {
  const out: Document = {};
  let changed = false;
  for (const [name, value] of Object.entries(body)) {
    if (name === 'setParameter' || name.startsWith('$') || name === 'lsid') continue;
    if (!PARAMETER_NAMES.includes(name as keyof ServerParameters)) {
      throw new CommandError(
        ErrorCodes.InvalidOptions,
        `attempted to set unrecognized parameter [${name}], use help:true to see options `,
      );
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new CommandError(ErrorCodes.BadValue, `Invalid value for ${name}: ${String(value)}`);
    out.was = ctx.parameters[name as keyof ServerParameters];
    ctx.parameters[name as keyof ServerParameters] = n;
    changed = true;
  }
  if (!changed)
    throw new CommandError(ErrorCodes.InvalidOptions, 'no option found to set, use help:true to see options ');
  ctx.server.parametersChanged();
  return { ...out, ok: 1 };
}

function serverStatus(ctx: CommandContext): Document {
  const { metrics } = ctx.storage;
  const memory = process.memoryUsage();
  return {
    host: ctx.server.host,
    version: SERVER_VERSION,
    process: 'mongod',
    pid: process.pid,
    uptime: Math.floor((Date.now() - ctx.server.startedAt) / 1000),
    uptimeMillis: Date.now() - ctx.server.startedAt,
    localTime: new Date(),
    connections: {
      current: ctx.server.connections.current,
      available: 10_000,
      totalCreated: ctx.server.connections.totalCreated,
    },
    mem: {
      bits: 64,
      resident: Math.round(memory.rss / 1024 / 1024),
      virtual: Math.round(memory.rss / 1024 / 1024),
      supported: true,
    },
    opcounters: { ...metrics.opcounters },
    metrics: {
      queryExecutor: { ...metrics.queryExecutor },
      document: { ...metrics.document },
      cursor: { timedOut: ctx.cursors.timedOut, open: { total: ctx.cursors.openCount, noTimeout: 0, pinned: 0 } },
    },
    storageEngine: { name: 'sqlite', supportsCommittedReads: false, persistent: true },
    ok: 1,
  };
}

const ok = (): Document => ({ ok: 1 });

export const handshakeCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  setParameter,
  serverStatus,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  hostInfo: () => ({
    system: { hostname: hostname(), currentTime: new Date() },
    os: { type: process.platform },
    extra: {},
    ok: 1,
  }),
  getCmdLineOpts: () => ({ argv: process.argv, parsed: {}, ok: 1 }),
  getLog: (_ctx, body) =>
    body.getLog === '*' ? { names: ['startupWarnings'], ok: 1 } : { totalLinesWritten: 0, log: [], ok: 1 },
  whatsmyuri: (ctx) => ({ you: `127.0.0.1:${ctx.connectionId}`, ok: 1 }),
  endSessions: ok,
  killSessions: ok,
  killAllSessions: ok,
  refreshSessions: ok,
  logout: ok,
};
