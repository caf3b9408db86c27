import { ApiException } from '../common/api.exception.js';

export interface RefundRequest {
  amount: number;
  reason: string | null;
}

/** Step 2 of CONTRACT §5.5: amount required integer > 0, reason optional string ≤ 255. */
export function parseRefundRequest(body: Record<string, unknown>): RefundRequest {
  const { amount, reason } = body;
  if (amount === undefined || amount === null) throw ApiException.badRequest('amount is required');
  if (typeof amount !== 'number' || !Number.isInteger(amount))
    throw ApiException.badRequest('amount must be an integer');
  if (amount < 1) throw ApiException.badRequest('amount must be greater than 0');
  if (reason !== undefined && reason !== null && (typeof reason !== 'string' || reason.length > 255)) {
    throw ApiException.badRequest('reason must be a string of at most 255 characters');
  }
  return { amount, reason: reason ?? null };
}
