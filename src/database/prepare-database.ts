import pg from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source.js';

/** Arbitrary constant shared by every gateway process: serialises migrations across processes. */
const MIGRATION_LOCK_ID = 728_139_104;

export class StartupError extends Error {}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparsable URL>';
  }
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return (
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH'].includes(code ?? '') ||
    /timeout|terminated/i.test((error as Error).message ?? '')
  );
}

function unreachable(config: AppConfig): StartupError {
  return new StartupError(
    `PostgreSQL is not reachable at ${redactUrl(config.databaseUrl)}.\n` +
      `  Start it (e.g. \`pg_ctlcluster 15 main start\`, \`brew services start postgresql@15\` or \`docker compose up -d postgres\`)\n` +
      `  or point DATABASE_URL at a running server.`,
  );
}

/** Creates the database when it is missing and the role may do so; otherwise says what to run. */
async function ensureDatabaseExists(config: AppConfig): Promise<void> {
  const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
    return;
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code !== '3D000') {
      if (isConnectionError(error)) throw unreachable(config);
      throw new StartupError(
        `PostgreSQL at ${redactUrl(config.databaseUrl)} refused the connection: ${(error as Error).message}`,
      );
    }
  }
  const name = databaseName(config.databaseUrl);
  const adminUrl = new URL(config.databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') return; // created concurrently by another process
    throw new StartupError(
      `Database "${name}" does not exist and could not be created (${(error as Error).message}).\n` +
        `  Create it with: createdb -h ${adminUrl.hostname} -p ${adminUrl.port || 5432} -U ${adminUrl.username || 'postgres'} ${name}`,
    );
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * Makes the database ready before anything else starts: creates it if needed and runs pending
 * migrations while holding a PostgreSQL advisory lock, so processes starting together take turns.
 * `afterMigrations` (seeding) runs under the same lock.
 */
export async function prepareDatabase(
  config: AppConfig,
  afterMigrations: (ds: DataSource) => Promise<void>,
): Promise<void> {
  await ensureDatabaseExists(config);
  const dataSource = new DataSource({ ...dataSourceOptions(config), extra: { max: 2 } });
  try {
    await dataSource.initialize();
  } catch (error) {
    if (isConnectionError(error)) throw unreachable(config);
    throw error;
  }
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await afterMigrations(dataSource);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
