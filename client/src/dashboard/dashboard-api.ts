/**
 * The API calls the dashboard makes, typed. Everything here rides on the `gw_session` cookie; a 401 from any of them
 * means the session is gone, so it is announced once for the app shell to send the browser to /login.
 */
import { ApiError, apiRequest } from '../shared/api';
import { toQueryString } from './paging';
import type {
  Credentials,
  ListResponse,
  MerchantProfile,
  Payment,
  PaymentStats,
  Refund,
  WebhookConfig,
  WebhookLog,
  WebhookLogDetail,
} from './types';

export const UNAUTHORIZED_EVENT = 'gw:unauthorized';

type Query = Record<string, string | number | undefined>;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    return await apiRequest<T>(method, `/api/v1${path}`, body);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    }
    throw error;
  }
}

const id = encodeURIComponent;

export const authApi = {
  // Login and signup answer 401/4xx about the form, not about a session: they bypass the unauthorized signal.
  login: (email: string, password: string) =>
    apiRequest<MerchantProfile>('POST', '/api/v1/auth/login', { email, password }),
  signup: (name: string, email: string, password: string) =>
    apiRequest<MerchantProfile>('POST', '/api/v1/auth/signup', { name, email, password }),
  logout: () => apiRequest<void>('POST', '/api/v1/auth/logout'),
};

export const dashboardApi = {
  me: () => call<MerchantProfile>('GET', '/merchants/me'),
  credentials: () => call<Credentials>('GET', '/merchants/me/credentials'),
  regenerateKeys: () => call<Credentials>('POST', '/merchants/me/regenerate-keys'),
  paymentStats: () => call<PaymentStats>('GET', '/payments/stats'),
  payments: (query: Query) => call<ListResponse<Payment>>('GET', `/payments${toQueryString(query)}`),
  payment: (paymentId: string) => call<Payment>('GET', `/payments/${id(paymentId)}`),
  paymentRefunds: (paymentId: string) =>
    call<ListResponse<Refund>>('GET', `/payments/${id(paymentId)}/refunds?limit=100`),
  refunds: (query: Query) => call<ListResponse<Refund>>('GET', `/refunds${toQueryString(query)}`),
  webhookConfig: () => call<WebhookConfig>('GET', '/webhooks/config'),
  updateWebhookConfig: (webhookUrl: string | null) =>
    call<WebhookConfig>('PUT', '/webhooks/config', { webhook_url: webhookUrl }),
  regenerateWebhookSecret: () => call<{ webhook_secret: string }>('POST', '/webhooks/regenerate-secret'),
  sendTestWebhook: () => call<{ id: string; event: string; status: string }>('POST', '/webhooks/test'),
  webhookLogs: (query: Query) => call<ListResponse<WebhookLog>>('GET', `/webhooks${toQueryString(query)}`),
  webhookLog: (logId: string) => call<WebhookLogDetail>('GET', `/webhooks/${id(logId)}`),
  retryWebhook: (logId: string) =>
    call<{ id: string; status: string; message: string }>('POST', `/webhooks/${id(logId)}/retry`),
};

/** A human sentence for any failure: the API description, or a hint that the network failed. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return error.description;
  }
  return 'Could not reach the server. Check your connection and try again.';
}
