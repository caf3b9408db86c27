import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Batcher } from '../common/batcher.js';
import { queryPrepared } from '../database/prepared.js';
import { returnedRows } from '../database/rows.js';

export const RETENTION_HOURS = 24;
/** A claim older than this belongs to a request that crashed; the key is free again. */
export const CLAIM_TIMEOUT_SECONDS = 60;

export type ClaimResult =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; statusCode: number; body: string }
  | { outcome: 'in_progress' }
  | { outcome: 'mismatch' };

interface StoredKey {
  request_fingerprint: string;
  state: 'in_progress' | 'completed';
  response_code: number | null;
  response_body: string | null;
}

interface ClaimRequest {
  merchantId: string;
  key: string;
  fingerprint: string;
}

interface Completion {
  merchantId: string;
  key: string;
  statusCode: number;
  body: string;
}

/**
 * The durable state machine of CONTRACT §2.5 in the idempotency_keys table. The claim is an
 * INSERT ... ON CONFLICT, so of any number of concurrent requests exactly one executes. Claims and
 * completions of concurrent requests are written together (one statement per tick for each), since
 * every authenticated POST with a key pays for both.
 */
@Injectable()
export class IdempotencyStore {
  private readonly claims = new Batcher((requests: ClaimRequest[]) => this.claimMany(requests));
  private readonly completions = new Batcher((items: Completion[]) => this.completeMany(items));

  constructor(private readonly dataSource: DataSource) {}

  claim(merchantId: string, key: string, fingerprint: string): Promise<ClaimResult> {
    return this.claims.add({ merchantId, key, fingerprint });
  }

  /** Stores the response of a claimed key; resolves once it is stored. */
  complete(merchantId: string, key: string, statusCode: number, body: string): Promise<void> {
    return this.completions.add({ merchantId, key, statusCode, body });
  }

  private async claimMany(requests: ClaimRequest[]): Promise<ClaimResult[]> {
    // One row per key in the INSERT (ON CONFLICT may not touch a row twice); a repeated key finds the
    // first one's claim and is told it is in progress (or a mismatch), like any concurrent request.
    const firsts = new Map<string, ClaimRequest>();
    for (const request of requests) {
      const id = `${request.merchantId} ${request.key}`;
      if (!firsts.has(id)) firsts.set(id, request);
    }
    const unique = [...firsts.values()];
    const claimed = await queryPrepared<{ key: string; merchant_id: string }>(
      this.dataSource,
      `INSERT INTO idempotency_keys (key, merchant_id, request_fingerprint, state, expires_at, locked_until)
         SELECT c.key, c.merchant_id, c.fingerprint, 'in_progress', now() + interval '${RETENTION_HOURS} hours',
           now() + interval '${CLAIM_TIMEOUT_SECONDS} seconds'
         FROM unnest($1::text[], $2::uuid[], $3::text[]) AS c(key, merchant_id, fingerprint)
         ON CONFLICT (key, merchant_id) DO UPDATE SET
           request_fingerprint = EXCLUDED.request_fingerprint, state = 'in_progress', response_code = NULL,
           response_body = NULL, response = NULL, created_at = now(), expires_at = EXCLUDED.expires_at,
           locked_until = EXCLUDED.locked_until
         WHERE idempotency_keys.expires_at <= now()
            OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.locked_until <= now())
         RETURNING key, merchant_id`,
      [unique.map((r) => r.key), unique.map((r) => r.merchantId), unique.map((r) => r.fingerprint)],
    );
    const won = new Set<ClaimRequest>(claimed.map((row) => firsts.get(`${row.merchant_id} ${row.key}`)!));
    const others = requests.filter((request) => !won.has(request));
    const existing = new Map<string, StoredKey>();
    if (others.length > 0) {
      const rows = await queryPrepared<StoredKey & { key: string; merchant_id: string }>(
        this.dataSource,
        `SELECT k.key, k.merchant_id, k.request_fingerprint, k.state, k.response_code, k.response_body
         FROM idempotency_keys k JOIN unnest($1::text[], $2::uuid[]) AS c(key, merchant_id)
           ON k.key = c.key AND k.merchant_id = c.merchant_id`,
        [others.map((r) => r.key), others.map((r) => r.merchantId)],
      );
      for (const row of rows) existing.set(`${row.merchant_id} ${row.key}`, row);
    }
    return requests.map((request): ClaimResult => {
      if (won.has(request)) return { outcome: 'claimed' };
      const stored = existing.get(`${request.merchantId} ${request.key}`);
      // Released between our INSERT and SELECT: let the client retry rather than guess.
      if (!stored) return { outcome: 'in_progress' };
      if (stored.request_fingerprint !== request.fingerprint) return { outcome: 'mismatch' };
      if (stored.state === 'completed' && stored.response_code !== null && stored.response_body !== null) {
        return { outcome: 'replay', statusCode: stored.response_code, body: stored.response_body };
      }
      return { outcome: 'in_progress' };
    });
  }

  private async completeMany(items: Completion[]): Promise<void[]> {
    await queryPrepared(
      this.dataSource,
      `UPDATE idempotency_keys k SET state = 'completed', response_code = c.status_code, response_body = c.body,
         response = c.body::jsonb, locked_until = NULL
       FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[]) AS c(key, merchant_id, status_code, body)
       WHERE k.key = c.key AND k.merchant_id = c.merchant_id AND k.state = 'in_progress'`,
      [
        items.map((i) => i.key),
        items.map((i) => i.merchantId),
        items.map((i) => i.statusCode),
        items.map((i) => i.body),
      ],
    );
    return items.map(() => undefined);
  }

  /** A 4xx/5xx outcome stores nothing: the key may be used again. */
  async release(merchantId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE key = $1 AND merchant_id = $2 AND state = 'in_progress'`,
      [key, merchantId],
    );
  }

  async purgeExpired(): Promise<number> {
    const deleted = returnedRows(
      await this.dataSource.query(`DELETE FROM idempotency_keys WHERE expires_at <= now() RETURNING key`),
    );
    return deleted.length;
  }
}
