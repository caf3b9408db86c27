import { buildCheckoutUrl } from './checkout-url.js';
import { injectModalStyles, MODAL_ID } from './modal-styles.js';
import { currentScriptOrigin } from './script-origin.js';
import type { PaymentFailureResponse, PaymentGatewayOptions, PaymentSuccessResponse } from './types.js';

// `document.currentScript` is only set while the bundle's own <script> runs, so it has to be read
// when the module is evaluated, not when the merchant constructs a PaymentGateway later on.
const LOADER_ORIGIN = currentScriptOrigin(typeof document === 'undefined' ? undefined : document);

const noop = (): void => {};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string>,
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const name of Object.keys(attributes)) {
    node.setAttribute(name, attributes[name]);
  }
  for (const child of children) {
    node.appendChild(child);
  }
  return node;
}

/** Opens the hosted checkout page of one order in a modal iframe and relays its outcome. */
export class PaymentGateway {
  private readonly key: string;
  private readonly orderId: string;
  private readonly baseUrl: string;
  private readonly origin: string;
  private readonly themeColor: string | undefined;
  private readonly onSuccess: (response: PaymentSuccessResponse) => void;
  private readonly onFailure: (response: PaymentFailureResponse) => void;
  private readonly onClose: () => void;

  private modal: HTMLElement | null = null;
  private iframe: HTMLIFrameElement | null = null;
  private previousOverflow = '';
  private previousFocus: Element | null = null;

  constructor(options: PaymentGatewayOptions) {
    // Script-tag integrations are plain JavaScript, so the declared types promise nothing at runtime.
    const { key, orderId, baseUrl, theme, onSuccess, onFailure, onClose } =
      options ?? ({} as Partial<PaymentGatewayOptions>);
    if (typeof key !== 'string' || !key || typeof orderId !== 'string' || !orderId) {
      throw new Error('PaymentGateway: key and orderId are required');
    }
    this.key = key;
    this.orderId = orderId;
    this.baseUrl = typeof baseUrl === 'string' && baseUrl ? baseUrl : (LOADER_ORIGIN ?? window.location.origin);
    try {
      // Resolving against the page lets a relative baseUrl mean "this site".
      this.origin = new URL(this.baseUrl, window.location.href).origin;
    } catch {
      throw new Error('PaymentGateway: baseUrl must be a valid URL');
    }
    this.themeColor = theme?.color;
    this.onSuccess = typeof onSuccess === 'function' ? onSuccess : noop;
    this.onFailure = typeof onFailure === 'function' ? onFailure : noop;
    this.onClose = typeof onClose === 'function' ? onClose : noop;
  }

  /** Shows the checkout modal; does nothing while it is already open. */
  open(): void {
    if (this.modal) {
      return;
    }
    injectModalStyles(document);

    const iframe = element('iframe', {
      'data-test-id': 'payment-iframe',
      src: buildCheckoutUrl({
        baseUrl: this.baseUrl,
        orderId: this.orderId,
        key: this.key,
        parentOrigin: window.location.origin,
        themeColor: this.themeColor,
      }),
    });
    const closeButton = element('button', { 'data-test-id': 'close-modal-button', class: 'close-button' });
    closeButton.textContent = '\u00d7';
    closeButton.addEventListener('click', () => this.close());
    const modal = element(
      'div',
      { id: MODAL_ID, 'data-test-id': 'payment-modal' },
      element('div', { class: 'modal-overlay' }, element('div', { class: 'modal-content' }, iframe, closeButton)),
    );

    this.modal = modal;
    this.iframe = iframe;
    this.previousOverflow = document.body.style.overflow;
    this.previousFocus = document.activeElement;
    document.body.style.overflow = 'hidden';
    window.addEventListener('message', this.handleMessage);
    document.addEventListener('keydown', this.handleKeydown);
    document.body.appendChild(modal);
    // With focus inside the iframe, Escape reaches the checkout page, which posts `close_modal`.
    iframe.focus();
  }

  /** Dismisses the modal and calls `onClose`; does nothing when it is not open. */
  close(): void {
    if (this.teardown()) {
      this.onClose();
    }
  }

  private readonly handleMessage = (event: MessageEvent): void => {
    const source = this.iframe?.contentWindow;
    // The origin alone is not enough: another gateway iframe (or a popup) on the same origin could
    // post a forged outcome, so the sender must also be this modal's own frame.
    if (!source || event.source !== source || event.origin !== this.origin) {
      return;
    }
    const message: unknown = event.data;
    if (!isRecord(message)) {
      return;
    }
    if (message.type === 'payment_success' && isRecord(message.data)) {
      try {
        this.onSuccess(message.data as unknown as PaymentSuccessResponse);
      } finally {
        this.teardown();
      }
    } else if (message.type === 'payment_failed' && isRecord(message.data)) {
      // The modal stays open: the checkout page offers a retry.
      this.onFailure(message.data as unknown as PaymentFailureResponse);
    } else if (message.type === 'close_modal') {
      this.close();
    }
  };

  private readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' || event.key === 'Esc') {
      this.close();
    }
  };

  /** Removes the modal and its listeners; false when nothing was open. */
  private teardown(): boolean {
    const modal = this.modal;
    if (!modal) {
      return false;
    }
    this.modal = null;
    this.iframe = null;
    window.removeEventListener('message', this.handleMessage);
    document.removeEventListener('keydown', this.handleKeydown);
    modal.parentNode?.removeChild(modal);
    document.body.style.overflow = this.previousOverflow;
    const previousFocus = this.previousFocus;
    this.previousFocus = null;
    if (previousFocus instanceof HTMLElement && previousFocus.isConnected) {
      previousFocus.focus();
    }
    return true;
  }
}
