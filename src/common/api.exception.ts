import { HttpException } from '@nestjs/common';

/** Error codes of CONTRACT §2.3. */
export type ErrorCode =
  | 'BAD_REQUEST_ERROR'
  | 'INVALID_VPA'
  | 'INVALID_CARD'
  | 'EXPIRED_CARD'
  | 'AUTHENTICATION_ERROR'
  | 'NOT_FOUND_ERROR'
  | 'CONFLICT_ERROR'
  | 'IDEMPOTENCY_KEY_IN_PROGRESS'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

export interface ErrorEnvelope {
  error: { code: ErrorCode; description: string };
}

/**
 * An expected failure carrying the contract's code and description; the global filter renders it as
 * the `{"error":{...}}` envelope. `headers` are added to the response (Retry-After, ...).
 */
export class ApiException extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super({ error: { code, description } } satisfies ErrorEnvelope, status);
  }

  static badRequest(description: string): ApiException {
    return new ApiException(400, 'BAD_REQUEST_ERROR', description);
  }

  static notFound(description: string): ApiException {
    return new ApiException(404, 'NOT_FOUND_ERROR', description);
  }

  static unauthorized(description = 'Invalid API credentials'): ApiException {
    return new ApiException(401, 'AUTHENTICATION_ERROR', description);
  }
}
