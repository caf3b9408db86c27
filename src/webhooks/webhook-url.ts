import { ApiException } from '../common/api.exception.js';

const INVALID = 'webhook_url must be a valid http or https URL';

/** `null`/`""` → null (webhooks disabled); else an absolute http(s) URL of at most 2048 characters. */
export function parseWebhookUrl(value: unknown): string | null {
  if (value === null || value === '' || value === undefined) return null;
  if (typeof value !== 'string' || value.length > 2048) throw ApiException.badRequest(INVALID);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw ApiException.badRequest(INVALID);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) throw ApiException.badRequest(INVALID);
  return value;
}

export const INVALID_WEBHOOK_URL = INVALID;
