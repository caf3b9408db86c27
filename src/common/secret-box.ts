import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { decryptSecret, encryptSecret } from './crypto.js';

/** Encrypts secrets for storage and decrypts them for use, with the configured APP_ENCRYPTION_KEY. */
@Injectable()
export class SecretBox {
  private readonly keys: Buffer[];

  constructor(private readonly config: AppConfig) {
    this.keys = [config.encryptionKey, ...config.previousEncryptionKeys];
  }

  seal(plaintext: string): string {
    return encryptSecret(plaintext, this.config.encryptionKey);
  }

  open(stored: string): string {
    return decryptSecret(stored, this.keys);
  }
}
