/** Payload of `onSuccess`, posted by the embedded checkout page once a payment succeeds. */
export interface PaymentSuccessResponse {
  paymentId: string;
  orderId: string;
  /** Lowercase hex HMAC-SHA256 of `order_id|payment_id`; verify it server-side before trusting the payment. */
  signature: string;
  /** Integer paise (`50000` = ₹500.00). */
  amount: number;
  currency: string;
  status: 'success';
}

/** Payload of `onFailure`, posted by the embedded checkout page when a payment fails. */
export interface PaymentFailureResponse {
  paymentId: string;
  orderId: string;
  error: {
    code: string;
    description: string;
  };
}

export interface PaymentGatewayTheme {
  /** Accent colour as `#RGB` or `#RRGGBB`; any other value is ignored. */
  color?: string;
}

export interface PaymentGatewayOptions {
  /** The merchant's public API key (`key_test_…`). */
  key: string;
  /** The order created server-side through `POST /api/v1/orders`. */
  orderId: string;
  /** Gateway origin; defaults to the origin `checkout.js` was loaded from, else the page's origin. */
  baseUrl?: string;
  theme?: PaymentGatewayTheme;
  onSuccess?: (response: PaymentSuccessResponse) => void;
  onFailure?: (response: PaymentFailureResponse) => void;
  onClose?: () => void;
}
