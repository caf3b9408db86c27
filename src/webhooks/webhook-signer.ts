import { createHmac } from 'node:crypto';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Lowercase hex HMAC-SHA256 of the exact body with the UTF-8 bytes of the whole secret (X-Webhook-Signature). */
export function legacySignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Standard Webhooks key: for `whsec_<B>` with non-empty strict standard base64 `<B>`, the decoded
 * bytes; otherwise (the seeded `whsec_test_abc123`) the UTF-8 bytes of the whole secret.
 */
export function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
  if (encoded.length > 0 && STRICT_BASE64.test(encoded)) return Buffer.from(encoded, 'base64');
  return Buffer.from(secret, 'utf8');
}

/** `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` (webhook-signature). */
export function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Every header of CONTRACT §7.3 for one attempt. */
export function webhookHeaders(args: {
  secret: string;
  logId: string;
  event: string;
  body: string;
  timestamp: number;
}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'PaymentGateway-Webhooks/1.0',
    'x-webhook-event': args.event,
    'x-webhook-id': args.logId,
    'x-webhook-signature': legacySignature(args.secret, args.body),
    'webhook-id': args.logId,
    'webhook-timestamp': String(args.timestamp),
    'webhook-signature': standardSignature(args.secret, args.logId, args.timestamp, args.body),
  };
}
