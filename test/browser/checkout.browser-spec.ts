import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { api, authHeaders, createOrder } from '../support/api.js';
import {
  BROWSER_TIMEOUT_MS,
  DESKTOP,
  launchBrowser,
  MOBILE,
  newPage,
  screenshot,
  SMALL_MOBILE,
} from '../support/browser.js';
import { sql } from '../support/db.js';
import { sharedGatewayUrl } from '../support/gateway.mjs';

// Chromium, the gateway and the tests share two CPU cores with other sessions.
jest.setTimeout(180_000);

const PAYMENT_ID = /^pay_[A-Za-z0-9]{16}$/;
/** Processing (TEST_PROCESSING_DELAY) is fast, but the page polls every 2 s and the machine is busy. */
const FINAL_STATE_TIMEOUT_MS = 45_000;

interface ApiPayment {
  id: string;
  order_id: string;
  amount: number;
  currency: string;
  method: string;
  status: string;
  vpa: string | null;
  card_network: string | null;
  card_last4: string | null;
  error_code: string | null;
  error_description: string | null;
}

const tid = (id: string): string => `[data-test-id="${id}"]`;

let browser: Browser;
let gateway: string;
const pages: Page[] = [];

beforeAll(async () => {
  gateway = sharedGatewayUrl();
  browser = await launchBrowser();
}, 120_000);

afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.context().close()));
});

afterAll(async () => {
  await browser?.close();
});

async function open(viewport = DESKTOP): Promise<Page> {
  const page = await newPage(browser, viewport);
  pages.push(page);
  return page;
}

/** Opens the hosted checkout of a new 50000-paise order of the seeded merchant, ready for a method choice. */
async function openCheckout(viewport = DESKTOP): Promise<{ page: Page; orderId: string }> {
  const order = await createOrder();
  const page = await open(viewport);
  await page.goto(`${gateway}/checkout?order_id=${order.id}`);
  await page.locator(tid('payment-methods')).waitFor();
  return { page, orderId: order.id };
}

async function text(page: Page, id: string): Promise<string | null> {
  return page.locator(tid(id)).textContent();
}

async function count(page: Page, id: string): Promise<number> {
  return page.locator(tid(id)).count();
}

async function payByUpi(page: Page, vpa: string): Promise<void> {
  await page.locator(tid('method-upi')).click();
  await page.locator(tid('vpa-input')).fill(vpa);
  await page.locator(tid('pay-button')).click();
}

async function payByCard(page: Page, card: { number: string; expiry: string; cvv: string; name?: string }) {
  await page.locator(tid('method-card')).click();
  await page.locator(tid('card-number-input')).fill(card.number);
  await page.locator(tid('expiry-input')).fill(card.expiry);
  await page.locator(tid('cvv-input')).fill(card.cvv);
  if (card.name !== undefined) {
    await page.locator(tid('cardholder-name-input')).fill(card.name);
  }
  await page.locator(tid('pay-button')).click();
}

/** Waits for the processing state, then for the success state, and returns the payment id the page shows. */
async function expectProcessingThenSuccess(page: Page, screenshotSuffix?: string): Promise<string> {
  await page.locator(tid('processing-state')).waitFor();
  expect(await text(page, 'processing-message')).toBe('Processing payment...');
  if (screenshotSuffix) {
    await screenshot(page, `checkout-processing-${screenshotSuffix}`);
  }
  await page.locator(tid('success-state')).waitFor({ timeout: FINAL_STATE_TIMEOUT_MS });
  expect(await page.locator(`${tid('success-state')} h2`).textContent()).toBe('Payment Successful!');
  expect(await text(page, 'success-message')).toBe('Your payment has been processed successfully');
  expect(await count(page, 'processing-state')).toBe(0);
  const paymentId = (await text(page, 'payment-id')) ?? '';
  expect(paymentId).toMatch(PAYMENT_ID);
  return paymentId;
}

async function expectErrorState(page: Page, message: string, timeout = BROWSER_TIMEOUT_MS): Promise<void> {
  await page.locator(tid('error-state')).waitFor({ timeout });
  expect(await page.locator(`${tid('error-state')} h2`).textContent()).toBe('Payment Failed');
  expect(await text(page, 'error-message')).toBe(message);
  expect(await text(page, 'retry-button')).toBe('Try Again');
  expect(await count(page, 'checkout-container')).toBe(1);
}

