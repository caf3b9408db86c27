import { randomBytes } from 'node:crypto';
import { randomAlphanumeric } from '../common/ids.js';

export const newApiKey = (): string => `key_test_${randomAlphanumeric(16)}`;
export const newApiSecret = (): string => `secret_test_${randomAlphanumeric(32)}`;
/** `whsec_` + standard base64 of 24 random bytes (32 characters), CONTRACT §7.5. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;
