import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

/**
 * Every environment variable the gateway reads (CONTRACT §1.3 plus a few operational ones), validated
 * once at start-up. This file and the migration data source are the only readers of process.env.
 */
export class EnvironmentVariables {
  @IsInt({ message: 'must be an integer port number' })
  @Min(1)
  @Max(65535)
  PORT = 8000;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgresql:// URL' })
  DATABASE_URL = 'postgresql://postgres@localhost:5432/payment_gateway';

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://localhost:6379';

  @IsIn(['development', 'test', 'production'], { message: 'must be development, test or production' })
  NODE_ENV = 'development';

  @IsIn(['all', 'api', 'worker'], { message: 'must be all, api or worker' })
  APP_ROLE = 'all';

  @IsOptional()
  @IsString()
  APP_ENCRYPTION_KEY?: string;

  @IsString()
  TEST_MODE = 'false';

  @IsString()
  TEST_PAYMENT_SUCCESS = 'true';

  @IsInt({ message: 'must be a non-negative integer (ms)' })
  @Min(0)
  TEST_PROCESSING_DELAY = 1000;

  @IsInt({ message: 'must be a non-negative integer (ms)' })
  @Min(0)
  TEST_REFUND_DELAY = 1000;

  @IsInt({ message: 'must be a non-negative integer (ms)' })
  @Min(0)
  PROCESSING_DELAY_MIN = 5000;

  @IsInt({ message: 'must be a non-negative integer (ms)' })
  @Min(0)
  PROCESSING_DELAY_MAX = 10000;

  @IsNumber({}, { message: 'must be a number between 0 and 1' })
  @Min(0, { message: 'must be a number between 0 and 1' })
  @Max(1, { message: 'must be a number between 0 and 1' })
  UPI_SUCCESS_RATE = 0.9;

  @IsNumber({}, { message: 'must be a number between 0 and 1' })
  @Min(0, { message: 'must be a number between 0 and 1' })
  @Max(1, { message: 'must be a number between 0 and 1' })
  CARD_SUCCESS_RATE = 0.95;

  @IsInt({ message: 'must be an integer between 1 and 1000' })
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY = 5;

  @IsInt({ message: 'must be a positive integer (ms)' })
  @Min(1)
  WEBHOOK_TIMEOUT_MS = 5000;

  @IsString()
  WEBHOOK_RETRY_INTERVALS_TEST = 'false';

  @IsString()
  TEST_MERCHANT_EMAIL = 'test@example.com';

  @Matches(/^\S{1,64}$/, { message: 'must be 1-64 non-space characters' })
  TEST_API_KEY = 'key_test_abc123';

  @Matches(/^\S{1,255}$/, { message: 'must be 1-255 non-space characters' })
  TEST_API_SECRET = 'secret_test_xyz789';

  @IsString()
  TEST_MERCHANT_PASSWORD = 'password123';

  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'must be an http(s) URL' })
  TEST_MERCHANT_WEBHOOK_URL?: string;

  /** Prefix of every BullMQ key and the worker heartbeat; lets several deployments share one Redis. */
  @Matches(/^[A-Za-z0-9_:{}-]{1,64}$/, { message: 'must be 1-64 characters of [A-Za-z0-9_:{}-]' })
  QUEUE_PREFIX = 'gateway';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsInt({ message: 'must be an integer between 1 and 200' })
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;

  /** Requests per minute per API key on merchant endpoints; 0 disables the limit. */
  @IsInt({ message: 'must be a non-negative integer' })
  @Min(0)
  RATE_LIMIT_API_PER_MINUTE = 60000;

  /** Requests per minute per client IP on public endpoints (checkout, health); 0 disables. */
  @IsInt({ message: 'must be a non-negative integer' })
  @Min(0)
  RATE_LIMIT_PUBLIC_PER_MINUTE = 20000;

  /** Login attempts per minute per client IP and email (brute force), and signups per IP; 0 disables. */
  @IsInt({ message: 'must be a non-negative integer' })
  @Min(0)
  RATE_LIMIT_AUTH_PER_MINUTE = 300;

  /** Basic-auth credentials of the Bull Board queue UI at /admin/queues; the UI is off unless both are set. */
  @IsOptional()
  @IsString()
  ADMIN_USER?: string;

  @IsOptional()
  @IsString()
  ADMIN_PASSWORD?: string;

  /** Previous APP_ENCRYPTION_KEY values (comma-separated) still accepted for decryption while rotating. */
  @IsOptional()
  @IsString()
  APP_ENCRYPTION_KEYS_PREVIOUS?: string;
}

export class ConfigurationError extends Error {}

const NUMERIC_KEYS = new Set<keyof EnvironmentVariables>([
  'PORT',
  'TEST_PROCESSING_DELAY',
  'TEST_REFUND_DELAY',
  'PROCESSING_DELAY_MIN',
  'PROCESSING_DELAY_MAX',
  'UPI_SUCCESS_RATE',
  'CARD_SUCCESS_RATE',
  'WORKER_CONCURRENCY',
  'WEBHOOK_TIMEOUT_MS',
  'DATABASE_POOL_SIZE',
  'RATE_LIMIT_API_PER_MINUTE',
  'RATE_LIMIT_PUBLIC_PER_MINUTE',
  'RATE_LIMIT_AUTH_PER_MINUTE',
]);

/** Parses and validates the environment; throws a ConfigurationError naming every bad variable. */
export function validateEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const defaults = new EnvironmentVariables();
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults) as (keyof EnvironmentVariables)[]) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    raw[key] = NUMERIC_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  }
  for (const key of [
    'APP_ENCRYPTION_KEY',
    'TEST_MERCHANT_WEBHOOK_URL',
    'ADMIN_USER',
    'ADMIN_PASSWORD',
    'APP_ENCRYPTION_KEYS_PREVIOUS',
  ] as const) {
    if (env[key]) raw[key] = env[key];
  }
  const parsed = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const shown = String(env[error.property] ?? '');
      // Decorators run bottom-up: the last failure is the first rule in reading order.
      const message = Object.values(error.constraints ?? {}).at(-1) ?? 'is invalid';
      return `  ${error.property}=${JSON.stringify(shown)}: ${message}`;
    });
    throw new ConfigurationError(`Invalid environment variable(s):\n${lines.join('\n')}`);
  }
  if (parsed.PROCESSING_DELAY_MIN > parsed.PROCESSING_DELAY_MAX) {
    throw new ConfigurationError(
      `Invalid environment variable(s):\n  PROCESSING_DELAY_MIN=${parsed.PROCESSING_DELAY_MIN}: must not exceed PROCESSING_DELAY_MAX=${parsed.PROCESSING_DELAY_MAX}`,
    );
  }
  return parsed;
}
