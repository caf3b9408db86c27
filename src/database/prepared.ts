import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

const MAX_NAMES = 1_000;
const names = new Map<string, string>();

/** A stable statement name for `sql` (the same text always gets the same name). */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    name = `gw_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    if (names.size < MAX_NAMES) names.set(sql, name);
  }
  return name;
}

/**
 * Runs `sql` as a named prepared statement on the data source's pool: each connection parses and
 * plans it once instead of on every call. For the few hot statements (the payment units of work,
 * idempotency, webhook claims, lookups by key), whose parse and plan are a good part of the
 * database's work per request. Returns the rows (also of UPDATE/DELETE ... RETURNING).
 */
export async function queryPrepared<T>(dataSource: DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const result = await pool.query({ name: statementName(sql), text: sql, values: params });
  return result.rows as T[];
}
