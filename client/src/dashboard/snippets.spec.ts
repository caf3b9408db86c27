import { describe, expect, it } from '@jest/globals';
import { API_SECRET_PLACEHOLDER, createOrderSnippet, sdkSnippet, webhookSnippet } from './snippets';

const context = { origin: 'http://localhost:8000', apiKey: 'key_test_abc123' };

describe('createOrderSnippet', () => {
  it('should POST an order with the merchant key and a secret placeholder', () => {
    const sut = createOrderSnippet(context);
    expect(sut).toContain('curl -X POST http://localhost:8000/api/v1/orders');
    expect(sut).toContain('-H "X-Api-Key: key_test_abc123"');
    expect(sut).toContain(`-H "X-Api-Secret: ${API_SECRET_PLACEHOLDER}"`);
    expect(sut).toContain('"amount": 50000');
    expect(sut).not.toMatch(/secret_test_/);
  });

  it('should send a JSON body that parses', () => {
    const body = /-d '([\s\S]*)'$/.exec(createOrderSnippet(context))?.[1];
    expect(JSON.parse(body ?? '')).toEqual({
      amount: 50000,
      currency: 'INR',
      receipt: 'receipt_123',
      notes: { customer_name: 'John Doe' },
    });
  });
});

describe('sdkSnippet', () => {
  it('should load the SDK from the dashboard origin and open the checkout', () => {
    const sut = sdkSnippet({ origin: 'https://pay.example.com', apiKey: 'key_test_AbCdEfGh12345678' });
    expect(sut).toContain('<script src="https://pay.example.com/checkout.js"></script>');
    expect(sut).toContain('new PaymentGateway({');
    expect(sut).toContain("key: 'key_test_AbCdEfGh12345678'");
    expect(sut).toContain('orderId:');
    expect(sut).toContain('checkout.open();');
    expect(sut).not.toMatch(/secret/i);
  });
});

describe('webhookSnippet', () => {
  it('should verify the hex HMAC of the raw body in constant time', () => {
    const sut = webhookSnippet();
    expect(sut).toContain("req.get('X-Webhook-Signature')");
    expect(sut).toContain("crypto.createHmac('sha256', WEBHOOK_SECRET).update(req.body).digest('hex')");
    expect(sut).toContain('crypto.timingSafeEqual(');
    expect(sut).toContain("express.raw({ type: 'application/json' })");
  });

  it('should show the standardwebhooks alternative and the raw format of the seeded secret', () => {
    const sut = webhookSnippet();
    expect(sut).toContain("import { Webhook } from 'standardwebhooks';");
    expect(sut).toContain('new Webhook(WEBHOOK_SECRET)');
    expect(sut).toContain("new Webhook(WEBHOOK_SECRET, { format: 'raw' })");
    expect(sut).toContain('webhook.verify(req.body, req.headers)');
    expect(sut).toContain('whsec_test_abc123');
  });
});
