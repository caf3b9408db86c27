import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { type DataSource, Repository } from 'typeorm';
import { ApiException } from '../common/api.exception.js';
import { encryptSecret, safeEqual } from '../common/crypto.js';
import { SecretBox } from '../common/secret-box.js';
import { queryPrepared } from '../database/prepared.js';
import type { AppConfig } from '../config/app-config.js';
import { newApiKey, newApiSecret, newWebhookSecret } from './credentials.js';
import { Merchant } from './merchant.entity.js';
import { hashPassword, verifyPassword } from './password.js';

export const TEST_MERCHANT_ID = '550e8400-e29b-41d4-a716-446655440000';
export const TEST_MERCHANT_WEBHOOK_SECRET = 'whsec_test_abc123';

export interface MerchantProfile {
  id: string;
  name: string;
  email: string;
  api_key: string;
  webhook_url: string | null;
  created_at: string;
}

export interface WebhookConfig {
  webhook_url: string | null;
  webhook_secret: string;
}

/**
 * How long a merchant looked up by API key is reused without asking PostgreSQL again. Changes made
 * through this process (key regeneration, webhook settings) drop the entry at once; another API
 * instance sees them within this time.
 */
export const CREDENTIAL_CACHE_MS = 2_000;
const CREDENTIAL_CACHE_SIZE = 10_000;

/** A hash nobody's password matches, so unknown emails cost as much as wrong passwords. */
let dummyPasswordHash: Promise<string> | undefined;
const dummyHash = (): Promise<string> => (dummyPasswordHash ??= hashPassword(randomUUID()));

@Injectable()
export class MerchantsService {
  private readonly byApiKey = new Map<string, { merchant: Merchant; until: number }>();

  constructor(
    @InjectRepository(Merchant) private readonly merchants: Repository<Merchant>,
    private readonly secrets: SecretBox,
  ) {}

  toProfile(merchant: Merchant): MerchantProfile {
    return {
      id: merchant.id,
      name: merchant.name,
      email: merchant.email,
      api_key: merchant.apiKey,
      webhook_url: merchant.webhookUrl,
      created_at: merchant.createdAt.toISOString(),
    };
  }

  /** The active merchant owning these API credentials, compared in constant time; else null. */
  async authenticate(apiKey: string, apiSecret: string): Promise<Merchant | null> {
    if (apiKey.length > 64 || apiSecret.length > 255) return null;
    const merchant = await this.findByApiKey(apiKey);
    const expected = merchant ? this.secrets.open(merchant.apiSecret) : 'secret_never_matches_anything_____';
    const matches = safeEqual(apiSecret, expected);
    return merchant && merchant.isActive && matches ? merchant : null;
  }

  /** Every API request authenticates: raw SQL, and the row reused for CREDENTIAL_CACHE_MS. */
  private async findByApiKey(apiKey: string): Promise<Merchant | null> {
    const cached = this.byApiKey.get(apiKey);
    if (cached && cached.until > Date.now()) return cached.merchant;
    const [row] = await queryPrepared<Record<string, unknown>>(
      this.merchants.manager.connection,
      `SELECT * FROM merchants WHERE api_key = $1`,
      [apiKey],
    );
    if (!row) return null;
    const merchant = merchantFromRow(row);
    if (this.byApiKey.size >= CREDENTIAL_CACHE_SIZE) this.byApiKey.clear();
    this.byApiKey.set(apiKey, { merchant, until: Date.now() + CREDENTIAL_CACHE_MS });
    return merchant;
  }

  /** Drops the cached row of a merchant this process has just changed. */
  private forget(merchantId: string): void {
    for (const [apiKey, { merchant }] of this.byApiKey) {
      if (merchant.id === merchantId) this.byApiKey.delete(apiKey);
    }
  }

  findActiveById(id: string): Promise<Merchant | null> {
    return this.merchants.findOneBy({ id, isActive: true });
  }

