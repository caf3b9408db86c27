import type { ChildProcess } from 'node:child_process';

export const ROOT: string;
export const ADMIN_DATABASE_URL: string;
export const REDIS_URL: string;
export const LOG_DIR: string;

export interface Gateway {
  url: string;
  port: number;
  databaseUrl: string;
  queuePrefix: string;
  process: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** Extra environment for the process (TEST_MODE, APP_ROLE, ...). */
  env?: Record<string, string>;
  args?: string[];
  /** Reuse this database (default: the run's shared database from global setup). */
  databaseUrl?: string;
  /** Reuse this BullMQ prefix (default: a new one, so instances never steal each other's jobs). */
  queuePrefix?: string;
  /** Do not wait for /health (worker-only processes, start-up failure tests). */
  noWait?: boolean;
  port?: number;
  name?: string;
}

export function freePort(): Promise<number>;
/** Creates an empty database; the gateway migrates it when it starts. */
export function createDatabase(prefix?: string): Promise<string>;
export function dropDatabase(databaseUrl: string): Promise<void>;
export function sharedDatabaseUrl(): string;
export function sharedGatewayUrl(): string;
export function waitForHealthy(url: string, timeoutMs?: number, proc?: ChildProcess): Promise<void>;
/** Starts `node dist/main.js` with the test defaults plus `options.env`. */
export function startGateway(options?: StartOptions): Promise<Gateway>;
