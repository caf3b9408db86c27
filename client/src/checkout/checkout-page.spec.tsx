import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { PaymentStatus, PublicOrder, PublicPayment } from './checkout-api';
import { CheckoutPage } from './checkout-page';
import type { CheckoutParams } from './checkout-params';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const ORDER: PublicOrder = {
  id: 'order_NXhj67fGhj12sdQa',
  amount: 50000,
  currency: 'INR',
  status: 'created',
  merchant_name: 'Test Merchant',
  created_at: '2024-01-15T10:31:00.000Z',
};

const publicPayment = (status: PaymentStatus, overrides: Partial<PublicPayment> = {}): PublicPayment => ({
  id: 'pay_H8sK3jD9s2L1pQr4',
  order_id: ORDER.id,
  amount: 50000,
  currency: 'INR',
  method: 'upi',
  status,
  error_code: status === 'failed' ? 'PAYMENT_FAILED' : null,
  error_description: status === 'failed' ? 'Payment declined by bank' : null,
  created_at: '2024-01-15T10:31:00.000Z',
  signature: status === 'success' ? 'f'.repeat(64) : null,
  ...overrides,
});

interface Reply {
  status: number;
  body?: unknown;
}
type Answer = Reply | Error | Promise<Reply>;

/** Test double for the three public endpoints; `paymentAnswers` are consumed one poll at a time. */
class FakeApi {
  order: Answer = { status: 200, body: ORDER };
  create: Answer = { status: 201, body: { id: 'pay_H8sK3jD9s2L1pQr4', order_id: ORDER.id, status: 'pending' } };
  paymentAnswers: Answer[] = [];
  requests: { method: string; url: string; body: unknown }[] = [];

  /** `apiRequest` always calls `fetch(path, init)` with a relative path string and a JSON string body. */
  readonly fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    this.requests.push({ method, url, body });
    const answer = await this.answerFor(method, url);
    if (answer instanceof Error) throw answer;
    return {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      text: async () => (answer.body === undefined ? '' : JSON.stringify(answer.body)),
    } as Response;
  };

  private answerFor(method: string, url: string): Answer {
    if (method === 'GET' && /^\/api\/v1\/orders\/[^/]+\/public$/.test(url)) return this.order;
    if (method === 'POST' && url === '/api/v1/payments/public') return this.create;
    if (method === 'GET' && /^\/api\/v1\/payments\/[^/]+\/public$/.test(url)) {
      return this.paymentAnswers.length > 1 ? this.paymentAnswers.shift()! : this.paymentAnswers[0];
    }
    return { status: 404, body: { error: { code: 'NOT_FOUND_ERROR', description: 'Route not found' } } };
  }

  postsTo(url: string): unknown[] {
    return this.requests.filter((request) => request.method === 'POST' && request.url === url).map((r) => r.body);
  }
}

const STANDALONE: CheckoutParams = { orderId: ORDER.id, embedded: false, parentOrigin: null, themeColor: null };
const EMBEDDED: CheckoutParams = { ...STANDALONE, embedded: true, parentOrigin: 'http://shop.example:3000' };

let api: FakeApi;
let host: HTMLDivElement;
let root: Root;
/** The `(message, targetOrigin)` overload the page uses. */
type PostMessage = (message: unknown, targetOrigin: string) => void;
let postMessage: jest.Mock<PostMessage>;
let postMessageSpy: jest.SpiedFunction<typeof window.postMessage>;

beforeEach(() => {
  jest.useFakeTimers();
  api = new FakeApi();
  globalThis.fetch = api.fetch as typeof fetch;
  // In jsdom the page is top-level, so window.parent is window itself.
  postMessage = jest.fn<PostMessage>();
  postMessageSpy = jest
    .spyOn(window, 'postMessage')
    .mockImplementation(postMessage as unknown as typeof window.postMessage);
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
  postMessageSpy.mockRestore();
  jest.useRealTimers();
});

async function render(params: CheckoutParams): Promise<void> {
  await act(async () => root.render(<CheckoutPage params={params} />));
  await advance(0);
}

async function advance(ms: number): Promise<void> {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return host.querySelector<T>(`[data-test-id="${id}"]`);
}

