export { createServer } from './server.js';
export type { BeckonHandler, BeckonServerOptions } from './server.js';
export { listen } from './listen.js';
export type { ListenOptions, RunningServer } from './listen.js';
export { DatabaseFileError } from './db/database.js';
export type { LogEntry, Logger } from './log.js';
export { VERSION } from './version.js';
