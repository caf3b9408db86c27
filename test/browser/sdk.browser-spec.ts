import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { api, authHeaders, createOrder, TEST_KEY, TEST_SECRET } from '../support/api.js';
import { DESKTOP, launchBrowser, MOBILE, newPage, screenshot } from '../support/browser.js';
import { sharedGatewayUrl } from '../support/gateway.mjs';

// Chromium, the gateway and the tests share two CPU cores with other sessions.
jest.setTimeout(180_000);

const FINAL_STATE_TIMEOUT_MS = 45_000;
const REQUIRED_ERROR = 'PaymentGateway: key and orderId are required';

type CallbackName = 'success' | 'failure' | 'close';

interface CallbackCall {
  name: CallbackName;
  payload?: Record<string, unknown>;
}

interface CheckoutInstance {
  open(): void;
  close(): void;
}

/** What the merchant page below puts on `window` (the browser side; tsconfig has no DOM lib). */
interface MerchantWindow {
  PaymentGateway: unknown;
  calls: CallbackCall[];
  received: unknown[];
  checkout: CheckoutInstance | null;
  createCheckout(options: Record<string, unknown>): CheckoutInstance;
  document: {
    body: { style: { overflow: string } };
    querySelectorAll(selector: string): { length: number };
  };
  getComputedStyle(element: unknown): { overflow: string };
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown, targetOrigin: string): void;
  location: { origin: string };
}

/** A node of the modal as the SDK built it: enough to compare with the structure of CONTRACT §9. */
interface DomNode {
  tag: string;
  attributes: Record<string, string>;
  text?: string;
  children: DomNode[];
}

const tid = (id: string): string => `[data-test-id="${id}"]`;
const MODAL = '#payment-gateway-modal';

/**
 * The merchant's shop, served from its own origin (`http://localhost:<port>`, while the gateway answers on
 * `http://127.0.0.1:<port>`), integrating the SDK the way CONTRACT §9 shows. Query: `order_id`, `script`
 * (bundle path, default `/checkout.js`), `theme` (a colour).
 */
function merchantPage(gateway: string, query: URLSearchParams): string {
  const script = query.get('script') ?? '/checkout.js';
  const options = { key: TEST_KEY, orderId: query.get('order_id') ?? '', theme: query.get('theme') ?? undefined };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Demo shop</title>
    <style>
      body { font-family: sans-serif; margin: 0; padding: 24px; min-height: 200vh; background: #fafafa; }
      button#buy { font-size: 18px; padding: 12px 24px; }
    </style>
  </head>
  <body>
    <h1>Demo shop</h1>
    <p>Blue T-shirt, ₹500.00</p>
    <button id="buy" type="button">Buy now</button>
    <script src="${gateway}${script}"></script>
    <script>
      const options = ${JSON.stringify(options)};
      window.calls = [];
      window.received = [];
      window.checkout = null;
      window.createCheckout = function (overrides) {
        const config = Object.assign(
          {
            key: options.key,
            orderId: options.orderId,
            onSuccess: function (response) { window.calls.push({ name: 'success', payload: response }); },
            onFailure: function (error) { window.calls.push({ name: 'failure', payload: error }); },
            onClose: function () { window.calls.push({ name: 'close' }); },
          },
          options.theme ? { theme: { color: options.theme } } : {},
          overrides,
        );
        window.checkout = new PaymentGateway(config);
        return window.checkout;
      };
      document.getElementById('buy').addEventListener('click', function () {
        window.createCheckout({}).open();
      });
    </script>
  </body>
</html>`;
}

let browser: Browser;
let gateway: string;
let merchant: Server;
let merchantOrigin: string;
const pages: Page[] = [];

beforeAll(async () => {
  gateway = sharedGatewayUrl();
  merchant = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/shop') {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(merchantPage(gateway, url.searchParams));
  });
  await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
  merchantOrigin = `http://localhost:${(merchant.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 120_000);

afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.context().close()));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => merchant?.close(resolve));
});

