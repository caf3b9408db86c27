import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Lowercase hex HMAC-SHA256. */
export function hmacSha256Hex(key: string | Buffer, message: string | Buffer): string {
  return createHmac('sha256', key).update(message).digest('hex');
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time string comparison (length leaks, content does not). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    // Compare anyway so the time taken does not depend on where a mismatch is.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

const ENCRYPTED_PREFIX = 'enc:v1:';

/** Short, non-secret identifier of a key, stored with each ciphertext so keys can be rotated. */
export function keyId(key: Buffer): string {
  return sha256Hex(key).slice(0, 8);
}

/**
 * AES-256-GCM with a random 96-bit IV per value: `enc:v1:<keyId>:<base64(iv | tag | ciphertext)>`.
 */
export function encryptSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${ENCRYPTED_PREFIX}${keyId(key)}:${Buffer.concat([iv, tag, ciphertext]).toString('base64')}`;
}

export function isEncrypted(value: string): boolean {
  return value.startsWith(ENCRYPTED_PREFIX);
}

/**
 * Decrypts with whichever of `keys` matches the stored key id. Plaintext values written before
 * encryption existed are returned as they are (a migration re-encrypts them).
 */
export function decryptSecret(stored: string, keys: Buffer[]): string {
  if (!isEncrypted(stored)) return stored;
  const rest = stored.slice(ENCRYPTED_PREFIX.length);
  const separator = rest.indexOf(':');
  const id = rest.slice(0, separator);
  const key = keys.find((candidate) => keyId(candidate) === id);
  if (!key) throw new Error(`no encryption key with id ${id} is configured`);
  const data = Buffer.from(rest.slice(separator + 1), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
}