async function fetchPayment(paymentId: string): Promise<ApiPayment> {
  const response = await api().get(`/api/v1/payments/${paymentId}`).set(authHeaders());
  expect(response.status).toBe(200);
  return response.body as ApiPayment;
}

async function paymentsOfOrder(orderId: string): Promise<{ id: string; status: string; method: string }[]> {
  return sql('SELECT id, status, method FROM payments WHERE order_id = $1 ORDER BY created_at', [orderId]);
}

/** True when the page has no horizontal scrolling at its viewport width. */
async function fitsViewportWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const root = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
    ).document.documentElement;
    return root.scrollWidth <= root.clientWidth;
  });
}

describe('Hosted checkout page (CONTRACT §8)', () => {
  it('should show the order summary, both methods and only the chosen form with the contract test ids', async () => {
    const { page, orderId } = await openCheckout();

    expect(await count(page, 'checkout-container')).toBe(1);
    expect(await page.locator(`${tid('order-summary')} ${tid('order-amount')}`).textContent()).toBe('₹500.00');
    expect(await page.locator(`${tid('order-summary')} ${tid('order-id')}`).textContent()).toBe(orderId);
    const upiButton = page.locator(`${tid('payment-methods')} button${tid('method-upi')}`);
    const cardButton = page.locator(`${tid('payment-methods')} button${tid('method-card')}`);
    expect(await upiButton.getAttribute('data-method')).toBe('upi');
    expect(await cardButton.getAttribute('data-method')).toBe('card');
    expect(await count(page, 'upi-form')).toBe(0);
    expect(await count(page, 'card-form')).toBe(0);
    await screenshot(page, 'checkout-methods-desktop');

    await upiButton.click();
    await page.locator(`form${tid('upi-form')}`).waitFor();
    expect(await page.locator(`${tid('upi-form')} ${tid('vpa-input')}`).getAttribute('placeholder')).toBe(
      'username@bank',
    );
    expect(await page.locator(`${tid('upi-form')} ${tid('pay-button')}`).textContent()).toBe('Pay ₹500.00');
    expect(await count(page, 'card-form')).toBe(0);
    await screenshot(page, 'checkout-upi-form-desktop');

    await cardButton.click();
    await page.locator(`form${tid('card-form')}`).waitFor();
    for (const id of ['card-number-input', 'expiry-input', 'cvv-input', 'cardholder-name-input', 'pay-button']) {
      expect(await page.locator(`${tid('card-form')} ${tid(id)}`).count()).toBe(1);
    }
    expect(await page.locator(tid('pay-button')).textContent()).toBe('Pay ₹500.00');
    expect(await count(page, 'upi-form')).toBe(0);
    expect(await count(page, 'vpa-input')).toBe(0);
    await screenshot(page, 'checkout-card-form-desktop');
  });

  it('should format amounts as rupees with two decimals and no grouping', async () => {
    const order = await createOrder(undefined, { amount: 12345678 });
    const page = await open();
    await page.goto(`${gateway}/checkout?order_id=${order.id}`);
    await page.locator(tid('payment-methods')).waitFor();

    expect(await text(page, 'order-amount')).toBe('₹123456.78');
    await page.locator(tid('method-upi')).click();
    expect(await text(page, 'pay-button')).toBe('Pay ₹123456.78');
  });

  it('should pay by UPI with success@test through processing to success, as the API records it', async () => {
    const { page, orderId } = await openCheckout();
    await payByUpi(page, 'success@test');

    const paymentId = await expectProcessingThenSuccess(page, 'desktop');
    await screenshot(page, 'checkout-success-desktop');

    const payment = await fetchPayment(paymentId);
    expect(payment).toMatchObject({
      id: paymentId,
      order_id: orderId,
      amount: 50000,
      currency: 'INR',
      method: 'upi',
      vpa: 'success@test',
      status: 'success',
    });
    expect(await text(page, 'order-amount')).toBe('₹500.00');
  });

  it('should submit the UPI form with the keyboard: type the VPA and press Enter', async () => {
    const { page, orderId } = await openCheckout();
    await page.locator(tid('method-upi')).focus();
    await page.keyboard.press('Enter');
    // Picking a method puts the cursor in its first field.
    await expect(
      page.locator(tid('vpa-input')).evaluate((input) => input === input.ownerDocument.activeElement),
    ).resolves.toBe(true);
    await page.keyboard.type('user@paytm');
    await page.keyboard.press('Enter');

    const paymentId = await expectProcessingThenSuccess(page);
    expect(await fetchPayment(paymentId)).toMatchObject({ order_id: orderId, vpa: 'user@paytm', status: 'success' });
  });

  it('should show a failed UPI payment, then start over with empty forms and pay successfully', async () => {
    const { page, orderId } = await openCheckout();
    await payByUpi(page, 'failure@test');

    await page.locator(tid('processing-state')).waitFor();
    await expectErrorState(page, 'Payment could not be processed', FINAL_STATE_TIMEOUT_MS);
    await screenshot(page, 'checkout-failed-desktop');
    const [failed] = await paymentsOfOrder(orderId);
    expect(failed).toMatchObject({ status: 'failed', method: 'upi' });
    expect(await fetchPayment(failed.id)).toMatchObject({
      status: 'failed',
      error_code: 'PAYMENT_FAILED',
      error_description: 'Payment declined by bank',
    });

    await page.locator(tid('retry-button')).click();
    await page.locator(tid('payment-methods')).waitFor();
    expect(await count(page, 'error-state')).toBe(0);
    expect(await count(page, 'upi-form')).toBe(0);
    expect(await count(page, 'card-form')).toBe(0);
    await page.locator(tid('method-upi')).click();
    expect(await page.locator(tid('vpa-input')).inputValue()).toBe('');
    await page.locator(tid('method-card')).click();
    for (const id of ['card-number-input', 'expiry-input', 'cvv-input', 'cardholder-name-input']) {
      expect(await page.locator(tid(id)).inputValue()).toBe('');
    }

    await payByUpi(page, 'success@test');
    const paymentId = await expectProcessingThenSuccess(page);
    expect(paymentId).not.toBe(failed.id);
    expect(await fetchPayment(paymentId)).toMatchObject({ order_id: orderId, status: 'success' });
  });

  it('should pay by card, showing the detected network, as the API records it', async () => {
    const { page, orderId } = await openCheckout();
    await page.locator(tid('method-card')).click();
    await page.locator(tid('card-number-input')).fill('4111 1111 1111 1111');
    await page.locator(tid('card-form')).getByText('Visa', { exact: true }).waitFor();
    await page.locator(tid('expiry-input')).fill('12/30');
    await page.locator(tid('cvv-input')).fill('123');
    await page.locator(tid('cardholder-name-input')).fill('John Doe');
    expect(await page.locator(tid('card-number-input')).inputValue()).toBe('4111 1111 1111 1111');
    expect(await page.locator(tid('expiry-input')).inputValue()).toBe('12/30');
    await screenshot(page, 'checkout-card-filled-desktop');
    await page.locator(tid('pay-button')).click();

    const paymentId = await expectProcessingThenSuccess(page);
    expect(await fetchPayment(paymentId)).toMatchObject({
      order_id: orderId,
      method: 'card',
      card_network: 'visa',
      card_last4: '1111',
      vpa: null,
      status: 'success',
    });
  });

  it('should send an invalid VPA and show the API rejection "VPA format invalid" in the error state', async () => {
    const { page, orderId } = await openCheckout();
    await page.locator(tid('method-upi')).click();
    await page.locator(tid('vpa-input')).fill('invalid-vpa');
    await page.locator(tid('vpa-input')).blur();
    // The live hint stays advisory: it marks the field but does not block the submission.
    expect(await page.locator(tid('vpa-input')).getAttribute('aria-invalid')).toBe('true');
    await page.locator(tid('pay-button')).click();

    await expectErrorState(page, 'VPA format invalid');
    await screenshot(page, 'checkout-rejected-vpa-desktop');
    expect(await paymentsOfOrder(orderId)).toEqual([]);
  });

  it('should send an expired card and show the API rejection "Card expiry date invalid"', async () => {
    const { page, orderId } = await openCheckout();
    await payByCard(page, { number: '4111 1111 1111 1111', expiry: '01/20', cvv: '123', name: 'John Doe' });

    await expectErrorState(page, 'Card expiry date invalid');
    await screenshot(page, 'checkout-rejected-card-desktop');
    expect(await paymentsOfOrder(orderId)).toEqual([]);

    await page.locator(tid('retry-button')).click();
    await page.locator(tid('payment-methods')).waitFor();
    expect(await count(page, 'card-form')).toBe(0);
  });

  it('should show "Order not found" for an unknown order and for a missing order_id', async () => {
    const page = await open();
    await page.goto(`${gateway}/checkout?order_id=order_DoesNotExist0000`);
    await expectErrorState(page, 'Order not found');
    expect(await count(page, 'payment-methods')).toBe(0);
    await screenshot(page, 'checkout-order-not-found-desktop');

    await page.goto(`${gateway}/checkout`);
    await expectErrorState(page, 'Order not found');
    expect(await count(page, 'order-summary')).toBe(0);
  });

  it('should fit every state into a 390 px wide phone screen', async () => {
    const { page } = await openCheckout(MOBILE);
    expect(await fitsViewportWidth(page)).toBe(true);
    await screenshot(page, 'checkout-methods-mobile');

    await page.locator(tid('method-upi')).click();
    await page.locator(tid('vpa-input')).fill('invalid-vpa');
    await page.locator(tid('vpa-input')).blur();
    await screenshot(page, 'checkout-upi-form-mobile');
    await page.locator(tid('pay-button')).click();
    await expectErrorState(page, 'VPA format invalid');
    expect(await fitsViewportWidth(page)).toBe(true);
    await screenshot(page, 'checkout-rejected-vpa-mobile');

    await page.locator(tid('retry-button')).click();
    await page.locator(tid('method-card')).click();
    await page.locator(tid('card-number-input')).fill('5555555555554444');
    await page.locator(tid('card-form')).getByText('Mastercard', { exact: true }).waitFor();
    expect(await fitsViewportWidth(page)).toBe(true);
    await screenshot(page, 'checkout-card-form-mobile');

    await page.locator(tid('method-upi')).click();
    await page.locator(tid('vpa-input')).fill('failure@test');
    await page.locator(tid('pay-button')).click();
    await page.locator(tid('processing-state')).waitFor();
    await screenshot(page, 'checkout-processing-mobile');
    await expectErrorState(page, 'Payment could not be processed', FINAL_STATE_TIMEOUT_MS);
    expect(await fitsViewportWidth(page)).toBe(true);
    await screenshot(page, 'checkout-failed-mobile');

    await page.locator(tid('retry-button')).click();
    await payByUpi(page, 'success@test');
    await expectProcessingThenSuccess(page);
    expect(await fitsViewportWidth(page)).toBe(true);
    await screenshot(page, 'checkout-success-mobile');

    const missing = await open(MOBILE);
    await missing.goto(`${gateway}/checkout?order_id=order_DoesNotExist0000`);
    await expectErrorState(missing, 'Order not found');
    await screenshot(missing, 'checkout-order-not-found-mobile');
  });

  it('should fit the card form into a 360 px wide phone screen', async () => {
    const { page } = await openCheckout(SMALL_MOBILE);
    await page.locator(tid('method-card')).click();
    await page.locator(tid('card-number-input')).fill('4111 1111 1111 1111');
    await page.locator(tid('expiry-input')).fill('12/30');
    await page.locator(tid('cvv-input')).fill('123');
    await page.locator(tid('cardholder-name-input')).fill('John Doe');

    expect(await fitsViewportWidth(page)).toBe(true);
    const payButton = await page.locator(tid('pay-button')).boundingBox();
    expect(payButton).not.toBeNull();
    expect(payButton!.x).toBeGreaterThanOrEqual(0);
    expect(payButton!.x + payButton!.width).toBeLessThanOrEqual(SMALL_MOBILE.width);
    await screenshot(page, 'checkout-card-form-mobile-360');
  });
});
