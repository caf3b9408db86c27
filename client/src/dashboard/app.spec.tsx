import { afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { App } from './app';

type Handler = (body: unknown, url: URL) => { status: number; body?: unknown };
type Routes = Record<string, Handler>;

const profile = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  name: 'Test Merchant',
  email: 'test@example.com',
  api_key: 'key_test_abc123',
  webhook_url: null,
  created_at: '2024-01-01T00:00:00.000Z',
};
const payment = {
  id: 'pay_AAAAAAAAAAAAAAAA',
  order_id: 'order_BBBBBBBBBBBBBBBB',
  amount: 50000,
  currency: 'INR',
  method: 'upi',
  vpa: 'user@paytm',
  card_network: null,
  card_last4: null,
  status: 'success',
  captured: false,
  error_code: null,
  error_description: null,
  created_at: '2024-01-15T10:31:00.000Z',
  updated_at: '2024-01-15T10:31:05.000Z',
};
const log = {
  id: '9aefb10c-0535-4b95-810a-b88f055aed39',
  event: 'payment.success',
  status: 'failed',
  attempts: 5,
  created_at: '2024-01-15T10:31:00.000Z',
  last_attempt_at: '2024-01-15T12:31:00.000Z',
  next_retry_at: null,
  response_code: null,
};
const list = (data: unknown[], total = data.length) => ({ status: 200, body: { data, total, limit: 100, offset: 0 } });

let routes: Routes;
let calls: { method: string; url: URL; body: unknown }[];
let root: Root | undefined;
let container: HTMLDivElement;

function baseRoutes(): Routes {
  return {
    'GET /api/v1/merchants/me': () => ({ status: 200, body: profile }),
    'GET /api/v1/merchants/me/credentials': () => ({
      status: 200,
      body: { api_key: 'key_test_abc123', api_secret: 'secret_test_xyz789' },
    }),
    'GET /api/v1/payments/stats': () => ({
      status: 200,
      body: { total_transactions: 3, total_amount: 150000, success_rate: 67 },
    }),
    'GET /api/v1/payments': () => list([payment]),
    'GET /api/v1/refunds': () => list([]),
    'GET /api/v1/webhooks/config': () => ({
      status: 200,
      body: { webhook_url: 'http://localhost:4000/webhook', webhook_secret: 'whsec_test_abc123' },
    }),
    'GET /api/v1/webhooks': () => list([log]),
  };
}

beforeAll(() => {
  Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });
  jest.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

beforeEach(() => {
  routes = baseRoutes();
  calls = [];
  // The dashboard only ever fetches relative URL strings with JSON string bodies.
  const fakeFetch = (input: string, init?: { method?: string; body?: string }) => {
    const url = new URL(input, window.location.origin);
    const method = init?.method ?? 'GET';
    const body: unknown = init?.body ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body });
    const handler = routes[`${method} ${url.pathname}`];
    const result = handler
      ? handler(body, url)
      : { status: 404, body: { error: { code: 'NOT_FOUND_ERROR', description: 'Route not found' } } };
    return Promise.resolve({
      status: result.status,
      ok: result.status >= 200 && result.status < 300,
      text: () => Promise.resolve(result.body === undefined ? '' : JSON.stringify(result.body)),
    });
  };
  globalThis.fetch = jest.fn(fakeFetch) as unknown as typeof fetch;
  container = document.createElement('div');
  document.body.appendChild(container);
});

afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  container.remove();
  window.history.replaceState(null, '', '/');
});

