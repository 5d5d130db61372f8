/** The embedded MongoDB-compatible store: a wire-protocol server over SQLite. Self-contained. */
export { StoreServer, type StoreServerOptions } from './store-server.js';
export { CommandError, ErrorCodes } from './errors.js';
