import pg from 'pg';
import { sharedDatabaseUrl } from './gateway.mjs';

/** Direct SQL against the test database, for assertions on what was (not) written. */
export async function sql<T = Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
  databaseUrl = sharedDatabaseUrl(),
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
