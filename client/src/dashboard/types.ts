/** JSON shapes of the API the dashboard reads (CONTRACT §3, §5). */

export interface MerchantProfile {
  id: string;
  name: string;
  email: string;
  api_key: string;
  webhook_url: string | null;
  created_at: string;
}

export interface Credentials {
  api_key: string;
  api_secret: string;
}

export interface PaymentStats {
  total_transactions: number;
  total_amount: number;
  success_rate: number;
}

export const PAYMENT_STATUSES = ['pending', 'processing', 'success', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYMENT_METHODS = ['upi', 'card'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Payment {
  id: string;
  order_id: string;
  amount: number;
  currency: string;
  method: PaymentMethod;
  vpa: string | null;
  card_network: string | null;
  card_last4: string | null;
  status: PaymentStatus;
  captured: boolean;
  error_code: string | null;
  error_description: string | null;
  created_at: string;
  updated_at: string;
}

export const REFUND_STATUSES = ['pending', 'processed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface Refund {
  id: string;
  payment_id: string;
  amount: number;
  reason: string | null;
  status: RefundStatus;
  created_at: string;
  processed_at: string | null;
}

export const WEBHOOK_STATUSES = ['pending', 'success', 'failed'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
export const WEBHOOK_EVENTS = [
  'payment.created',
  'payment.pending',
  'payment.success',
  'payment.failed',
  'refund.created',
  'refund.processed',
  'webhook.test',
] as const;

export interface WebhookLog {
  id: string;
  event: string;
  status: WebhookStatus;
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
  next_retry_at: string | null;
  response_code: number | null;
}

export interface DeliveryAttempt {
  attempt_number: number;
  started_at: string;
  duration_ms: number | null;
  url: string | null;
  response_code: number | null;
  response_body: string | null;
  error: string | null;
}

export interface WebhookLogDetail extends WebhookLog {
  response_body: string | null;
  payload: unknown;
  delivery_attempts: DeliveryAttempt[];
}

export interface WebhookConfig {
  webhook_url: string | null;
  webhook_secret: string;
}

export interface ListResponse<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}