function get<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = byTestId<T>(id);
  if (!element) throw new Error(`no element with data-test-id="${id}"`);
  return element;
}

function countTestIds(): Map<string, number> {
  const counts = new Map<string, number>();
  host.querySelectorAll('[data-test-id]').forEach((element) => {
    const id = element.getAttribute('data-test-id')!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  return counts;
}

async function type(id: string, value: string): Promise<void> {
  const input = get<HTMLInputElement>(id);
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function click(id: string): Promise<void> {
  await act(async () => get(id).click());
  await advance(0);
}

describe('CheckoutPage', () => {
  it('should show "Order not found" without an order_id and keep it after Try Again', async () => {
    await render({ ...STANDALONE, orderId: null });

    expect(get('checkout-container')).toBeTruthy();
    expect(get('error-state').querySelector('h2')?.textContent).toBe('Payment Failed');
    expect(get('error-message').textContent).toBe('Order not found');
    expect(api.requests).toHaveLength(0);

    await click('retry-button');
    expect(get('error-message').textContent).toBe('Order not found');
  });

  it('should show "Order not found" for an unknown order and reload it on Try Again', async () => {
    api.order = { status: 404, body: { error: { code: 'NOT_FOUND_ERROR', description: 'Order not found' } } };
    await render(STANDALONE);
    expect(get('error-message').textContent).toBe('Order not found');
    expect(byTestId('order-summary')).toBeNull();

    api.order = { status: 200, body: ORDER };
    await click('retry-button');
    expect(byTestId('error-state')).toBeNull();
    expect(get('order-amount').textContent).toBe('₹500.00');
  });

  it('should show the order and render only the chosen method form', async () => {
    await render(STANDALONE);

    expect(api.requests[0]).toMatchObject({ method: 'GET', url: `/api/v1/orders/${ORDER.id}/public` });
    expect(get('order-summary').contains(get('order-amount'))).toBe(true);
    expect(get('order-amount').textContent).toBe('₹500.00');
    expect(get('order-id').textContent).toBe(ORDER.id);
    expect(get('method-upi').getAttribute('data-method')).toBe('upi');
    expect(get('method-card').getAttribute('data-method')).toBe('card');
    expect(get('payment-methods').contains(get('method-card'))).toBe(true);
    expect(byTestId('upi-form')).toBeNull();
    expect(byTestId('card-form')).toBeNull();

    await click('method-card');
    expect(get('card-form').tagName).toBe('FORM');
    expect(byTestId('upi-form')).toBeNull();
    expect(get('pay-button').textContent).toBe('Pay ₹500.00');
    expect(document.activeElement).toBe(get('card-number-input'));

    await click('method-upi');
    expect(get('upi-form').tagName).toBe('FORM');
    expect(byTestId('card-form')).toBeNull();
    expect(get<HTMLInputElement>('vpa-input').placeholder).toBe('username@bank');
    expect(get('method-upi').getAttribute('aria-pressed')).toBe('true');
    expect([...countTestIds().values()].every((count) => count === 1)).toBe(true);
  });

  it('should give every input a label', async () => {
    await render(STANDALONE);
    await click('method-card');
    for (const input of host.querySelectorAll('input')) {
      expect(input.labels?.length).toBe(1);
    }
  });

  it('should pay by UPI, poll every 2 s and report success to the parent origin', async () => {
    api.paymentAnswers = [
      { status: 200, body: publicPayment('processing') },
      { status: 200, body: publicPayment('success') },
    ];
    await render(EMBEDDED);
    await click('method-upi');
    await type('vpa-input', 'user@paytm');
    await click('pay-button');

    expect(api.postsTo('/api/v1/payments/public')).toEqual([{ order_id: ORDER.id, method: 'upi', vpa: 'user@paytm' }]);
    expect(get('processing-message').textContent).toBe('Processing payment...');
    expect(get('order-amount').textContent).toBe('₹500.00');

    await advance(2_000);
    expect(api.requests.at(-1)?.url).toBe('/api/v1/payments/pay_H8sK3jD9s2L1pQr4/public');
    expect(byTestId('processing-state')).not.toBeNull();

    await advance(2_000);
    expect(get('success-state').querySelector('h2')?.textContent).toBe('Payment Successful!');
    expect(get('payment-id').textContent).toBe('pay_H8sK3jD9s2L1pQr4');
    expect(get('success-message').textContent).toBe('Your payment has been processed successfully');
    expect(postMessage).toHaveBeenCalledTimes(1);
    expect(postMessage).toHaveBeenCalledWith(
      {
        type: 'payment_success',
        data: {
          paymentId: 'pay_H8sK3jD9s2L1pQr4',
          orderId: ORDER.id,
          signature: 'f'.repeat(64),
          amount: 50000,
          currency: 'INR',
          status: 'success',
        },
      },
      'http://shop.example:3000',
    );

    await advance(10_000);
    expect(api.requests.filter((request) => request.url.startsWith('/api/v1/payments/pay_'))).toHaveLength(2);
  });

  it('should format card input, send the contract body and handle a declined payment', async () => {
    api.paymentAnswers = [{ status: 200, body: publicPayment('failed', { method: 'card' }) }];
    await render(EMBEDDED);
    await click('method-card');

    await type('card-number-input', '4111111111111111');
    expect(get<HTMLInputElement>('card-number-input').value).toBe('4111 1111 1111 1111');
    expect(get('card-form').textContent).toContain('Visa');
    await type('expiry-input', '1');
    await type('expiry-input', '12');
    expect(get<HTMLInputElement>('expiry-input').value).toBe('12/');
    await type('expiry-input', '12/30');
    await type('cvv-input', '123');
    await type('cardholder-name-input', 'John Doe');
    expect(get<HTMLInputElement>('cvv-input').type).toBe('password');
    expect(get<HTMLInputElement>('card-number-input').autocomplete).toBe('cc-number');

    await click('pay-button');
    expect(api.postsTo('/api/v1/payments/public')).toEqual([
      {
        order_id: ORDER.id,
        method: 'card',
        card: {
          number: '4111111111111111',
          expiry_month: '12',
          expiry_year: '2030',
          cvv: '123',
          holder_name: 'John Doe',
        },
      },
    ]);

    await advance(2_000);
    expect(get('error-message').textContent).toBe('Payment could not be processed');
    expect(postMessage).toHaveBeenCalledWith(
      {
        type: 'payment_failed',
        data: {
          paymentId: 'pay_H8sK3jD9s2L1pQr4',
          orderId: ORDER.id,
          error: { code: 'PAYMENT_FAILED', description: 'Payment declined by bank' },
        },
      },
      'http://shop.example:3000',
    );

    await click('retry-button');
    expect(byTestId('payment-methods')).not.toBeNull();
    expect(document.activeElement).toBe(get('method-upi'));
    expect(byTestId('card-form')).toBeNull();
    await click('method-card');
    expect(get<HTMLInputElement>('card-number-input').value).toBe('');
    expect(get<HTMLInputElement>('expiry-input').value).toBe('');
  });

  it('should show the API description for a rejected submission and not post it', async () => {
    api.create = { status: 400, body: { error: { code: 'INVALID_VPA', description: 'VPA format invalid' } } };
    await render(EMBEDDED);
    await click('method-upi');
    await type('vpa-input', 'user@paytm');
    await click('pay-button');

    expect(get('error-message').textContent).toBe('VPA format invalid');
    expect(get('retry-button').textContent).toBe('Try Again');
    expect(postMessage).not.toHaveBeenCalled();
  });

  it('should hint at an invalid VPA while typing but let the server reject it on submit', async () => {
    api.create = { status: 400, body: { error: { code: 'INVALID_VPA', description: 'VPA format invalid' } } };
    await render(EMBEDDED);
    await click('method-upi');
    await type('vpa-input', 'invalid-vpa');
    await act(async () => get('vpa-input').blur());

    const input = get<HTMLInputElement>('vpa-input');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input.getAttribute('aria-describedby')!.split(' ').at(-1)!)?.textContent).toBe(
      'Enter a valid UPI ID, like username@bank',
    );

    await click('pay-button');
    expect(api.postsTo('/api/v1/payments/public')).toEqual([{ order_id: ORDER.id, method: 'upi', vpa: 'invalid-vpa' }]);
    expect(get('error-message').textContent).toBe('VPA format invalid');
    expect(postMessage).not.toHaveBeenCalled();
  });

  it('should send an expired or incomplete card and show the API description', async () => {
    api.create = { status: 400, body: { error: { code: 'EXPIRED_CARD', description: 'Card expiry date invalid' } } };
    await render(STANDALONE);
    await click('method-card');
    await type('card-number-input', '4111111111111111');
    await act(async () => get('expiry-input').focus());
    await type('expiry-input', '01/20');
    await act(async () => get('expiry-input').blur());
    expect(get('expiry-input').getAttribute('aria-invalid')).toBe('true');
    await type('cvv-input', '123');

    await click('pay-button');
    expect(api.postsTo('/api/v1/payments/public')).toEqual([
      {
        order_id: ORDER.id,
        method: 'card',
        card: { number: '4111111111111111', expiry_month: '01', expiry_year: '2020', cvv: '123' },
      },
    ]);
    expect(get('error-message').textContent).toBe('Card expiry date invalid');

    api.create = { status: 400, body: { error: { code: 'VALIDATION_ERROR', description: 'card.number is required' } } };
    await click('retry-button');
    await click('method-card');
    await click('pay-button');
    expect(api.postsTo('/api/v1/payments/public')).toHaveLength(2);
    expect(get('error-message').textContent).toBe('card.number is required');
  });

  it('should disable the pay button while submitting and send one request', async () => {
    let answer!: (reply: Reply) => void;
    api.create = new Promise<Reply>((resolve) => (answer = resolve));
    api.paymentAnswers = [{ status: 200, body: publicPayment('processing') }];
    await render(STANDALONE);
    await click('method-upi');
    await type('vpa-input', 'user@paytm');
    await click('pay-button');

    expect(get<HTMLButtonElement>('pay-button').disabled).toBe(true);
    expect(get('pay-button').textContent).toBe('Pay ₹500.00');
    await act(async () => get('upi-form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    expect(api.postsTo('/api/v1/payments/public')).toHaveLength(1);

    await act(async () => answer({ status: 201, body: { id: 'pay_H8sK3jD9s2L1pQr4', status: 'pending' } }));
    await advance(0);
    expect(byTestId('processing-state')).not.toBeNull();
  });

  it('should keep polling through network errors', async () => {
    api.paymentAnswers = [new TypeError('Failed to fetch'), { status: 200, body: publicPayment('success') }];
    await render(STANDALONE);
    await click('method-upi');
    await type('vpa-input', 'user@paytm');
    await click('pay-button');

    await advance(2_000);
    expect(byTestId('processing-state')).not.toBeNull();
    await advance(2_000);
    expect(byTestId('success-state')).not.toBeNull();
    expect(postMessage).not.toHaveBeenCalled();
  });

  it('should give up with "Payment status unknown" after 5 minutes', async () => {
    api.paymentAnswers = [{ status: 200, body: publicPayment('processing') }];
    await render(EMBEDDED);
    await click('method-upi');
    await type('vpa-input', 'user@paytm');
    await click('pay-button');

    await advance(5 * 60_000 - 2_000);
    expect(byTestId('processing-state')).not.toBeNull();
    await advance(2_000);
    expect(get('error-message').textContent).toBe('Payment status unknown');
    expect(postMessage).not.toHaveBeenCalled();
  });

  it('should post close_modal on Escape only when embedded with a valid parent origin', async () => {
    await render(EMBEDDED);
    await act(async () => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
    expect(postMessage).toHaveBeenCalledWith({ type: 'close_modal' }, 'http://shop.example:3000');

    postMessage.mockClear();
    await render({ ...EMBEDDED, parentOrigin: null });
    await act(async () => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
    await render(STANDALONE);
    await act(async () => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
    expect(postMessage).not.toHaveBeenCalled();
  });

  it('should apply theme_color as the accent colour', async () => {
    await render({ ...EMBEDDED, themeColor: { accent: '#3399cc', contrast: '#ffffff' } });
    const container = get('checkout-container');
    expect(container.style.getPropertyValue('--accent')).toBe('#3399cc');
    expect(container.classList.contains('checkout--embedded')).toBe(true);
  });
});
