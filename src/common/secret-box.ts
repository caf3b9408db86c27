import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { decryptSecret, encryptSecret } from './crypto.js';

/** Decrypted values kept per process; beyond this many the cache starts over. */
const OPENED_CACHE_SIZE = 10_000;

/**
 * Encrypts secrets for storage and decrypts them for use, with the configured APP_ENCRYPTION_KEY.
 * Every request authenticates and every webhook is signed, so decrypted values are cached by their
 * ciphertext: a new secret always has a new ciphertext (random IV), so the cache can never serve a
 * replaced secret.
 */
@Injectable()
export class SecretBox {
  private readonly keys: Buffer[];
  private readonly opened = new Map<string, string>();

  constructor(private readonly config: AppConfig) {
    this.keys = [config.encryptionKey, ...config.previousEncryptionKeys];
  }

  seal(plaintext: string): string {
    return encryptSecret(plaintext, this.config.encryptionKey);
  }

  open(stored: string): string {
    let plaintext = this.opened.get(stored);
    if (plaintext === undefined) {
      plaintext = decryptSecret(stored, this.keys);
      if (this.opened.size >= OPENED_CACHE_SIZE) this.opened.clear();
      this.opened.set(stored, plaintext);
    }
    return plaintext;
  }
}
