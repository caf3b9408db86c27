import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { PaymentGateway } from './payment-gateway.js';
import type { PaymentFailureResponse, PaymentGatewayOptions, PaymentSuccessResponse } from './types.js';

const GATEWAY = 'https://gateway.example:8443';
const PAGE_ORIGIN = 'http://localhost';

const success: PaymentSuccessResponse = {
  paymentId: 'pay_AbCdEfGhIjKlMnOp',
  orderId: 'order_xyz',
  signature: 'a'.repeat(64),
  amount: 50000,
  currency: 'INR',
  status: 'success',
};
const failure: PaymentFailureResponse = {
  paymentId: 'pay_AbCdEfGhIjKlMnOp',
  orderId: 'order_xyz',
  error: { code: 'PAYMENT_FAILED', description: 'Payment declined by bank' },
};

const opened: PaymentGateway[] = [];

function createSut(overrides: Partial<PaymentGatewayOptions> = {}) {
  const onSuccess = jest.fn<(response: PaymentSuccessResponse) => void>();
  const onFailure = jest.fn<(response: PaymentFailureResponse) => void>();
  const onClose = jest.fn<() => void>();
  const sut = new PaymentGateway({
    key: 'key_test_abc123',
    orderId: 'order_xyz',
    baseUrl: GATEWAY,
    onSuccess,
    onFailure,
    onClose,
    ...overrides,
  });
  opened.push(sut);
  return { sut, onSuccess, onFailure, onClose };
}

const modal = () => document.querySelector<HTMLElement>('[data-test-id="payment-modal"]');
const iframe = () => document.querySelector<HTMLIFrameElement>('[data-test-id="payment-iframe"]');
const closeButton = () => document.querySelector<HTMLButtonElement>('[data-test-id="close-modal-button"]');

function frameWindow(): Window {
  const contentWindow = iframe()?.contentWindow;
  if (!contentWindow) {
    throw new Error('the checkout iframe is not attached');
  }
  return contentWindow;
}

interface Sender {
  origin?: string;
  source?: Window | null;
}

function post(data: unknown, { origin = GATEWAY, source = frameWindow() }: Sender = {}): void {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
}

const attributeNames = (element: Element | null | undefined) => element?.getAttributeNames().sort();

afterEach(() => {
  opened.splice(0).forEach((sut) => sut.close());
  document.body.innerHTML = '';
  document.body.removeAttribute('style');
  jest.restoreAllMocks();
});