/** Loads the shop for a new 50000-paise order of the seeded merchant; the SDK is loaded but not opened. */
async function openShop(
  options: { viewport?: typeof DESKTOP; script?: string; theme?: string } = {},
): Promise<{ page: Page; orderId: string }> {
  const order = await createOrder();
  const page = await newPage(browser, options.viewport ?? DESKTOP);
  pages.push(page);
  const query = new URLSearchParams({ order_id: order.id });
  if (options.script) {
    query.set('script', options.script);
  }
  if (options.theme) {
    query.set('theme', options.theme);
  }
  await page.goto(`${merchantOrigin}/shop?${query.toString()}`);
  await page.waitForFunction(() => typeof (globalThis as unknown as MerchantWindow).PaymentGateway === 'function');
  return { page, orderId: order.id };
}

/** Clicks the shop's buy button and waits until the checkout inside the modal shows the payment methods. */
async function openModal(page: Page): Promise<FrameLocator> {
  await page.locator('#buy').click();
  await page.locator(MODAL).waitFor();
  const frame = page.frameLocator(tid('payment-iframe'));
  await frame.locator(tid('payment-methods')).waitFor();
  return frame;
}

async function payByUpi(frame: FrameLocator, vpa: string): Promise<void> {
  await frame.locator(tid('method-upi')).click();
  await frame.locator(tid('vpa-input')).fill(vpa);
  await frame.locator(tid('pay-button')).click();
}

async function calls(page: Page): Promise<CallbackCall[]> {
  return page.evaluate(() => (globalThis as unknown as MerchantWindow).calls);
}

async function waitForCalls(page: Page, count: number): Promise<CallbackCall[]> {
  await page.waitForFunction((n) => (globalThis as unknown as MerchantWindow).calls.length >= n, count, {
    timeout: FINAL_STATE_TIMEOUT_MS,
  });
  return calls(page);
}

async function modalCount(page: Page): Promise<number> {
  return page.locator(MODAL).count();
}

async function bodyOverflow(page: Page): Promise<{ inline: string; computed: string }> {
  return page.evaluate(() => {
    const win = globalThis as unknown as MerchantWindow;
    return {
      inline: win.document.body.style.overflow,
      computed: win.getComputedStyle(win.document.body).overflow,
    };
  });
}

/** The modal subtree: tags, attributes (minus `style`, which the SDK may add) and the close button's text. */
async function modalTree(page: Page): Promise<DomNode> {
  return page.locator(MODAL).evaluate((root) => {
    interface BrowserElement {
      tagName: string;
      attributes: ArrayLike<{ name: string; value: string }>;
      children: ArrayLike<BrowserElement>;
      textContent: string | null;
    }
    const describe = (element: BrowserElement): DomNode => {
      const attributes: Record<string, string> = {};
      for (const attribute of Array.from(element.attributes)) {
        if (attribute.name !== 'style') {
          attributes[attribute.name] = attribute.value;
        }
      }
      const tag = element.tagName.toLowerCase();
      return {
        tag,
        attributes,
        ...(tag === 'button' ? { text: element.textContent ?? '' } : {}),
        children: Array.from(element.children).map(describe),
      };
    };
    return describe(root as BrowserElement);
  });
}

function expectedSignature(orderId: string, paymentId: string): string {
  return createHmac('sha256', TEST_SECRET).update(`${orderId}|${paymentId}`).digest('hex');
}

