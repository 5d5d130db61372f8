import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { catalogCommands } from './catalog.js';
import type { CommandContext, CommandHandler } from './context.js';
import { handshakeCommands } from './handshake.js';
import { indexCommands } from './indexes.js';
import { queryCommands } from './queries.js';
import { writeCommands } from './writes.js';

const commands = new Map<string, CommandHandler>(
  Object.entries({ ...handshakeCommands, ...catalogCommands, ...indexCommands, ...queryCommands, ...writeCommands }),
);

const TRANSACTION_COMMANDS = new Set(['commitTransaction', 'abortTransaction']);

/** Runs one command; every failure becomes MongoDB's `{ ok: 0, errmsg, code, codeName }`. */
export function dispatchCommand(ctx: Omit<CommandContext, 'db'>, body: Document): Document | Buffer {
  const name = Object.keys(body)[0];
  try {
    if (!name) throw new CommandError(ErrorCodes.FailedToParse, 'Empty command object');
    const db = body.$db;
    if (typeof db !== 'string' || db.length === 0) {
      throw new CommandError(40571, 'OP_MSG requests require a $db argument');
    }
    // A standalone MongoDB refuses transactions; running their statements one by one instead
    // would silently drop the atomicity the caller asked for.
    if (body.txnNumber !== undefined || body.startTransaction !== undefined || TRANSACTION_COMMANDS.has(name)) {
      throw new CommandError(
        ErrorCodes.IllegalOperation,
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    }
    const handler = commands.get(name);
    if (!handler) throw new CommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`);
    if (name !== 'hello' && name !== 'isMaster' && name !== 'ismaster') ctx.storage.metrics.opcounters.command++;
    return handler({ ...ctx, db }, body);
  } catch (error) {
    if (error instanceof CommandError) return error.toReply();
    const message = error instanceof Error ? error.message : String(error);
    return new CommandError(ErrorCodes.InternalError, message).toReply();
  }
}
