import type { DataSource } from 'typeorm';
import { decryptSecret, encryptSecret, isEncrypted, keyId } from '../common/crypto.js';
import type { AppConfig } from '../config/app-config.js';

/**
 * Brings every stored secret under the current APP_ENCRYPTION_KEY: plaintext values (written before
 * encryption existed, or inserted by hand) and values sealed with a previous key
 * (APP_ENCRYPTION_KEYS_PREVIOUS) are re-encrypted. Runs at start-up under the migration lock.
 * Returns the number of merchants updated.
 */
export async function resealSecrets(dataSource: DataSource, config: AppConfig): Promise<number> {
  const current = `enc:v1:${keyId(config.encryptionKey)}:`;
  const keys = [config.encryptionKey, ...config.previousEncryptionKeys];
  const stale = await dataSource.query<{ id: string; api_secret: string; webhook_secret: string | null }[]>(
    `SELECT id, api_secret, webhook_secret FROM merchants
     WHERE api_secret NOT LIKE $1 || '%' OR (webhook_secret IS NOT NULL AND webhook_secret NOT LIKE $1 || '%')`,
    [current],
  );
  const reseal = (value: string): string =>
    value.startsWith(current)
      ? value
      : encryptSecret(isEncrypted(value) ? decryptSecret(value, keys) : value, config.encryptionKey);
  for (const row of stale) {
    await dataSource.query(`UPDATE merchants SET api_secret = $2, webhook_secret = $3 WHERE id = $1`, [
      row.id,
      reseal(row.api_secret),
      row.webhook_secret === null ? null : reseal(row.webhook_secret),
    ]);
  }
  return stale.length;
}