async function flush(): Promise<void> {
  for (let index = 0; index < 5; index += 1) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

async function render(path: string): Promise<void> {
  window.history.replaceState(null, '', path);
  root = createRoot(container);
  act(() => root?.render(<App />));
  await flush();
}

const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-test-id="${id}"]`);
const allByTestId = (id: string) => [...container.querySelectorAll<HTMLElement>(`[data-test-id="${id}"]`)];

async function click(element: HTMLElement | null): Promise<void> {
  act(() => element?.click());
  await flush();
}

function type(element: HTMLElement | null, value: string): void {
  const input = element as HTMLInputElement;
  // React tracks the value property; the prototype setter makes the change visible to onChange.
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit(form: HTMLElement | null): Promise<void> {
  act(() => (form as HTMLFormElement).requestSubmit());
  await flush();
}

describe('routing and session', () => {
  it('should send a visitor without a session to /login', async () => {
    routes['GET /api/v1/merchants/me'] = () => ({
      status: 401,
      body: { error: { code: 'AUTHENTICATION_ERROR', description: 'Invalid API credentials' } },
    });
    await render('/dashboard/transactions');
    expect(window.location.pathname).toBe('/login');
    expect(byTestId('login-form')).not.toBeNull();
  });

  it('should redirect unknown client routes to /dashboard', async () => {
    await render('/dashboard/nope');
    expect(window.location.pathname).toBe('/dashboard');
    expect(byTestId('dashboard')).not.toBeNull();
  });

  it('should navigate in-app from the navigation bar and log out', async () => {
    routes['POST /api/v1/auth/logout'] = () => ({ status: 204 });
    await render('/dashboard');
    const links = [...container.querySelectorAll<HTMLAnchorElement>('nav[aria-label="Main"] a')];
    expect(links.map((link) => link.textContent)).toEqual(['Dashboard', 'Transactions', 'Refunds', 'Webhooks', 'Docs']);
    expect(byTestId('merchant-name')?.textContent).toBe('Test Merchant');

    await click(links[2] ?? null);
    expect(window.location.pathname).toBe('/dashboard/refunds');
    expect(byTestId('refunds-table')).not.toBeNull();

    await click(byTestId('logout-button'));
    expect(calls.some((call) => call.method === 'POST' && call.url.pathname === '/api/v1/auth/logout')).toBe(true);
    expect(window.location.pathname).toBe('/login');
  });
});

describe('login and signup', () => {
  it('should show the contract message on a failed login', async () => {
    routes['POST /api/v1/auth/login'] = () => ({
      status: 401,
      body: { error: { code: 'AUTHENTICATION_ERROR', description: 'Invalid email or password' } },
    });
    await render('/login');
    expect(byTestId('email-input')?.getAttribute('type')).toBe('email');
    expect(byTestId('password-input')?.getAttribute('type')).toBe('password');
    expect(byTestId('login-button')?.getAttribute('type')).toBe('submit');
    expect(container.querySelector('a[href="/signup"]')).not.toBeNull();
    type(byTestId('email-input'), 'test@example.com');
    type(byTestId('password-input'), 'wrong');
    await submit(byTestId('login-form'));
    expect(byTestId('login-error')?.textContent).toBe('Invalid email or password');
    expect(window.location.pathname).toBe('/login');
  });

  it('should enter the dashboard after logging in', async () => {
    routes['POST /api/v1/auth/login'] = () => ({ status: 200, body: profile });
    await render('/login');
    type(byTestId('email-input'), 'test@example.com');
    type(byTestId('password-input'), 'password123');
    await submit(byTestId('login-form'));
    expect(calls.find((call) => call.url.pathname === '/api/v1/auth/login')?.body).toEqual({
      email: 'test@example.com',
      password: 'password123',
    });
    expect(window.location.pathname).toBe('/dashboard');
    expect(byTestId('dashboard')).not.toBeNull();
  });

  it('should show the API description when signup fails', async () => {
    routes['POST /api/v1/auth/signup'] = () => ({
      status: 409,
      body: { error: { code: 'CONFLICT_ERROR', description: 'Email already registered' } },
    });
    await render('/signup');
    type(byTestId('name-input'), 'Acme');
    type(byTestId('email-input'), 'test@example.com');
    type(byTestId('password-input'), 'password123');
    await click(byTestId('signup-button'));
    expect(byTestId('signup-error')?.textContent).toBe('Email already registered');
  });
});

describe('dashboard page', () => {
  it('should render the credentials with the exact contract markup and the stats', async () => {
    await render('/dashboard');
    const credentials = byTestId('api-credentials')?.innerHTML ?? '';
    expect(credentials).toContain('<label>API Key</label><span data-test-id="api-key">key_test_abc123</span>');
    expect(credentials).toContain('<label>API Secret</label><span data-test-id="api-secret">secret_test_xyz789</span>');
    expect(byTestId('stats-container')).not.toBeNull();
    expect(byTestId('total-transactions')?.textContent).toBe('3');
    expect(byTestId('total-amount')?.textContent).toBe('₹1500.00');
    expect(byTestId('success-rate')?.textContent).toBe('67%');
  });

  it('should regenerate keys after confirmation and show the new secret', async () => {
    routes['POST /api/v1/merchants/me/regenerate-keys'] = () => ({
      status: 200,
      body: { api_key: 'key_test_abc123', api_secret: 'secret_test_NEW' },
    });
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(true);
    await render('/dashboard');
    await click(byTestId('regenerate-keys-button'));
    expect(confirm).toHaveBeenCalled();
    expect(byTestId('api-secret')?.textContent).toBe('secret_test_NEW');
    confirm.mockRestore();
  });

  it('should keep the keys when the confirmation is dismissed', async () => {
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(false);
    await render('/dashboard');
    await click(byTestId('regenerate-keys-button'));
    expect(calls.some((call) => call.url.pathname === '/api/v1/merchants/me/regenerate-keys')).toBe(false);
    confirm.mockRestore();
  });
});

describe('transactions page', () => {
  it('should render one row per payment with raw paise and UTC times', async () => {
    await render('/dashboard/transactions');
    const headers = [...container.querySelectorAll('[data-test-id="transactions-table"] th')].map(
      (th) => th.textContent,
    );
    expect(headers).toEqual(['Payment ID', 'Order ID', 'Amount', 'Method', 'Status', 'Created']);
    const row = byTestId('transaction-row');
    expect(row?.tagName).toBe('TR');
    expect(row?.dataset.paymentId).toBe('pay_AAAAAAAAAAAAAAAA');
    const cell = (id: string) => row?.querySelector(`[data-test-id="${id}"]`)?.textContent;
    expect(cell('payment-id')).toBe('pay_AAAAAAAAAAAAAAAA');
    expect(cell('order-id')).toBe('order_BBBBBBBBBBBBBBBB');
    expect(cell('amount')).toBe('50000');
    expect(cell('method')).toBe('upi');
    expect(cell('status')).toBe('success');
    expect(cell('created-at')).toBe('2024-01-15 10:31:00');
    expect((byTestId('page-prev') as HTMLButtonElement).disabled).toBe(true);
    expect((byTestId('page-next') as HTMLButtonElement).disabled).toBe(true);
  });

  it('should page with limit 100 and pass filters as query parameters', async () => {
    routes['GET /api/v1/payments'] = () => list([payment], 250);
    await render('/dashboard/transactions');
    expect((byTestId('page-next') as HTMLButtonElement).disabled).toBe(false);
    await click(byTestId('page-next'));
    const last = () => calls.filter((call) => call.url.pathname === '/api/v1/payments').at(-1)?.url.searchParams;
    expect(last()?.get('limit')).toBe('100');
    expect(last()?.get('offset')).toBe('100');
    expect(window.location.search).toBe('?page=2');

    const select = byTestId('status-filter') as HTMLSelectElement;
    act(() => {
      select.value = 'failed';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await flush();
    expect(last()?.get('status')).toBe('failed');
    expect(last()?.get('offset')).toBe('0');
  });

  it('should open the payment drawer with its refunds when a row is clicked', async () => {
    routes['GET /api/v1/payments/pay_AAAAAAAAAAAAAAAA'] = () => ({ status: 200, body: payment });
    routes['GET /api/v1/payments/pay_AAAAAAAAAAAAAAAA/refunds'] = () => list([]);
    await render('/dashboard/transactions');
    await click(byTestId('transaction-row'));
    expect(byTestId('payment-drawer')?.textContent).toContain('No refunds for this payment.');
    expect(window.location.search).toBe('?payment=pay_AAAAAAAAAAAAAAAA');
  });
});

describe('refunds page', () => {
  it('should render refund cells with dashes for nulls', async () => {
    routes['GET /api/v1/refunds'] = () =>
      list([
        {
          id: 'rfnd_CCCCCCCCCCCCCCCC',
          payment_id: payment.id,
          amount: 25000,
          reason: null,
          status: 'pending',
          created_at: '2024-01-15T11:00:00.000Z',
          processed_at: null,
        },
      ]);
    await render('/dashboard/refunds');
    const row = byTestId('refund-row');
    expect(row?.dataset.refundId).toBe('rfnd_CCCCCCCCCCCCCCCC');
    const cell = (id: string) => row?.querySelector(`[data-test-id="${id}"]`)?.textContent;
    expect(cell('refund-payment-id')).toBe(payment.id);
    expect(cell('refund-amount')).toBe('25000');
    expect(cell('refund-reason')).toBe('-');
    expect(cell('refund-status')).toBe('pending');
    expect(cell('refund-created-at')).toBe('2024-01-15 11:00:00');
    expect(cell('refund-processed-at')).toBe('-');
  });
});

describe('webhooks page', () => {
  it('should render the config form and the log table', async () => {
    await render('/dashboard/webhooks');
    expect(byTestId('webhook-config')).not.toBeNull();
    const input = byTestId('webhook-url-input') as HTMLInputElement;
    expect(input.type).toBe('url');
    expect(input.placeholder).toBe('https://yoursite.com/webhook');
    expect(input.value).toBe('http://localhost:4000/webhook');
    expect(byTestId('webhook-secret')?.tagName).toBe('SPAN');
    expect(byTestId('webhook-secret')?.textContent).toBe('whsec_test_abc123');
    expect(byTestId('save-webhook-button')?.textContent).toBe('Save Configuration');
    expect(byTestId('test-webhook-button')?.textContent).toBe('Send Test Webhook');
    const form = byTestId('webhook-config-form');
    for (const id of [
      'webhook-url-input',
      'webhook-secret',
      'regenerate-secret-button',
      'save-webhook-button',
      'test-webhook-button',
    ]) {
      expect(form?.querySelector(`[data-test-id="${id}"]`)).not.toBeNull();
    }
    const row = byTestId('webhook-log-item');
    const cell = (id: string) => row?.querySelector(`[data-test-id="${id}"]`)?.textContent;
    expect(row?.dataset.webhookId).toBe(log.id);
    expect(cell('webhook-event')).toBe('payment.success');
    expect(cell('webhook-status')).toBe('failed');
    expect(cell('webhook-attempts')).toBe('5');
    expect(cell('webhook-last-attempt')).toBe('2024-01-15 12:31:00');
    expect(cell('webhook-response-code')).toBe('-');
    const retry = row?.querySelector<HTMLElement>('[data-test-id="retry-webhook-button"]');
    expect(retry?.textContent).toBe('Retry');
    expect(retry?.dataset.webhookId).toBe(log.id);
  });

  it('should save an empty URL as null and show API errors of the test button', async () => {
    routes['PUT /api/v1/webhooks/config'] = (body) => ({
      status: 200,
      body: { webhook_url: (body as { webhook_url: string | null }).webhook_url, webhook_secret: 'whsec_test_abc123' },
    });
    routes['POST /api/v1/webhooks/test'] = () => ({
      status: 400,
      body: { error: { code: 'BAD_REQUEST_ERROR', description: 'webhook_url is not configured' } },
    });
    await render('/dashboard/webhooks');
    type(byTestId('webhook-url-input'), '');
    await click(byTestId('save-webhook-button'));
    expect(calls.find((call) => call.method === 'PUT')?.body).toEqual({ webhook_url: null });

    await click(byTestId('test-webhook-button'));
    expect(byTestId('webhook-message')?.textContent).toContain('webhook_url is not configured');
  });

  it('should regenerate the secret, retry a delivery and reload the log after each action', async () => {
    routes['POST /api/v1/webhooks/regenerate-secret'] = () => ({
      status: 200,
      body: { webhook_secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    routes[`POST /api/v1/webhooks/${log.id}/retry`] = () => ({
      status: 200,
      body: { id: log.id, status: 'pending', message: 'Webhook retry scheduled' },
    });
    await render('/dashboard/webhooks');
    const logLoads = () => calls.filter((call) => call.url.pathname === '/api/v1/webhooks').length;
    const before = logLoads();

    await click(byTestId('regenerate-secret-button'));
    expect(byTestId('webhook-secret')?.textContent).toBe('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(logLoads()).toBe(before + 1);

    await click(byTestId('retry-webhook-button'));
    expect(
      calls.some((call) => call.method === 'POST' && call.url.pathname === `/api/v1/webhooks/${log.id}/retry`),
    ).toBe(true);
    expect(logLoads()).toBe(before + 2);
    // The retry button must not also open the delivery drawer.
    expect(byTestId('webhook-log-drawer')).toBeNull();
  });
});

describe('docs page', () => {
  it('should render the three snippets with the merchant key and this origin', async () => {
    await render('/dashboard/docs');
    expect(byTestId('api-docs')?.querySelector('h1')?.textContent).toBe('Integration Guide');
    expect(document.title).toBe('Integration Guide');
    const snippet = (id: string) => container.querySelector(`pre[data-test-id="${id}"] > code`)?.textContent ?? '';
    expect(byTestId('section-create-order')?.contains(byTestId('code-snippet-create-order'))).toBe(true);
    expect(byTestId('section-sdk-integration')?.contains(byTestId('code-snippet-sdk'))).toBe(true);
    expect(byTestId('section-webhook-verification')?.contains(byTestId('code-snippet-webhook'))).toBe(true);
    expect(snippet('code-snippet-create-order')).toContain('X-Api-Key: key_test_abc123');
    expect(snippet('code-snippet-sdk')).toContain(`<script src="${window.location.origin}/checkout.js"></script>`);
    expect(snippet('code-snippet-webhook')).toContain('X-Webhook-Signature');
    expect(container.textContent).not.toContain('secret_test_');
    expect(container.querySelector('a[href="/api/docs"]')).not.toBeNull();
    expect(allByTestId('code-snippet-sdk')).toHaveLength(1);
  });
});