  async signup(input: { name: string; email: string; password: string }): Promise<{
    merchant: Merchant;
    apiSecret: string;
    webhookSecret: string;
  }> {
    const email = input.email.trim().toLowerCase();
    if (await this.merchants.exists({ where: { email } })) {
      throw new ApiException(409, 'CONFLICT_ERROR', 'Email already registered');
    }
    const apiSecret = newApiSecret();
    const webhookSecret = newWebhookSecret();
    const merchant = this.merchants.create({
      id: randomUUID(),
      name: input.name.trim(),
      email,
      passwordHash: await hashPassword(input.password),
      apiKey: newApiKey(),
      apiSecret: this.secrets.seal(apiSecret),
      webhookUrl: null,
      webhookSecret: this.secrets.seal(webhookSecret),
      isActive: true,
    });
    try {
      await this.merchants.insert(merchant);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ApiException(409, 'CONFLICT_ERROR', 'Email already registered');
      }
      throw error;
    }
    const saved = await this.merchants.findOneByOrFail({ id: merchant.id });
    return { merchant: saved, apiSecret, webhookSecret };
  }

  async login(email: string, password: string): Promise<Merchant> {
    const merchant = await this.merchants.findOneBy({ email: email.trim().toLowerCase() });
    const ok = await verifyPassword(password, merchant?.passwordHash ?? (await dummyHash()));
    if (!merchant || !ok || !merchant.isActive) throw ApiException.unauthorized('Invalid email or password');
    return merchant;
  }

  credentials(merchant: Merchant): { api_key: string; api_secret: string } {
    return { api_key: merchant.apiKey, api_secret: this.secrets.open(merchant.apiSecret) };
  }

  /** New secret, same key; the old secret stops working with this commit. */
  async regenerateKeys(merchantId: string): Promise<{ api_key: string; api_secret: string }> {
    const apiSecret = newApiSecret();
    await this.merchants.update({ id: merchantId }, { apiSecret: this.secrets.seal(apiSecret), updatedAt: new Date() });
    this.forget(merchantId);
    const merchant = await this.merchants.findOneByOrFail({ id: merchantId });
    return { api_key: merchant.apiKey, api_secret: apiSecret };
  }

  /** Plaintext webhook secret, creating one for merchants that never had it. */
  async webhookSecretOf(merchant: Merchant): Promise<string> {
    if (merchant.webhookSecret) return this.secrets.open(merchant.webhookSecret);
    const secret = newWebhookSecret();
    await this.merchants
      .createQueryBuilder()
      .update()
      .set({ webhookSecret: this.secrets.seal(secret) })
      .where('id = :id AND webhook_secret IS NULL', { id: merchant.id })
      .execute();
    this.forget(merchant.id);
    const reloaded = await this.merchants.findOneByOrFail({ id: merchant.id });
    return this.secrets.open(reloaded.webhookSecret ?? '');
  }

  async webhookConfig(merchantId: string): Promise<WebhookConfig> {
    const merchant = await this.merchants.findOneByOrFail({ id: merchantId });
    return { webhook_url: merchant.webhookUrl, webhook_secret: await this.webhookSecretOf(merchant) };
  }

  async setWebhookUrl(merchantId: string, webhookUrl: string | null): Promise<WebhookConfig> {
    await this.merchants.update({ id: merchantId }, { webhookUrl, updatedAt: new Date() });
    this.forget(merchantId);
    return this.webhookConfig(merchantId);
  }

  async regenerateWebhookSecret(merchantId: string): Promise<string> {
    const secret = newWebhookSecret();
    await this.merchants.update(
      { id: merchantId },
      { webhookSecret: this.secrets.seal(secret), updatedAt: new Date() },
    );
    this.forget(merchantId);
    return secret;
  }
}

/**
 * Inserts the test merchant of CONTRACT §1.4 unless a merchant with its email (or id, or key) exists;
 * never modifies an existing row. Runs at start-up outside production, under the migration lock.
 */
export async function seedTestMerchant(dataSource: DataSource, config: AppConfig): Promise<void> {
  const t = config.testMerchant;
  await dataSource.query(
    `INSERT INTO merchants (id, name, email, password_hash, api_key, api_secret, webhook_url, webhook_secret)
     SELECT $1::uuid, 'Test Merchant', $2::varchar, $3::text, $4::varchar, $5::text, $6::text, $7::text
     WHERE NOT EXISTS (SELECT 1 FROM merchants WHERE email = $2::varchar)
     ON CONFLICT DO NOTHING`,
    [
      TEST_MERCHANT_ID,
      t.email,
      await hashPassword(t.password),
      t.apiKey,
      encryptSecret(t.apiSecret, config.encryptionKey),
      t.webhookUrl,
      encryptSecret(TEST_MERCHANT_WEBHOOK_SECRET, config.encryptionKey),
    ],
  );
}

/** Maps a raw `merchants` row (snake_case) to the entity. */
export function merchantFromRow(row: Record<string, unknown>): Merchant {
  const merchant = new Merchant();
  merchant.id = row.id as string;
  merchant.name = row.name as string;
  merchant.email = row.email as string;
  merchant.passwordHash = row.password_hash as string;
  merchant.apiKey = row.api_key as string;
  merchant.apiSecret = row.api_secret as string;
  merchant.webhookUrl = (row.webhook_url as string | null) ?? null;
  merchant.webhookSecret = (row.webhook_secret as string | null) ?? null;
  merchant.isActive = Boolean(row.is_active);
  merchant.createdAt = new Date(row.created_at as string);
  merchant.updatedAt = new Date(row.updated_at as string);
  return merchant;
}
