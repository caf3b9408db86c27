import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { legacySignature, standardWebhooksKey, webhookHeaders } from './webhook-signer.js';
import { delayBeforeNextAttempt } from './retry-schedule.js';

const body = '{"event":"webhook.test","timestamp":1705315870,"data":{"message":"This is a test webhook"}}';

describe('webhook signatures', () => {
  it('should sign the raw body with the whole secret as hex HMAC-SHA256', () => {
    expect(legacySignature('whsec_test_abc123', body)).toBe(
      createHmac('sha256', 'whsec_test_abc123').update(body).digest('hex'),
    );
  });

  it('should use the raw secret bytes for the seeded non-base64 secret', () => {
    expect(standardWebhooksKey('whsec_test_abc123').toString('utf8')).toBe('whsec_test_abc123');
  });

  it('should base64-decode generated secrets', () => {
    const raw = Buffer.alloc(24, 7);
    expect(standardWebhooksKey(`whsec_${raw.toString('base64')}`)).toEqual(raw);
  });

  it.each([
    ['whsec_test_abc123', { format: 'raw' as const }],
    [`whsec_${Buffer.alloc(24, 9).toString('base64')}`, undefined],
  ])('should produce headers the standardwebhooks library verifies for %s', (secret, options) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders({
      secret,
      logId: 'c0ffee00-0000-4000-8000-000000000001',
      event: 'webhook.test',
      body,
      timestamp,
    });
    const verifier = options ? new Webhook(secret, options) : new Webhook(secret);
    expect(verifier.verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['x-webhook-id']).toBe(headers['webhook-id']);
    expect(headers['user-agent']).toBe('PaymentGateway-Webhooks/1.0');
  });
});

describe('retry schedule', () => {
  it('should wait 1 min, 5 min, 30 min, 2 h between attempts, then stop', () => {
    expect([1, 2, 3, 4, 5].map((n) => delayBeforeNextAttempt(n, false))).toEqual([
      60_000,
      300_000,
      1_800_000,
      7_200_000,
      null,
    ]);
  });

  it('should use 5/10/15/20 s in test mode', () => {
    expect([1, 2, 3, 4, 5].map((n) => delayBeforeNextAttempt(n, true))).toEqual([5_000, 10_000, 15_000, 20_000, null]);
  });
});
