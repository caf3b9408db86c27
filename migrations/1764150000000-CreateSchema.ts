import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole contract schema (CONTRACT §11) plus the internal tables: outbox (jobs written in the
 * business transaction, DESIGN.md) and dashboard sessions.
 */
export class CreateSchema1764150000000 implements MigrationInterface {
  name = 'CreateSchema1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await queryRunner.query(`
      CREATE TABLE merchants (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        name VARCHAR(255) NOT NULL,
        email VARCHAR(255) NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        api_key VARCHAR(64) NOT NULL UNIQUE,
        api_secret TEXT NOT NULL,
        webhook_url TEXT,
        webhook_secret TEXT,
        is_active BOOLEAN NOT NULL DEFAULT true,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE orders (
        id VARCHAR(64) PRIMARY KEY,
        merchant_id UUID NOT NULL REFERENCES merchants(id),
        amount INTEGER NOT NULL CHECK (amount >= 100),
        currency VARCHAR(3) NOT NULL DEFAULT 'INR',
        receipt VARCHAR(255),
        notes JSONB,
        status VARCHAR(20) NOT NULL DEFAULT 'created' CHECK (status IN ('created', 'paid')),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_orders_merchant_id ON orders (merchant_id)`);
    await queryRunner.query(
      `CREATE INDEX idx_orders_merchant_created ON orders (merchant_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE payments (
        id VARCHAR(64) PRIMARY KEY,
        order_id VARCHAR(64) NOT NULL REFERENCES orders(id),
        merchant_id UUID NOT NULL REFERENCES merchants(id),
        amount INTEGER NOT NULL,
        currency VARCHAR(3) NOT NULL DEFAULT 'INR',
        method VARCHAR(20) NOT NULL CHECK (method IN ('upi', 'card')),
        status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'success', 'failed')),
        vpa VARCHAR(255),
        card_network VARCHAR(20),
        card_last4 VARCHAR(4),
        error_code VARCHAR(50),
        error_description TEXT,
        captured BOOLEAN NOT NULL DEFAULT false,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idx_payments_order_id ON payments (order_id)`);
    await queryRunner.query(`CREATE INDEX idx_payments_status ON payments (status)`);
    await queryRunner.query(
      `CREATE INDEX idx_payments_merchant_created ON payments (merchant_id, created_at DESC, id DESC)`,
    );
    // Internal: the simulated bank's answer for a test instrument, recorded at creation because the
    // card number itself is never stored (a re-created job must still know it).
    await queryRunner.query(`
      CREATE TABLE payment_test_outcomes (
        payment_id VARCHAR(64) PRIMARY KEY REFERENCES payments(id),
        outcome VARCHAR(10) NOT NULL CHECK (outcome IN ('success', 'failed'))
      )`);
    await queryRunner.query(`
      CREATE TABLE refunds (
        id VARCHAR(64) PRIMARY KEY,
        payment_id VARCHAR(64) NOT NULL REFERENCES payments(id),
        merchant_id UUID NOT NULL REFERENCES merchants(id),
        amount INTEGER NOT NULL CHECK (amount > 0),
        reason TEXT,
        status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed')),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        processed_at TIMESTAMPTZ
      )`);
    await queryRunner.query(`CREATE INDEX idx_refunds_payment_id ON refunds (payment_id)`);
    await queryRunner.query(
      `CREATE INDEX idx_refunds_merchant_created ON refunds (merchant_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_logs (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id UUID NOT NULL REFERENCES merchants(id),
        event VARCHAR(50) NOT NULL,
        payload JSONB NOT NULL,
        body TEXT NOT NULL,
        status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'success', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TIMESTAMPTZ,
        next_retry_at TIMESTAMPTZ,
        response_code INTEGER,
        response_body TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        -- internal: lease that keeps at most one attempt per log in flight
        locked_until TIMESTAMPTZ,
        -- internal: bumped by a manual retry so an attempt in flight cannot overwrite the new cycle
        delivery_cycle INTEGER NOT NULL DEFAULT 1
      )`);
    await queryRunner.query(`CREATE INDEX idx_webhook_logs_merchant_id ON webhook_logs (merchant_id)`);
    await queryRunner.query(`CREATE INDEX idx_webhook_logs_status ON webhook_logs (status)`);
    await queryRunner.query(
      `CREATE INDEX idx_webhook_logs_retry ON webhook_logs (next_retry_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_webhook_logs_merchant_created ON webhook_logs (merchant_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_attempts (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_log_id UUID NOT NULL REFERENCES webhook_logs(id),
        attempt_number INTEGER NOT NULL,
        url TEXT,
        started_at TIMESTAMPTZ NOT NULL,
        duration_ms INTEGER,
        response_code INTEGER,
        response_body TEXT,
        error TEXT,
        UNIQUE (webhook_log_id, attempt_number)
      )`);
    await queryRunner.query(`CREATE INDEX idx_webhook_attempts_log_id ON webhook_attempts (webhook_log_id)`);
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        key VARCHAR(255) NOT NULL,
        merchant_id UUID NOT NULL REFERENCES merchants(id),
        request_fingerprint VARCHAR(64) NOT NULL,
        state VARCHAR(20) NOT NULL CHECK (state IN ('in_progress', 'completed')),
        response_code INTEGER,
        response_body TEXT,
        response JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL,
        -- internal: when an in_progress claim is considered abandoned by a crashed request
        locked_until TIMESTAMPTZ,
        PRIMARY KEY (key, merchant_id)
      )`);
    await queryRunner.query(`CREATE INDEX idx_idempotency_keys_expires_at ON idempotency_keys (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE outbox (
        id BIGSERIAL PRIMARY KEY,
        queue VARCHAR(50) NOT NULL,
        job_name VARCHAR(50) NOT NULL,
        job_id VARCHAR(200) NOT NULL,
        payload JSONB NOT NULL,
        run_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE sessions (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id UUID NOT NULL REFERENCES merchants(id),
        token_hash VARCHAR(64) NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ
      )`);
    await queryRunner.query(`CREATE INDEX idx_sessions_merchant_id ON sessions (merchant_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'sessions',
      'outbox',
      'idempotency_keys',
      'webhook_attempts',
      'webhook_logs',
      'refunds',
      'payment_test_outcomes',
      'payments',
      'orders',
      'merchants',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
