import { apiRequest } from '../shared/api';

/** `GET /api/v1/orders/{id}/public` (CONTRACT §5.7). */
export interface PublicOrder {
  id: string;
  amount: number;
  currency: string;
  status: 'created' | 'paid';
  merchant_name: string;
  created_at: string;
}

export type PaymentStatus = 'pending' | 'processing' | 'success' | 'failed';

/** `GET /api/v1/payments/{id}/public` (CONTRACT §5.7): no VPA or card data; `signature` only once successful. */
export interface PublicPayment {
  id: string;
  order_id: string;
  amount: number;
  currency: string;
  method: 'upi' | 'card';
  status: PaymentStatus;
  error_code: string | null;
  error_description: string | null;
  created_at: string;
  signature: string | null;
}

/** The fields of the `201` payment (CONTRACT §3) that the page relies on. */
export type CreatedPayment = Pick<PublicPayment, 'id' | 'order_id' | 'status'>;

export interface UpiPaymentRequest {
  order_id: string;
  method: 'upi';
  vpa: string;
}

export interface CardPaymentRequest {
  order_id: string;
  method: 'card';
  card: { number: string; expiry_month: string; expiry_year: string; cvv: string; holder_name?: string };
}

export type PaymentRequest = UpiPaymentRequest | CardPaymentRequest;

export function fetchPublicOrder(orderId: string): Promise<PublicOrder> {
  return apiRequest<PublicOrder>('GET', `/api/v1/orders/${encodeURIComponent(orderId)}/public`);
}

export function createPublicPayment(request: PaymentRequest): Promise<CreatedPayment> {
  return apiRequest<CreatedPayment>('POST', '/api/v1/payments/public', request);
}

export function fetchPublicPayment(paymentId: string): Promise<PublicPayment> {
  return apiRequest<PublicPayment>('GET', `/api/v1/payments/${encodeURIComponent(paymentId)}/public`);
}

export function isFinalStatus(status: PaymentStatus): status is 'success' | 'failed' {
  return status === 'success' || status === 'failed';
}
