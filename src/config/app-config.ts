import { createHash } from 'node:crypto';
import { ConfigurationError, validateEnvironment } from './environment.js';

export type AppRole = 'all' | 'api' | 'worker';

/** Fixed key used outside production when APP_ENCRYPTION_KEY is unset (start-up warns loudly). */
const DEVELOPMENT_ENCRYPTION_KEY = createHash('sha256').update('payment-gateway-development-key').digest();

/** Typed, validated configuration. Injected everywhere as `AppConfig`; nothing else reads process.env. */
export class AppConfig {
  readonly port: number;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly role: AppRole;
  readonly encryptionKey: Buffer;
  readonly usingDevelopmentEncryptionKey: boolean;
  readonly testMode: boolean;
  readonly testPaymentSuccess: boolean;
  readonly testProcessingDelayMs: number;
  readonly testRefundDelayMs: number;
  readonly processingDelayMinMs: number;
  readonly processingDelayMaxMs: number;
  readonly upiSuccessRate: number;
  readonly cardSuccessRate: number;
  readonly workerConcurrency: number;
  readonly webhookTimeoutMs: number;
  readonly webhookRetryIntervalsTest: boolean;
  readonly queuePrefix: string;
  readonly logLevel: string;
  readonly databasePoolSize: number;
  readonly rateLimits: { apiPerMinute: number; publicPerMinute: number; authPerMinute: number };
  readonly admin: { user: string; password: string } | null;
  /** Older keys still accepted for decryption (rotation); new values are always sealed with encryptionKey. */
  readonly previousEncryptionKeys: Buffer[];
  readonly testMerchant: {
    email: string;
    apiKey: string;
    apiSecret: string;
    password: string;
    webhookUrl: string | null;
  };

  constructor(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv) {
    const vars = validateEnvironment(env);
    this.port = vars.PORT;
    this.databaseUrl = vars.DATABASE_URL;
    this.redisUrl = vars.REDIS_URL;
    this.nodeEnv = vars.NODE_ENV as AppConfig['nodeEnv'];
    this.role = argv.includes('--worker') ? 'worker' : (vars.APP_ROLE as AppRole);
    this.testMode = vars.TEST_MODE === 'true';
    this.testPaymentSuccess = vars.TEST_PAYMENT_SUCCESS !== 'false';
    this.testProcessingDelayMs = vars.TEST_PROCESSING_DELAY;
    this.testRefundDelayMs = vars.TEST_REFUND_DELAY;
    this.processingDelayMinMs = vars.PROCESSING_DELAY_MIN;
    this.processingDelayMaxMs = vars.PROCESSING_DELAY_MAX;
    this.upiSuccessRate = vars.UPI_SUCCESS_RATE;
    this.cardSuccessRate = vars.CARD_SUCCESS_RATE;
    this.workerConcurrency = vars.WORKER_CONCURRENCY;
    this.webhookTimeoutMs = vars.WEBHOOK_TIMEOUT_MS;
    this.webhookRetryIntervalsTest = vars.WEBHOOK_RETRY_INTERVALS_TEST === 'true';
    this.queuePrefix = vars.QUEUE_PREFIX;
    this.logLevel = vars.LOG_LEVEL;
    this.databasePoolSize = vars.DATABASE_POOL_SIZE;
    this.rateLimits = {
      apiPerMinute: vars.RATE_LIMIT_API_PER_MINUTE,
      publicPerMinute: vars.RATE_LIMIT_PUBLIC_PER_MINUTE,
      authPerMinute: vars.RATE_LIMIT_AUTH_PER_MINUTE,
    };
    this.admin =
      vars.ADMIN_USER && vars.ADMIN_PASSWORD ? { user: vars.ADMIN_USER, password: vars.ADMIN_PASSWORD } : null;
    this.previousEncryptionKeys = (vars.APP_ENCRYPTION_KEYS_PREVIOUS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)
      .map(parseEncryptionKey);
    this.testMerchant = {
      email: vars.TEST_MERCHANT_EMAIL.trim().toLowerCase(),
      apiKey: vars.TEST_API_KEY,
      apiSecret: vars.TEST_API_SECRET,
      password: vars.TEST_MERCHANT_PASSWORD,
      webhookUrl: vars.TEST_MERCHANT_WEBHOOK_URL ?? null,
    };
    if (vars.APP_ENCRYPTION_KEY) {
      this.encryptionKey = parseEncryptionKey(vars.APP_ENCRYPTION_KEY);
      this.usingDevelopmentEncryptionKey = false;
    } else if (this.isProduction) {
      throw new ConfigurationError(
        'Invalid environment variable(s):\n  APP_ENCRYPTION_KEY: required when NODE_ENV=production (32 bytes as 64 hex chars or base64)',
      );
    } else {
      this.encryptionKey = DEVELOPMENT_ENCRYPTION_KEY;
      this.usingDevelopmentEncryptionKey = true;
    }
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  get runsHttp(): boolean {
    return this.role !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.role !== 'api';
  }
}

export function parseEncryptionKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigurationError(
      'Invalid environment variable(s):\n  APP_ENCRYPTION_KEY: must be 32 bytes, as 64 hex characters or base64',
    );
  }
  return key;
}
