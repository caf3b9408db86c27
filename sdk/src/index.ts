import { PaymentGateway } from './payment-gateway.js';

export { PaymentGateway };
export type {
  PaymentFailureResponse,
  PaymentGatewayOptions,
  PaymentGatewayTheme,
  PaymentSuccessResponse,
} from './types.js';
export default PaymentGateway;
