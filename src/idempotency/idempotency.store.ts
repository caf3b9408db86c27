import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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

/**
 * The durable state machine of CONTRACT §2.5 in the idempotency_keys table. The claim is a single
 * INSERT ... ON CONFLICT, so of any number of concurrent requests exactly one executes.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  async claim(merchantId: string, key: string, fingerprint: string): Promise<ClaimResult> {
    const claimed = returnedRows(
      await this.dataSource.query(
        `INSERT INTO idempotency_keys (key, merchant_id, request_fingerprint, state, expires_at, locked_until)
         VALUES ($1, $2, $3, 'in_progress', now() + interval '${RETENTION_HOURS} hours', now() + interval '${CLAIM_TIMEOUT_SECONDS} seconds')
         ON CONFLICT (key, merchant_id) DO UPDATE SET
           request_fingerprint = EXCLUDED.request_fingerprint, state = 'in_progress', response_code = NULL,
           response_body = NULL, response = NULL, created_at = now(), expires_at = EXCLUDED.expires_at,
           locked_until = EXCLUDED.locked_until
         WHERE idempotency_keys.expires_at <= now()
            OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.locked_until <= now())
         RETURNING key`,
        [key, merchantId, fingerprint],
      ),
    );
    if (claimed.length > 0) return { outcome: 'claimed' };
    const [existing] = await this.dataSource.query<StoredKey[]>(
      `SELECT request_fingerprint, state, response_code, response_body FROM idempotency_keys
       WHERE key = $1 AND merchant_id = $2`,
      [key, merchantId],
    );
    // Released between our INSERT and SELECT: let the client retry rather than guess.
    if (!existing) return { outcome: 'in_progress' };
    if (existing.request_fingerprint !== fingerprint) return { outcome: 'mismatch' };
    if (existing.state === 'completed' && existing.response_code !== null && existing.response_body !== null) {
      return { outcome: 'replay', statusCode: existing.response_code, body: existing.response_body };
    }
    return { outcome: 'in_progress' };
  }

  async complete(merchantId: string, key: string, statusCode: number, body: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'completed', response_code = $3, response_body = $4::text, response = $4::jsonb,
         locked_until = NULL
       WHERE key = $1 AND merchant_id = $2 AND state = 'in_progress'`,
      [key, merchantId, statusCode, body],
    );
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