describe('Checkout SDK (CONTRACT §9)', () => {
  it('should serve the bundle at /checkout.js and /sdk/checkout.js with a JavaScript content type', async () => {
    for (const path of ['/checkout.js', '/sdk/checkout.js']) {
      const response = await fetch(`${gateway}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript\b/);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const bundle = await response.text();
      for (const literal of ['PaymentGateway', 'payment-modal', 'payment-iframe', 'close-modal-button']) {
        expect(bundle).toContain(literal);
      }
    }
  });

  it('should expose window.PaymentGateway and require key and orderId', async () => {
    const { page } = await openShop();

    const errors = await page.evaluate((orderId) => {
      const Gateway = (globalThis as unknown as MerchantWindow).PaymentGateway as new (options?: unknown) => unknown;
      const attempt = (options?: unknown): { isError: boolean; message: string } | null => {
        try {
          new Gateway(options);
          return null;
        } catch (error) {
          return { isError: error instanceof Error, message: (error as Error).message };
        }
      };
      return [
        attempt(),
        attempt({}),
        attempt({ orderId }),
        attempt({ key: 'key_test_abc123' }),
        attempt({ key: '', orderId }),
      ];
    }, 'order_missingKey000000');

    const required = { isError: true, message: REQUIRED_ERROR };
    expect(errors).toEqual([required, required, required, required, required]);
    expect(await modalCount(page)).toBe(0);
  });

  it('should open exactly the modal structure of the contract, lock scrolling and open only once', async () => {
    const { page, orderId } = await openShop();
    expect((await bodyOverflow(page)).computed).toBe('visible');

    await openModal(page);

    expect(await page.locator(`body > ${MODAL}`).count()).toBe(1);
    const tree = await modalTree(page);
    const iframeSrc = tree.children[0]?.children[0]?.children[0]?.attributes.src ?? '';
    expect(tree).toEqual({
      tag: 'div',
      attributes: { id: 'payment-gateway-modal', 'data-test-id': 'payment-modal' },
      children: [
        {
          tag: 'div',
          attributes: { class: 'modal-overlay' },
          children: [
            {
              tag: 'div',
              attributes: { class: 'modal-content' },
              children: [
                { tag: 'iframe', attributes: { 'data-test-id': 'payment-iframe', src: iframeSrc }, children: [] },
                {
                  tag: 'button',
                  attributes: { 'data-test-id': 'close-modal-button', class: 'close-button' },
                  text: '×',
                  children: [],
                },
              ],
            },
          ],
        },
      ],
    });

    const src = new URL(iframeSrc);
    expect(src.origin).toBe(gateway);
    expect(src.pathname).toBe('/checkout');
    expect(Object.fromEntries(src.searchParams)).toEqual({
      order_id: orderId,
      embedded: 'true',
      key: TEST_KEY,
      parent_origin: merchantOrigin,
    });
    expect(iframeSrc).toContain(`parent_origin=${encodeURIComponent(merchantOrigin)}`);
    expect(await bodyOverflow(page)).toEqual({ inline: 'hidden', computed: 'hidden' });

    await page.evaluate(() => (globalThis as unknown as MerchantWindow).checkout!.open());
    expect(await modalCount(page)).toBe(1);
    expect(await page.locator(tid('payment-iframe')).count()).toBe(1);
    expect(await calls(page)).toEqual([]);
  });

  it('should pass theme.color to the checkout page as theme_color', async () => {
    const { page } = await openShop({ theme: '#3399cc' });
    const frame = await openModal(page);

    const src = new URL((await page.locator(tid('payment-iframe')).getAttribute('src')) ?? '');
    expect(src.searchParams.get('theme_color')).toBe('#3399cc');
    expect(src.search).toContain('theme_color=%233399cc');
    const accent = await frame
      .locator(tid('checkout-container'))
      .evaluate((element) =>
        (element as { style: { getPropertyValue(name: string): string } }).style.getPropertyValue('--accent'),
      );
    expect(accent).toBe('#3399cc');
  });

  it('should report a successful payment once with a verifiable signature and remove the modal without onClose', async () => {
    const { page, orderId } = await openShop();
    const frame = await openModal(page);
    await payByUpi(frame, 'success@test');

    const [call, ...others] = await waitForCalls(page, 1);
    await page.locator(MODAL).waitFor({ state: 'detached' });
    expect(others).toEqual([]);
    expect(call.name).toBe('success');
    const response = call.payload as Record<string, unknown>;
    expect(Object.keys(response).sort()).toEqual(['amount', 'currency', 'orderId', 'paymentId', 'signature', 'status']);
    expect(response).toEqual({
      paymentId: expect.stringMatching(/^pay_[A-Za-z0-9]{16}$/),
      orderId,
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      amount: 50000,
      currency: 'INR',
      status: 'success',
    });
    const paymentId = response.paymentId as string;
    expect(response.signature).toBe(expectedSignature(orderId, paymentId));

    expect(await modalCount(page)).toBe(0);
    expect(await bodyOverflow(page)).toEqual({ inline: '', computed: 'visible' });
    // The merchant's server double-checks what the browser reported.
    const payment = await api().get(`/api/v1/payments/${paymentId}`).set(authHeaders());
    expect(payment.body).toMatchObject({ id: paymentId, order_id: orderId, status: 'success', amount: 50000 });
    const publicPayment = await api().get(`/api/v1/payments/${paymentId}/public`);
    expect(publicPayment.body.signature).toBe(response.signature);
    expect(await calls(page)).toEqual([call]);
  });

  it('should report a failed payment to onFailure and keep the modal open for a retry', async () => {
    const { page, orderId } = await openShop();
    const frame = await openModal(page);
    await payByUpi(frame, 'failure@test');

    const [call, ...others] = await waitForCalls(page, 1);
    expect(others).toEqual([]);
    expect(call).toEqual({
      name: 'failure',
      payload: {
        paymentId: expect.stringMatching(/^pay_[A-Za-z0-9]{16}$/),
        orderId,
        error: { code: 'PAYMENT_FAILED', description: expect.any(String) },
      },
    });
    const paymentId = call.payload!.paymentId as string;
    const payment = await api().get(`/api/v1/payments/${paymentId}`).set(authHeaders());
    expect(payment.body).toMatchObject({ status: 'failed', error_code: 'PAYMENT_FAILED' });
    expect((call.payload!.error as { description: string }).description).toBe(payment.body.error_description);

    await frame.locator(tid('error-state')).waitFor();
    expect(await modalCount(page)).toBe(1);
    expect((await bodyOverflow(page)).computed).toBe('hidden');
    await screenshot(page, 'sdk-modal-failed-desktop', { fullPage: false });

    await frame.locator(tid('retry-button')).click();
    await frame.locator(tid('payment-methods')).waitFor();
    await page.locator(tid('close-modal-button')).click();
    expect(await waitForCalls(page, 2)).toEqual([call, { name: 'close' }]);
    expect(await modalCount(page)).toBe(0);
  });

  it('should call onClose exactly once and remove the modal when the close button is clicked', async () => {
    const { page } = await openShop();
    await openModal(page);

    await page.locator(tid('close-modal-button')).click();
    await page.locator(MODAL).waitFor({ state: 'detached' });
    expect(await bodyOverflow(page)).toEqual({ inline: '', computed: 'visible' });
    await page.evaluate(() => (globalThis as unknown as MerchantWindow).checkout!.close());
    expect(await calls(page)).toEqual([{ name: 'close' }]);
  });

  it('should close programmatically with checkout.close(), calling onClose once', async () => {
    const { page } = await openShop();
    await openModal(page);

    await page.evaluate(() => {
      const { checkout } = globalThis as unknown as MerchantWindow;
      checkout!.close();
      checkout!.close();
    });
    expect(await modalCount(page)).toBe(0);
    expect(await calls(page)).toEqual([{ name: 'close' }]);
    expect(await bodyOverflow(page)).toEqual({ inline: '', computed: 'visible' });

    // A closed checkout can be opened again.
    await page.evaluate(() => (globalThis as unknown as MerchantWindow).checkout!.open());
    await page.frameLocator(tid('payment-iframe')).locator(tid('payment-methods')).waitFor();
    expect(await modalCount(page)).toBe(1);
  });

  it('should dismiss the modal when Escape is pressed inside the checkout iframe', async () => {
    const { page } = await openShop();
    const frame = await openModal(page);
    await frame.locator(tid('method-upi')).click();
    await frame.locator(tid('vpa-input')).focus();
    // Through the page's keyboard (it goes to the focused element, inside the iframe): an element's own
    // press() waits on the element's frame, which the Escape removes, and could hang until its timeout.
    await page.keyboard.press('Escape');

    expect(await waitForCalls(page, 1)).toEqual([{ name: 'close' }]);
    await page.locator(MODAL).waitFor({ state: 'detached' });
  });

  it('should ignore payment messages forged by the merchant page itself', async () => {
    const { page, orderId } = await openShop();
    await openModal(page);

    await page.evaluate((forgedOrderId) => {
      const win = globalThis as unknown as MerchantWindow;
      // Registered after the SDK's listener, so it runs after the SDK has seen each message.
      win.addEventListener('message', (event) => win.received.push(event.data));
      win.postMessage(
        {
          type: 'payment_success',
          data: {
            paymentId: 'pay_Forged0000000000',
            orderId: forgedOrderId,
            signature: '0'.repeat(64),
            amount: 50000,
            currency: 'INR',
            status: 'success',
          },
        },
        '*',
      );
      win.postMessage({ type: 'close_modal' }, '*');
    }, orderId);
    await page.waitForFunction(() => (globalThis as unknown as MerchantWindow).received.length >= 2);

    expect(await calls(page)).toEqual([]);
    expect(await modalCount(page)).toBe(1);
  });

  it('should ignore a genuine payment message from another gateway frame than its modal iframe', async () => {
    const { page } = await openShop();
    await openModal(page);
    const other = await createOrder();
    const intruderSrc =
      `${gateway}/checkout?order_id=${other.id}&embedded=true&key=${TEST_KEY}` +
      `&parent_origin=${encodeURIComponent(merchantOrigin)}`;

    await page.evaluate((src) => {
      const win = globalThis as unknown as MerchantWindow & {
        document: {
          createElement(tag: 'iframe'): { id: string; src: string };
          body: { appendChild(node: unknown): void };
        };
      };
      win.addEventListener('message', (event) => win.received.push(event.data));
      const iframe = win.document.createElement('iframe');
      iframe.id = 'intruder';
      iframe.src = src;
      win.document.body.appendChild(iframe);
    }, intruderSrc);
    // The modal's overlay covers the second frame, so it is driven without pointer hit-testing.
    const intruder = page.frameLocator('#intruder');
    await intruder.locator(tid('method-upi')).dispatchEvent('click');
    await intruder.locator(tid('vpa-input')).fill('success@test');
    await intruder.locator(tid('vpa-input')).press('Enter');
    await intruder.locator(tid('success-state')).waitFor({ timeout: FINAL_STATE_TIMEOUT_MS });
    await page.waitForFunction(() =>
      (globalThis as unknown as MerchantWindow).received.some(
        (message) => (message as { type?: string } | null)?.type === 'payment_success',
      ),
    );

    // Same origin as the modal's iframe, but not its window: CONTRACT §9 requires both.
    expect(await calls(page)).toEqual([]);
    expect(await modalCount(page)).toBe(1);
  });

  it('should work the same when loaded from /sdk/checkout.js', async () => {
    const { page, orderId } = await openShop({ script: '/sdk/checkout.js' });
    const frame = await openModal(page);

    const src = new URL((await page.locator(tid('payment-iframe')).getAttribute('src')) ?? '');
    expect(src.origin).toBe(gateway);
    expect(src.searchParams.get('order_id')).toBe(orderId);
    expect(src.searchParams.get('parent_origin')).toBe(merchantOrigin);

    await payByUpi(frame, 'success@test');
    const [call] = await waitForCalls(page, 1);
    expect(call.name).toBe('success');
    expect(call.payload!.signature).toBe(expectedSignature(orderId, call.payload!.paymentId as string));
    await page.locator(MODAL).waitFor({ state: 'detached' });
  });

  it('should fit the open modal into a 390 px phone screen and a desktop screen', async () => {
    for (const [label, viewport] of [
      ['mobile', MOBILE],
      ['desktop', DESKTOP],
    ] as const) {
      const { page } = await openShop({ viewport });
      const frame = await openModal(page);
      const box = await page.locator(tid('payment-iframe')).boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
      const closeButton = await page.locator(tid('close-modal-button')).boundingBox();
      expect(closeButton).not.toBeNull();
      expect(closeButton!.x + closeButton!.width).toBeLessThanOrEqual(viewport.width);
      expect(closeButton!.y).toBeGreaterThanOrEqual(0);
      await screenshot(page, `sdk-modal-${label}`, { fullPage: false });

      await frame.locator(tid('method-card')).click();
      await frame.locator(tid('card-number-input')).fill('4111 1111 1111 1111');
      await screenshot(page, `sdk-modal-card-${label}`, { fullPage: false });
    }
  });
});
