/**
 * Integration snippets for the docs page (CONTRACT §10). They carry the merchant's api_key and the dashboard's
 * own origin, never a secret: the API secret and the webhook secret appear only as placeholders.
 */
export interface SnippetContext {
  /** `window.location.origin` of the dashboard, e.g. `http://localhost:8000`. */
  origin: string;
  apiKey: string;
}

export const API_SECRET_PLACEHOLDER = 'YOUR_API_SECRET';

export function createOrderSnippet({ origin, apiKey }: SnippetContext): string {
  return `curl -X POST ${origin}/api/v1/orders \\
  -H "Content-Type: application/json" \\
  -H "X-Api-Key: ${apiKey}" \\
  -H "X-Api-Secret: ${API_SECRET_PLACEHOLDER}" \\
  -d '{
    "amount": 50000,
    "currency": "INR",
    "receipt": "receipt_123",
    "notes": { "customer_name": "John Doe" }
  }'`;
}

export function sdkSnippet({ origin, apiKey }: SnippetContext): string {
  return `<script src="${origin}/checkout.js"></script>
<script>
  const checkout = new PaymentGateway({
    key: '${apiKey}',
    orderId: 'order_xyz', // the id returned by POST /api/v1/orders on your server
    onSuccess(response) {
      // { paymentId, orderId, signature, amount, currency, status }
      // Send it to your server and verify the signature before fulfilling the order.
      console.log('Payment successful', response.paymentId);
    },
    onFailure(error) {
      // { paymentId, orderId, error: { code, description } }; the modal stays open for a retry.
      console.log('Payment failed', error.error.description);
    },
    onClose() {
      console.log('Checkout closed');
    },
  });
  checkout.open();
</script>`;
}

export function webhookSnippet(): string {
  return `import crypto from 'node:crypto';
import express from 'express';
import { Webhook } from 'standardwebhooks';

const app = express();
// Dashboard → Webhooks. Keep it in your server's configuration, never in client code.
const WEBHOOK_SECRET = process.env.WEBHOOK_SECRET;

// Option 1: X-Webhook-Signature = hex HMAC-SHA256 of the raw request body.
// express.raw keeps the exact bytes that were signed.
app.post('/webhook', express.raw({ type: 'application/json' }), (req, res) => {
  const expected = crypto.createHmac('sha256', WEBHOOK_SECRET).update(req.body).digest('hex');
  const received = String(req.get('X-Webhook-Signature') ?? '');
  const valid =
    received.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(received), Buffer.from(expected));
  if (!valid) {
    return res.status(401).send('Invalid signature');
  }
  const event = JSON.parse(req.body.toString('utf8'));
  // Delivery is at-least-once: deduplicate on the X-Webhook-Id header.
  console.log('Webhook verified:', event.event, req.get('X-Webhook-Id'));
  res.status(200).send('OK');
});

// Option 2: the Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature).
// Generated secrets are whsec_ + base64 and work as they are. The seeded test secret
// whsec_test_abc123 is not base64: its raw bytes are the key, hence { format: 'raw' }.
const encoded = WEBHOOK_SECRET.slice('whsec_'.length);
const isBase64 = encoded.length > 0 && encoded.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(encoded);
const webhook = isBase64 ? new Webhook(WEBHOOK_SECRET) : new Webhook(WEBHOOK_SECRET, { format: 'raw' });

app.post('/webhook/standard', express.raw({ type: 'application/json' }), (req, res) => {
  let event;
  try {
    event = webhook.verify(req.body, req.headers);
  } catch {
    return res.status(401).send('Invalid signature');
  }
  console.log('Webhook verified:', event.event, req.get('webhook-id'));
  res.status(200).send('OK');
});

app.listen(4000);`;
}