describe('PaymentGateway', () => {
  describe('constructor', () => {
    it.each([
      ['key is missing', { orderId: 'order_xyz' }],
      ['orderId is missing', { key: 'key_test_abc123' }],
      ['key is empty', { key: '', orderId: 'order_xyz' }],
      ['orderId is empty', { key: 'key_test_abc123', orderId: '' }],
      ['orderId is not a string', { key: 'key_test_abc123', orderId: 42 }],
      ['options are missing', undefined],
    ])('should throw the contract error when %s', (_, options) => {
      expect(() => new PaymentGateway(options as unknown as PaymentGatewayOptions)).toThrow(
        /^PaymentGateway: key and orderId are required$/,
      );
    });

    it('should throw when baseUrl is not a URL', () => {
      expect(() => new PaymentGateway({ key: 'key_test_abc123', orderId: 'order_xyz', baseUrl: 'http://' })).toThrow(
        'PaymentGateway: baseUrl must be a valid URL',
      );
    });

    it('should default every callback to a no-op', () => {
      const sut = new PaymentGateway({ key: 'key_test_abc123', orderId: 'order_xyz', baseUrl: GATEWAY });
      opened.push(sut);
      sut.open();

      expect(() => post({ type: 'payment_failed', data: failure })).not.toThrow();
      expect(() => post({ type: 'payment_success', data: success })).not.toThrow();
      sut.open();
      expect(() => post({ type: 'close_modal' })).not.toThrow();
      expect(modal()).toBeNull();
    });
  });

  describe('open', () => {
    it('should append exactly the contract modal structure to the body', () => {
      const { sut } = createSut();

      sut.open();

      const root = modal();
      expect(root).not.toBeNull();
      expect(root?.parentElement).toBe(document.body);
      expect(root?.id).toBe('payment-gateway-modal');
      expect(attributeNames(root)).toEqual(['data-test-id', 'id']);

      expect(root?.children).toHaveLength(1);
      const overlay = root?.firstElementChild;
      expect(overlay?.tagName).toBe('DIV');
      expect(overlay?.className).toBe('modal-overlay');
      expect(attributeNames(overlay)).toEqual(['class']);

      expect(overlay?.children).toHaveLength(1);
      const content = overlay?.firstElementChild;
      expect(content?.tagName).toBe('DIV');
      expect(content?.className).toBe('modal-content');
      expect(attributeNames(content)).toEqual(['class']);

      expect(Array.from(content?.children ?? []).map((child) => child.tagName)).toEqual(['IFRAME', 'BUTTON']);
      expect(content?.firstElementChild).toBe(iframe());
      expect(attributeNames(iframe())).toEqual(['data-test-id', 'src']);
      expect(content?.lastElementChild).toBe(closeButton());
      expect(closeButton()?.className).toBe('close-button');
      expect(closeButton()?.textContent).toBe('×');
      expect(attributeNames(closeButton())).toEqual(['class', 'data-test-id']);
    });

    it('should point the iframe at the embedded checkout page of the order', () => {
      const { sut } = createSut();

      sut.open();

      const src = iframe()?.getAttribute('src') ?? '';
      const url = new URL(src);
      expect(`${url.origin}${url.pathname}`).toBe(`${GATEWAY}/checkout`);
      expect(Array.from(url.searchParams)).toEqual([
        ['order_id', 'order_xyz'],
        ['embedded', 'true'],
        ['key', 'key_test_abc123'],
        ['parent_origin', PAGE_ORIGIN],
      ]);
      expect(src).toContain(`&parent_origin=${encodeURIComponent(PAGE_ORIGIN)}`);
      expect(src).toContain('parent_origin=http%3A%2F%2Flocalhost');
    });

    it.each(['#3399cc', '#FFF'])('should pass the theme colour %s encoded', (color) => {
      const { sut } = createSut({ theme: { color } });

      sut.open();

      const src = iframe()?.getAttribute('src') ?? '';
      expect(new URL(src).searchParams.get('theme_color')).toBe(color);
      expect(src.endsWith(`&theme_color=${encodeURIComponent(color)}`)).toBe(true);
    });

    it.each(['red', '#3399c', '#3399ccc', '#ggg', 'rgb(0,0,0)', '#fff;x', ''])(
      'should leave out the invalid theme colour %p',
      (color) => {
        const { sut } = createSut({ theme: { color } });

        sut.open();

        expect(new URL(iframe()?.src ?? '').searchParams.has('theme_color')).toBe(false);
      },
    );

    it('should default baseUrl to the page origin when the script origin is unknown', () => {
      const { sut } = createSut({ baseUrl: undefined });

      sut.open();

      expect(iframe()?.getAttribute('src')).toMatch(/^http:\/\/localhost\/checkout\?order_id=order_xyz&/);
    });

    it('should do nothing when already open', () => {
      const { sut } = createSut();
      sut.open();
      const first = modal();

      sut.open();

      expect(document.querySelectorAll('[data-test-id="payment-modal"]')).toHaveLength(1);
      expect(modal()).toBe(first);
    });

    it('should lock body scrolling until the modal is dismissed', () => {
      document.body.style.overflow = 'scroll';
      const { sut } = createSut();

      sut.open();
      expect(document.body.style.overflow).toBe('hidden');

      sut.close();
      expect(document.body.style.overflow).toBe('scroll');
    });

    it('should add its stylesheet only once', () => {
      const { sut } = createSut();

      sut.open();
      sut.close();
      sut.open();

      expect(document.querySelectorAll('style#payment-gateway-styles')).toHaveLength(1);
    });
  });

  describe('messages', () => {
    it('should ignore a message from another origin', () => {
      const { sut, onSuccess, onClose } = createSut();
      sut.open();

      post({ type: 'payment_success', data: success }, { origin: 'https://evil.example' });
      post({ type: 'close_modal' }, { origin: PAGE_ORIGIN });

      expect(onSuccess).not.toHaveBeenCalled();
      expect(onClose).not.toHaveBeenCalled();
      expect(modal()).not.toBeNull();
    });

    it('should ignore a message from a window other than its iframe', () => {
      const { sut, onSuccess, onClose } = createSut();
      sut.open();

      post({ type: 'payment_success', data: success }, { source: window });
      post({ type: 'close_modal' }, { source: null });

      expect(onSuccess).not.toHaveBeenCalled();
      expect(onClose).not.toHaveBeenCalled();
      expect(modal()).not.toBeNull();
    });

    it.each([
      ['null', null],
      ['a string', 'payment_success'],
      ['a number', 42],
      ['an object without type', { data: success }],
      ['an unknown type', { type: 'payment_pending', data: success }],
      ['a success without data', { type: 'payment_success' }],
      ['a success with non-object data', { type: 'payment_success', data: 'pay_1' }],
      ['a failure with null data', { type: 'payment_failed', data: null }],
    ])('should ignore %s', (_, data) => {
      const { sut, onSuccess, onFailure, onClose } = createSut();
      sut.open();

      post(data);

      expect(onSuccess).not.toHaveBeenCalled();
      expect(onFailure).not.toHaveBeenCalled();
      expect(onClose).not.toHaveBeenCalled();
      expect(modal()).not.toBeNull();
    });

    it('should report a success and remove the modal without calling onClose', () => {
      document.body.style.overflow = 'auto';
      const { sut, onSuccess, onClose } = createSut();
      sut.open();

      post({ type: 'payment_success', data: success });

      expect(onSuccess).toHaveBeenCalledTimes(1);
      expect(onSuccess).toHaveBeenCalledWith(success);
      expect(modal()).toBeNull();
      expect(document.body.style.overflow).toBe('auto');
      sut.close();
      expect(onClose).not.toHaveBeenCalled();
    });

    it('should still have the modal in place while onSuccess runs', () => {
      let present = false;
      const { sut } = createSut({
        onSuccess: () => {
          present = modal() !== null;
        },
      });
      sut.open();

      post({ type: 'payment_success', data: success });

      expect(present).toBe(true);
    });

    it('should report a failure and keep the modal open for a retry', () => {
      const { sut, onSuccess, onFailure, onClose } = createSut();
      sut.open();

      post({ type: 'payment_failed', data: failure });

      expect(onFailure).toHaveBeenCalledTimes(1);
      expect(onFailure).toHaveBeenCalledWith(failure);
      expect(modal()).not.toBeNull();
      expect(document.body.style.overflow).toBe('hidden');
      expect(onClose).not.toHaveBeenCalled();

      post({ type: 'payment_success', data: success });
      expect(onSuccess).toHaveBeenCalledWith(success);
    });

    it('should accept messages from a base URL that has a path', () => {
      const { sut, onFailure } = createSut({ baseUrl: `${GATEWAY}/pay/` });
      sut.open();

      post({ type: 'payment_failed', data: failure });

      expect(iframe()?.getAttribute('src')).toMatch(/^https:\/\/gateway\.example:8443\/pay\/checkout\?/);
      expect(onFailure).toHaveBeenCalledWith(failure);
    });
  });

  describe('dismissal', () => {
    const dismissals: [string, (sut: PaymentGateway) => void][] = [
      ['a close_modal message', () => post({ type: 'close_modal' })],
      ['the close button', () => closeButton()?.click()],
      ['close()', (sut) => sut.close()],
      ['Escape on the page', () => document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))],
    ];

    it.each(dismissals)('should close on %s and call onClose once', (_, dismiss) => {
      document.body.style.overflow = 'clip';
      const { sut, onClose, onSuccess } = createSut();
      sut.open();

      dismiss(sut);

      expect(modal()).toBeNull();
      expect(document.body.style.overflow).toBe('clip');
      expect(onClose).toHaveBeenCalledTimes(1);
      sut.close();
      expect(onClose).toHaveBeenCalledTimes(1);
      expect(onSuccess).not.toHaveBeenCalled();
    });

    it.each(dismissals)('should remove its message listener on %s', (_, dismiss) => {
      const added = jest.spyOn(window, 'addEventListener');
      const removed = jest.spyOn(window, 'removeEventListener');
      const { sut, onSuccess } = createSut();
      sut.open();
      const source = frameWindow();
      const listener = added.mock.calls.find(([type]) => type === 'message')?.[1];

      dismiss(sut);
      post({ type: 'payment_success', data: success }, { source });

      expect(listener).toBeDefined();
      expect(removed.mock.calls.filter(([type, fn]) => type === 'message' && fn === listener)).toHaveLength(1);
      expect(onSuccess).not.toHaveBeenCalled();
    });

    it('should not call onClose when closed without being open', () => {
      const { sut, onClose } = createSut();

      sut.close();

      expect(onClose).not.toHaveBeenCalled();
    });

    it('should ignore keys other than Escape', () => {
      const { sut, onClose } = createSut();
      sut.open();

      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));

      expect(onClose).not.toHaveBeenCalled();
      expect(modal()).not.toBeNull();
    });

    it('should open again after a dismissal', () => {
      const { sut, onClose, onFailure } = createSut();
      sut.open();
      sut.close();

      sut.open();
      post({ type: 'payment_failed', data: failure });
      closeButton()?.click();

      expect(onFailure).toHaveBeenCalledTimes(1);
      expect(onClose).toHaveBeenCalledTimes(2);
      expect(modal()).toBeNull();
    });

    it('should give focus back to the element that had it', () => {
      const trigger = document.createElement('button');
      document.body.appendChild(trigger);
      trigger.focus();
      const { sut } = createSut();

      sut.open();
      expect(document.activeElement).toBe(iframe());
      sut.close();

      expect(document.activeElement).toBe(trigger);
    });
  });
});

describe('PaymentGateway loaded from a <script src>', () => {
  let currentScript: HTMLScriptElement | null;

  beforeEach(() => {
    currentScript = document.createElement('script');
    currentScript.src = `${GATEWAY}/checkout.js`;
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => currentScript });
  });

  afterEach(() => {
    Reflect.deleteProperty(document, 'currentScript');
  });

  it('should default baseUrl to the origin the script was loaded from', async () => {
    const loaded: (typeof PaymentGateway)[] = [];
    await jest.isolateModulesAsync(async () => {
      loaded.push((await import('./payment-gateway.js')).PaymentGateway);
    });
    const [Isolated] = loaded;
    // Merchants construct the gateway long after the bundle ran, when currentScript is null again.
    currentScript = null;
    const onFailure = jest.fn();
    const sut = new Isolated({ key: 'key_test_abc123', orderId: 'order_xyz', onFailure });
    opened.push(sut);

    sut.open();
    post({ type: 'payment_failed', data: failure });

    expect(iframe()?.getAttribute('src')).toMatch(/^https:\/\/gateway\.example:8443\/checkout\?order_id=order_xyz&/);
    expect(onFailure).toHaveBeenCalledWith(failure);
  });
});
