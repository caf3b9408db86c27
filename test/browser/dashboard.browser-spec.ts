import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Locator, Page, Request } from 'playwright-core';
import {
  api,
  authHeaders,
  createOrder,
  createPayment,
  eventually,
  newMerchant,
  waitForFinalPayment,
} from '../support/api.js';
import { BROWSER_TIMEOUT_MS, DESKTOP, MOBILE, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { sharedGatewayUrl } from '../support/gateway.mjs';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The merchant dashboard (CONTRACT §10) driven through Debian's Chromium against the run's shared gateway. The
 * seeded merchant is shared with other test files, so everything that changes state signs up its own merchant.
 */
jest.setTimeout(180_000);

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

interface ApiPayment {
  id: string;
  order_id: string;
  amount: number;
  method: string;
  status: string;
  created_at: string;
}

interface ApiRefund {
  id: string;
  payment_id: string;
  amount: number;
  reason: string | null;
  status: string;
  created_at: string;
  processed_at: string | null;
}

interface ApiWebhookLog {
  id: string;
  event: string;
  status: string;
  attempts: number;
  last_attempt_at: string | null;
  response_code: number | null;
}

/** The attributes the row readers need; the project's tsconfig has no DOM lib. */
interface ElementLike {
  getAttribute(name: string): string | null;
  querySelector(selector: string): { textContent: string | null } | null;
}

const SEEDED_EMAIL = 'test@example.com';
const SEEDED_PASSWORD = 'password123';
const DATE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const NAV_LINKS = [
  { label: 'Dashboard', path: '/dashboard', root: 'dashboard' },
  { label: 'Transactions', path: '/dashboard/transactions', root: 'transactions-table' },
  { label: 'Refunds', path: '/dashboard/refunds', root: 'refunds-table' },
  { label: 'Webhooks', path: '/dashboard/webhooks', root: 'webhook-config' },
  { label: 'Docs', path: '/dashboard/docs', root: 'api-docs' },
] as const;
const CARD = {
  number: '4111111111111111',
  expiry_month: '12',
  expiry_year: '2035',
  cvv: '123',
  holder_name: 'Jane Doe',
};

let browser: Browser;
let gatewayUrl: string;

beforeAll(async () => {
  gatewayUrl = sharedGatewayUrl();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

function tid(testId: string): string {
  return `[data-test-id="${testId}"]`;
}

/** `YYYY-MM-DD HH:mm:ss` in UTC, `-` for null: the dashboard's date-time format. */
function utc(iso: string | null): string {
  return iso === null ? '-' : new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

function rupees(paise: number): string {
  return `₹${(paise / 100).toFixed(2)}`;
}

function sessionCookie(merchant: Pick<Merchant, 'cookie'>): { name: string; value: string } {
  const separator = merchant.cookie.indexOf('=');
  return { name: merchant.cookie.slice(0, separator), value: merchant.cookie.slice(separator + 1) };
}

async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

/** A page whose context carries the merchant's dashboard session. */
async function sessionPage(merchant: Pick<Merchant, 'cookie'>, viewport = DESKTOP): Promise<Page> {
  const page = await newPage(browser, viewport);
  await page.context().addCookies([{ ...sessionCookie(merchant), url: gatewayUrl }]);
  return page;
}

/** Like `sessionPage`, in a browser whose clock is far from UTC, so local-time formatting would show. */
async function sessionPageInKolkata(merchant: Pick<Merchant, 'cookie'>): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'Asia/Kolkata' });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(BROWSER_TIMEOUT_MS);
  await context.addCookies([{ ...sessionCookie(merchant), url: gatewayUrl }]);
  return context.newPage();
}

async function open(page: Page, path: string, readyTestId: string): Promise<void> {
  await page.goto(`${gatewayUrl}${path}`);
  await page.locator(tid(readyTestId)).first().waitFor();
}

async function text(page: Page | Locator, testId: string): Promise<string> {
  return ((await page.locator(tid(testId)).first().textContent()) ?? '').trim();
}

/** Waits until the element with `testId` shows exactly `expected`. */
async function waitForText(scope: Page | Locator, testId: string, expected: string | RegExp): Promise<void> {
  const pattern = typeof expected === 'string' ? new RegExp(`^\\s*${escapeRegExp(expected)}\\s*$`) : expected;
  await scope.locator(tid(testId), { hasText: pattern }).first().waitFor();
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pathnameIs(pathname: string) {
  return (url: URL) => url.pathname === pathname;
}

async function get<T>(merchant: Merchant, path: string): Promise<T> {
  const response = await api().get(`/api/v1${path}`).set(authHeaders(merchant));
  if (response.status !== 200) {
    throw new Error(`GET ${path} → ${response.status} ${response.text}`);
  }
  return response.body as T;
}

/** Runs `work` over `items` with at most `limit` in flight; keeps a shared two-core machine responsive. */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    const batch = items.slice(start, start + limit);
    results.push(...(await Promise.all(batch.map((item, offset) => work(item, start + offset)))));
  }
  return results;
}

async function waitUntilAllPaymentsFinal(merchant: Merchant): Promise<void> {
  await eventually(
    async () => {
      const pending = await get<{ total: number }>(merchant, '/payments?status=pending&limit=1');
      const processing = await get<{ total: number }>(merchant, '/payments?status=processing&limit=1');
      return pending.total + processing.total === 0 ? true : undefined;
    },
    90_000,
    250,
  );
}

/** Reads every `rowTestId` row: its id attribute and the text of each cell test id. */
async function readRows(
  page: Page,
  rowTestId: string,
  idAttribute: string,
  cellTestIds: readonly string[],
): Promise<Record<string, string>[]> {
  return page.locator(tid(rowTestId)).evaluateAll(
    (rows: ElementLike[], [attribute, cells]: [string, readonly string[]]) =>
      rows.map((row) => {
        const values: Record<string, string> = { id: row.getAttribute(attribute) ?? '' };
        for (const cell of cells) {
          values[cell] = (row.querySelector(`[data-test-id="${cell}"]`)?.textContent ?? '').trim();
        }
        return values;
      }),
    [idAttribute, cellTestIds] as [string, readonly string[]],
  );
}

/** Waits until the table shows exactly these row ids (in order), then returns the rows' cells. */
async function waitForRows(
  page: Page,
  rowTestId: string,
  idAttribute: string,
  cellTestIds: readonly string[],
  expectedIds: readonly string[],
): Promise<Record<string, string>[]> {
  return eventually(
    async () => {
      const rows = await readRows(page, rowTestId, idAttribute, cellTestIds);
      return rows.map((row) => row.id).join(',') === expectedIds.join(',') ? rows : undefined;
    },
    30_000,
    200,
  );
}

async function headers(page: Page, tableTestId: string): Promise<string[]> {
  return (await page.locator(`${tid(tableTestId)} thead th`).allTextContents()).map((header) => header.trim());
}

function paymentRow(payment: ApiPayment): Record<string, string> {
  return {
    id: payment.id,
    'payment-id': payment.id,
    'order-id': payment.order_id,
    amount: String(payment.amount),
    method: payment.method,
    status: payment.status,
    'created-at': utc(payment.created_at),
  };
}

const PAYMENT_CELLS = ['payment-id', 'order-id', 'amount', 'method', 'status', 'created-at'] as const;

async function loginThroughForm(page: Page, email: string, password: string): Promise<void> {
  await open(page, '/login', 'login-form');
  await page.locator(tid('email-input')).fill(email);
  await page.locator(tid('password-input')).fill(password);
  await page.locator(tid('login-button')).click();
}

/** Screenshots `path` at 1280×800 and 390×844 as artifacts/screenshots/dashboard-<name>-{desktop,mobile}.png. */
async function screenshotBoth(
  merchant: Merchant | undefined,
  path: string,
  readyTestId: string,
  name: string,
): Promise<void> {
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['mobile', MOBILE],
  ] as const) {
    const page = merchant ? await sessionPage(merchant, viewport) : await newPage(browser, viewport);
    try {
      await open(page, path, readyTestId);
      await screenshot(page, `dashboard-${name}-${label}`);
    } finally {
      await closePage(page);
    }
  }
}

describe('Dashboard auth', () => {
  it('should send an unauthenticated visit to /dashboard to /login', async () => {
    const page = await newPage(browser);
    try {
      await page.goto(`${gatewayUrl}/dashboard`);
      await page.waitForURL(pathnameIs('/login'));
      await page.locator(tid('login-form')).waitFor();
      await page.goto(`${gatewayUrl}/dashboard/webhooks`);
      await page.waitForURL(pathnameIs('/login'));
      await page.locator(tid('login-form')).waitFor();
    } finally {
      await closePage(page);
    }
  });

  it('should render the login form with the contract fields and a link to /signup', async () => {
    const page = await newPage(browser);
    try {
      await open(page, '/login', 'login-form');
      const form = page.locator(tid('login-form'));
      expect(await form.evaluate((element: { tagName: string }) => element.tagName)).toBe('FORM');
      expect(await form.locator(tid('email-input')).getAttribute('type')).toBe('email');
      expect(await form.locator(tid('password-input')).getAttribute('type')).toBe('password');
      expect(await form.locator(tid('login-button')).getAttribute('type')).toBe('submit');
      expect(await page.locator('a[href="/signup"]').count()).toBeGreaterThan(0);
    } finally {
      await closePage(page);
    }
  });

  it('should show login-error "Invalid email or password" for a wrong password and stay on /login', async () => {
    const page = await newPage(browser);
    try {
      await loginThroughForm(page, SEEDED_EMAIL, 'wrong-password');
      await waitForText(page, 'login-error', 'Invalid email or password');
      expect(new URL(page.url()).pathname).toBe('/login');
    } finally {
      await closePage(page);
    }
  });

  it('should log the seeded merchant in with the right password and land on /dashboard', async () => {
    const page = await newPage(browser);
    try {
      await loginThroughForm(page, SEEDED_EMAIL, SEEDED_PASSWORD);
      await page.waitForURL(pathnameIs('/dashboard'));
      await page.locator(tid('dashboard')).waitFor();
      await page.locator(tid('api-key')).waitFor();
      expect(await text(page, 'api-key')).toBe('key_test_abc123');
      const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'gw_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    } finally {
      await closePage(page);
    }
  });

  it('should sign a new merchant up through the form, land on /dashboard and show its own keys', async () => {
    const page = await newPage(browser);
    const email = `browser-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    try {
      await open(page, '/signup', 'signup-form');
      await page.locator(tid('name-input')).fill('Browser Signup Ltd');
      await page.locator(tid('email-input')).fill(email);
      await page.locator(tid('password-input')).fill('password123');
      await page.locator(tid('signup-button')).click();
      await page.waitForURL(pathnameIs('/dashboard'));
      await page.locator(tid('api-key')).waitFor();

      const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'gw_session');
      expect(cookie).toBeDefined();
      const me = await api().get('/api/v1/merchants/me').set('Cookie', `gw_session=${cookie!.value}`);
      expect(me.status).toBe(200);
      expect(me.body.email).toBe(email);
      const credentials = await api()
        .get('/api/v1/merchants/me/credentials')
        .set('Cookie', `gw_session=${cookie!.value}`);
      expect(await text(page, 'api-key')).toBe(credentials.body.api_key);
      expect(await text(page, 'api-secret')).toBe(credentials.body.api_secret);
      // A merchant without payments: zero stats, not hard-coded numbers.
      await waitForText(page, 'total-transactions', '0');
      expect(await text(page, 'total-amount')).toBe('₹0.00');
      expect(await text(page, 'success-rate')).toBe('0%');
    } finally {
      await closePage(page);
    }
  });

  it('should show signup-error with the API description when the email is already registered', async () => {
    const existing = await newMerchant();
    const apiAnswer = await api()
      .post('/api/v1/auth/signup')
      .send({ name: 'Again', email: existing.email, password: 'password123' });
    expect(apiAnswer.status).toBe(409);
    expect(apiAnswer.body.error).toMatchObject({ code: 'CONFLICT_ERROR', description: 'Email already registered' });

    const page = await newPage(browser);
    try {
      await open(page, '/signup', 'signup-form');
      await page.locator(tid('name-input')).fill('Again');
      await page.locator(tid('email-input')).fill(existing.email.toUpperCase());
      await page.locator(tid('password-input')).fill('password123');
      await page.locator(tid('signup-button')).click();
      await waitForText(page, 'signup-error', apiAnswer.body.error.description as string);
      expect(new URL(page.url()).pathname).toBe('/signup');
    } finally {
      await closePage(page);
    }
  });

  it('should show signup-error with the API validation description for a short password', async () => {
    const page = await newPage(browser);
    try {
      await open(page, '/signup', 'signup-form');
      await page.locator(tid('name-input')).fill('Short Password Ltd');
      await page.locator(tid('email-input')).fill(`short-${Date.now()}@example.com`);
      await page.locator(tid('password-input')).fill('short');
      await page.locator(tid('signup-button')).click();
      await waitForText(page, 'signup-error', 'password must be at least 8 characters');
      expect(new URL(page.url()).pathname).toBe('/signup');
    } finally {
      await closePage(page);
    }
  });

  it('should send the browser to /login when the session ends elsewhere', async () => {
    const merchant = await newMerchant();
    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard', 'api-key');
      const logout = await api().post('/api/v1/auth/logout').set('Cookie', merchant.cookie);
      expect(logout.status).toBe(204);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Transactions', exact: true })
        .click();
      await page.waitForURL(pathnameIs('/login'));
      await page.locator(tid('login-form')).waitFor();
    } finally {
      await closePage(page);
    }
  });

  it('should reach every page from the navigation menu at 390×844', async () => {
    const merchant = await newMerchant();
    const page = await sessionPage(merchant, MOBILE);
    try {
      await open(page, '/dashboard', 'dashboard');
      for (const target of NAV_LINKS) {
        const link = page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: target.label, exact: true });
        if (!(await link.isVisible())) {
          await page.getByRole('button', { name: 'Open menu' }).click();
        }
        await link.click();
        await page.waitForURL(pathnameIs(target.path));
        await page.locator(tid(target.root)).waitFor();
        expect(await page.locator(tid('logout-button')).isVisible()).toBe(true);
      }
    } finally {
      await closePage(page);
    }
  });

  it('should show a navigation bar with the five links and logout-button on every dashboard page', async () => {
    const merchant = await newMerchant();
    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard', 'dashboard');
      for (const target of NAV_LINKS) {
        const nav = page.getByRole('navigation', { name: 'Main' });
        await nav.getByRole('link', { name: target.label, exact: true }).click();
        await page.waitForURL(pathnameIs(target.path));
        await page.locator(tid(target.root)).waitFor();
        for (const link of NAV_LINKS) {
          expect(await nav.getByRole('link', { name: link.label, exact: true }).getAttribute('href')).toBe(link.path);
        }
        expect(await page.locator(tid('logout-button')).isVisible()).toBe(true);
      }
    } finally {
      await closePage(page);
    }
  });

  it('should keep every dashboard page on reload (deep links)', async () => {
    const merchant = await newMerchant();
    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard/webhooks', 'webhook-config');
      await page.reload();
      await page.locator(tid('webhook-config-form')).waitFor();
      expect(new URL(page.url()).pathname).toBe('/dashboard/webhooks');
      for (const target of NAV_LINKS) {
        await open(page, target.path, target.root);
        await page.reload();
        await page.locator(tid(target.root)).waitFor();
        expect(new URL(page.url()).pathname).toBe(target.path);
      }
    } finally {
      await closePage(page);
    }
  });

  it('should log out with logout-button, land on /login and end the session on the server', async () => {
    const merchant = await newMerchant();
    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard/transactions', 'transactions-table');
      await page.locator(tid('logout-button')).click();
      await page.waitForURL(pathnameIs('/login'));
      await page.locator(tid('login-form')).waitFor();

      const me = await api().get('/api/v1/merchants/me').set('Cookie', merchant.cookie);
      expect(me.status).toBe(401);
      expect(me.body).toEqual({ error: { code: 'AUTHENTICATION_ERROR', description: 'Invalid API credentials' } });
      await page.goto(`${gatewayUrl}/dashboard`);
      await page.waitForURL(pathnameIs('/login'));
    } finally {
      await closePage(page);
    }
  });

  it('should save screenshots of /login and /signup at 1280×800 and 390×844', async () => {
    await screenshotBoth(undefined, '/login', 'login-form', 'login');
    await screenshotBoth(undefined, '/signup', 'signup-form', 'signup');
  });
});

describe('Dashboard overview', () => {
  let merchant: Merchant;

  beforeAll(async () => {
    merchant = await newMerchant();
    const plan = [
      { amount: 50000, instrument: { method: 'upi', vpa: 'success@test' } },
      { amount: 12345, instrument: { method: 'card', card: CARD } },
      { amount: 777, instrument: { method: 'upi', vpa: 'failure@test' } },
    ];
    for (const { amount, instrument } of plan) {
      const order = await createOrder(merchant, { amount });
      const payment = await createPayment(order.id, instrument, merchant);
      await waitForFinalPayment(payment.id, merchant);
    }
  });

  it('should show the merchant real API key and secret inside api-credentials', async () => {
    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard', 'dashboard');
      await page.locator(tid('api-secret')).waitFor();
      const html = await page.locator(tid('api-credentials')).innerHTML();
      expect(html).toContain(`<label>API Key</label><span data-test-id="api-key">${merchant.key}</span>`);
      expect(html).toContain(`<label>API Secret</label><span data-test-id="api-secret">${merchant.secret}</span>`);
    } finally {
      await closePage(page);
    }
  });

  it('should show stats-container values equal to GET /api/v1/payments/stats', async () => {
    const stats = await get<{ total_transactions: number; total_amount: number; success_rate: number }>(
      merchant,
      '/payments/stats',
    );
    // 3 payments, 2 successful (50000 + 12345 paise): round(100 × 2 / 3) = 67.
    expect(stats).toEqual({ total_transactions: 3, total_amount: 62345, success_rate: 67 });

    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard', 'stats-container');
      const container = page.locator(tid('stats-container'));
      await container.locator(tid('total-transactions')).waitFor();
      expect(await text(container, 'total-transactions')).toBe(String(stats.total_transactions));
      expect(await text(container, 'total-amount')).toBe(rupees(stats.total_amount));
      expect(await text(container, 'total-amount')).toBe('₹623.45');
      expect(await text(container, 'success-rate')).toBe(`${stats.success_rate}%`);
    } finally {
      await closePage(page);
    }
  });

  it('should save screenshots of /dashboard at 1280×800 and 390×844', async () => {
    await screenshotBoth(merchant, '/dashboard', 'api-secret', 'overview');
  });

  it('should regenerate the secret after confirmation, show it and make the old secret stop working', async () => {
    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard', 'api-secret');
      let dialog: { type: string; message: string } | undefined;
      page.once('dialog', (shown) => {
        dialog = { type: shown.type(), message: shown.message() };
        void shown.accept();
      });
      const regenerated = page.waitForResponse(
        (response) =>
          response.url().endsWith('/api/v1/merchants/me/regenerate-keys') && response.request().method() === 'POST',
      );
      await page.locator(tid('regenerate-keys-button')).click();
      const response = await regenerated;
      expect(response.status()).toBe(200);
      const body = (await response.json()) as { api_key: string; api_secret: string };
      expect(dialog?.type).toBe('confirm');
      expect(body.api_key).toBe(merchant.key);
      expect(body.api_secret).not.toBe(merchant.secret);
      expect(body.api_secret).toMatch(/^secret_test_[A-Za-z0-9]{32}$/);

      await waitForText(page, 'api-secret', body.api_secret);
      expect(await text(page, 'api-key')).toBe(merchant.key);

      const withOld = await api().get('/api/v1/merchants/me').set(authHeaders(merchant));
      expect(withOld.status).toBe(401);
      const withNew = await api()
        .get('/api/v1/merchants/me')
        .set(authHeaders({ key: merchant.key, secret: body.api_secret }));
      expect(withNew.status).toBe(200);
      merchant.secret = body.api_secret;

      // The page still works on its session and shows the new secret after a reload.
      await page.reload();
      await waitForText(page, 'api-secret', body.api_secret);
    } finally {
      await closePage(page);
    }
  });

  it('should keep the secret when the confirmation is dismissed', async () => {
    const page = await sessionPage(merchant);
    const regenerateCalls: Request[] = [];
    try {
      await open(page, '/dashboard', 'api-secret');
      page.on('request', (request) => {
        if (request.url().endsWith('/regenerate-keys')) {
          regenerateCalls.push(request);
        }
      });
      const dismissed = new Promise<void>((resolve) =>
        page.once('dialog', (shown) => {
          void shown.dismiss().then(resolve);
        }),
      );
      await page.locator(tid('regenerate-keys-button')).click();
      await dismissed;
      expect(await text(page, 'api-secret')).toBe(merchant.secret);
      expect(regenerateCalls).toHaveLength(0);
      expect((await api().get('/api/v1/merchants/me').set(authHeaders(merchant))).status).toBe(200);
    } finally {
      await closePage(page);
    }
  });
});

describe('Dashboard transactions and refunds', () => {
  const PAYMENT_COUNT = 103;
  let merchant: Merchant;

  beforeAll(async () => {
    merchant = await newMerchant();
    await inBatches(
      Array.from({ length: PAYMENT_COUNT }, (_, index) => index),
      8,
      async (index) => {
        const order = await createOrder(merchant, { amount: 10_000 + index * 101 });
        const instrument =
          index % 7 === 0
            ? { method: 'upi', vpa: 'failure@test' }
            : index % 3 === 0
              ? { method: 'card', card: CARD }
              : { method: 'upi', vpa: 'success@test' };
        return createPayment(order.id, instrument, merchant);
      },
    );
    await waitUntilAllPaymentsFinal(merchant);
  });

  it('should show the contract headers and one transaction-row per payment equal to the API, newest first', async () => {
    const expected = await get<{ data: ApiPayment[]; total: number }>(merchant, '/payments?limit=100&offset=0');
    expect(expected.total).toBe(PAYMENT_COUNT);
    expect(expected.data).toHaveLength(100);

    const page = await sessionPageInKolkata(merchant);
    try {
      await open(page, '/dashboard/transactions', 'transactions-table');
      expect(
        await page.locator(tid('transactions-table')).evaluate((element: { tagName: string }) => element.tagName),
      ).toBe('TABLE');
      expect(await headers(page, 'transactions-table')).toEqual([
        'Payment ID',
        'Order ID',
        'Amount',
        'Method',
        'Status',
        'Created',
      ]);
      const rows = await waitForRows(
        page,
        'transaction-row',
        'data-payment-id',
        PAYMENT_CELLS,
        expected.data.map((payment) => payment.id),
      );
      expect(rows).toEqual(expected.data.map(paymentRow));
      for (const row of rows) {
        expect(row['created-at']).toMatch(DATE_TIME);
        expect(row.amount).toMatch(/^\d+$/);
      }
      expect(await page.locator(`tr${tid('transaction-row')}`).count()).toBe(100);
    } finally {
      await closePage(page);
    }
  });

  it('should page with page-next and page-prev once there are more than 100 payments', async () => {
    const first = await get<{ data: ApiPayment[] }>(merchant, '/payments?limit=100&offset=0');
    const second = await get<{ data: ApiPayment[] }>(merchant, '/payments?limit=100&offset=100');
    expect(second.data).toHaveLength(PAYMENT_COUNT - 100);

    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard/transactions', 'transaction-row');
      const firstIds = first.data.map((payment) => payment.id);
      await waitForRows(page, 'transaction-row', 'data-payment-id', PAYMENT_CELLS, firstIds);
      expect(await page.locator(tid('page-prev')).isDisabled()).toBe(true);
      expect(await page.locator(tid('page-next')).isEnabled()).toBe(true);

      await page.locator(tid('page-next')).click();
      const rows = await waitForRows(
        page,
        'transaction-row',
        'data-payment-id',
        PAYMENT_CELLS,
        second.data.map((payment) => payment.id),
      );
      expect(rows).toEqual(second.data.map(paymentRow));
      await page.locator(`${tid('page-next')}:disabled`).waitFor();
      expect(await page.locator(tid('page-prev')).isEnabled()).toBe(true);

      // The page lives in the URL, so a reload stays on page 2.
      await page.reload();
      await waitForRows(
        page,
        'transaction-row',
        'data-payment-id',
        PAYMENT_CELLS,
        second.data.map((payment) => payment.id),
      );

      await page.locator(tid('page-prev')).click();
      await waitForRows(page, 'transaction-row', 'data-payment-id', PAYMENT_CELLS, firstIds);
      await page.locator(`${tid('page-prev')}:disabled`).waitFor();
    } finally {
      await closePage(page);
    }
  });

  it('should filter transactions by status and by method like the API does', async () => {
    const failed = await get<{ data: ApiPayment[]; total: number }>(merchant, '/payments?limit=100&status=failed');
    const card = await get<{ data: ApiPayment[]; total: number }>(merchant, '/payments?limit=100&method=card');
    const failedUpi = await get<{ data: ApiPayment[] }>(merchant, '/payments?limit=100&status=failed&method=upi');
    expect(failed.total).toBeGreaterThan(0);
    expect(card.total).toBeGreaterThan(0);

    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard/transactions', 'transaction-row');
      await page.locator(tid('status-filter')).selectOption('failed');
      const failedRows = await waitForRows(
        page,
        'transaction-row',
        'data-payment-id',
        PAYMENT_CELLS,
        failed.data.map((payment) => payment.id),
      );
      expect(failedRows).toEqual(failed.data.map(paymentRow));
      expect(failedRows.every((row) => row.status === 'failed')).toBe(true);

      await page.locator(tid('method-filter')).selectOption('upi');
      await waitForRows(
        page,
        'transaction-row',
        'data-payment-id',
        PAYMENT_CELLS,
        failedUpi.data.map((payment) => payment.id),
      );

      await page.locator(tid('status-filter')).selectOption('');
      await page.locator(tid('method-filter')).selectOption('card');
      const cardRows = await waitForRows(
        page,
        'transaction-row',
        'data-payment-id',
        PAYMENT_CELLS,
        card.data.map((payment) => payment.id),
      );
      expect(cardRows).toEqual(card.data.map(paymentRow));
      expect(cardRows.every((row) => row.method === 'card')).toBe(true);
    } finally {
      await closePage(page);
    }
  });

  it('should show the refunds-table headers and one refund-row per refund equal to the API', async () => {
    const successes = await get<{ data: ApiPayment[] }>(merchant, '/payments?limit=3&status=success');
    const [full, partial, other] = successes.data;
    const requests = [
      { payment: full, body: { amount: full.amount, reason: 'Customer request' } },
      { payment: partial, body: { amount: 100 } },
      { payment: other, body: { amount: 250, reason: 'Damaged item' } },
    ];
    for (const { payment, body } of requests) {
      const response = await api().post(`/api/v1/payments/${payment.id}/refunds`).set(authHeaders(merchant)).send(body);
      expect(response.status).toBe(201);
    }
    await eventually(
      async () => {
        const pending = await get<{ total: number }>(merchant, '/refunds?status=pending&limit=1');
        return pending.total === 0 ? true : undefined;
      },
      30_000,
      250,
    );
    const expected = await get<{ data: ApiRefund[]; total: number }>(merchant, '/refunds?limit=100');
    expect(expected.total).toBe(3);

    const page = await sessionPageInKolkata(merchant);
    try {
      await open(page, '/dashboard/refunds', 'refunds-table');
      expect(await headers(page, 'refunds-table')).toEqual([
        'Refund ID',
        'Payment ID',
        'Amount',
        'Reason',
        'Status',
        'Created',
        'Processed',
      ]);
      const rows = await waitForRows(
        page,
        'refund-row',
        'data-refund-id',
        [
          'refund-id',
          'refund-payment-id',
          'refund-amount',
          'refund-reason',
          'refund-status',
          'refund-created-at',
          'refund-processed-at',
        ],
        expected.data.map((refund) => refund.id),
      );
      expect(rows).toEqual(
        expected.data.map((refund) => ({
          id: refund.id,
          'refund-id': refund.id,
          'refund-payment-id': refund.payment_id,
          'refund-amount': String(refund.amount),
          'refund-reason': refund.reason ?? '-',
          'refund-status': refund.status,
          'refund-created-at': utc(refund.created_at),
          'refund-processed-at': utc(refund.processed_at),
        })),
      );
      expect(rows.map((row) => row['refund-reason']).sort()).toEqual(['-', 'Customer request', 'Damaged item']);
      expect(
        rows.every((row) => row['refund-status'] === 'processed' && DATE_TIME.test(row['refund-processed-at'])),
      ).toBe(true);
    } finally {
      await closePage(page);
    }
  });

  it('should save screenshots of /dashboard/transactions and /dashboard/refunds at 1280×800 and 390×844', async () => {
    await screenshotBoth(merchant, '/dashboard/transactions', 'transaction-row', 'transactions');
    await screenshotBoth(merchant, '/dashboard/refunds', 'refund-row', 'refunds');
    await screenshotBoth(merchant, '/dashboard', 'api-secret', 'overview-with-payments');
  });
});

describe('Dashboard webhooks', () => {
  let merchant: Merchant;
  let receiver: WebhookReceiver;
  let page: Page;
  let successLogId: string;

  const logRow = (logId: string) => page.locator(`tr${tid('webhook-log-item')}[data-webhook-id="${logId}"]`);

  async function sendTestWebhook(): Promise<string> {
    const answered = page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/webhooks/test') && response.request().method() === 'POST',
    );
    await page.locator(tid('test-webhook-button')).click();
    const response = await answered;
    expect(response.status()).toBe(201);
    const body = (await response.json()) as { id: string; event: string; status: string };
    expect(body).toMatchObject({ event: 'webhook.test', status: 'pending' });
    return body.id;
  }

  async function expectRowMatchesApi(logId: string): Promise<void> {
    const log = await get<ApiWebhookLog>(merchant, `/webhooks/${logId}`);
    const row = logRow(logId);
    await waitForText(row, 'webhook-attempts', String(log.attempts));
    expect(await text(row, 'webhook-event')).toBe(log.event);
    expect(await text(row, 'webhook-status')).toBe(log.status);
    expect(await text(row, 'webhook-last-attempt')).toBe(utc(log.last_attempt_at));
    expect(await text(row, 'webhook-response-code')).toBe(log.response_code === null ? '-' : String(log.response_code));
  }

  beforeAll(async () => {
    merchant = await newMerchant();
    receiver = await WebhookReceiver.start();
    page = await sessionPage(merchant);
  });

  afterAll(async () => {
    await page?.context().close();
    // Stop the gateway's retries of the failing delivery from reaching a closed port for the rest of the run.
    await api().put('/api/v1/webhooks/config').set(authHeaders(merchant)).send({ webhook_url: null });
    await receiver?.close();
  });

  it('should render webhook-config-form with the contract elements and the current secret', async () => {
    await open(page, '/dashboard/webhooks', 'webhook-config-form');
    const form = page.locator(tid('webhook-config-form'));
    expect(await form.evaluate((element: { tagName: string }) => element.tagName)).toBe('FORM');
    const input = form.locator(tid('webhook-url-input'));
    expect(await input.getAttribute('type')).toBe('url');
    expect(await input.getAttribute('placeholder')).toBe('https://yoursite.com/webhook');
    expect(await input.inputValue()).toBe('');
    const secret = form.locator(tid('webhook-secret'));
    expect(await secret.evaluate((element: { tagName: string }) => element.tagName)).toBe('SPAN');
    expect(await text(form, 'webhook-secret')).toBe(merchant.webhookSecret);
    expect(await form.locator(tid('regenerate-secret-button')).count()).toBe(1);
    const save = form.locator(tid('save-webhook-button'));
    expect(await save.getAttribute('type')).toBe('submit');
    expect((await save.textContent())?.trim()).toBe('Save Configuration');
    expect((await form.locator(tid('test-webhook-button')).textContent())?.trim()).toBe('Send Test Webhook');
    expect(await headers(page, 'webhook-logs-table')).toEqual([
      'Event',
      'Status',
      'Attempts',
      'Last Attempt',
      'Response Code',
      'Actions',
    ]);
  });

  it('should regenerate the webhook secret into webhook-secret, as GET /webhooks/config agrees', async () => {
    const before = await text(page, 'webhook-secret');
    await page.locator(tid('regenerate-secret-button')).click();
    await page.locator(tid('webhook-secret'), { hasNotText: before }).waitFor();
    const shown = await text(page, 'webhook-secret');
    expect(shown).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const config = await get<{ webhook_url: string | null; webhook_secret: string }>(merchant, '/webhooks/config');
    expect(config.webhook_secret).toBe(shown);
  });

  it('should show the API description when the webhook URL is rejected', async () => {
    await page.locator(tid('webhook-url-input')).fill('ftp://example.com/hook');
    await page.locator(tid('save-webhook-button')).click();
    // The notice carries an icon beside the API description.
    await waitForText(page, 'webhook-message', /webhook_url must be a valid http or https URL/);
    const config = await get<{ webhook_url: string | null }>(merchant, '/webhooks/config');
    expect(config.webhook_url).toBeNull();
  });

  it('should save a webhook URL with save-webhook-button', async () => {
    const input = page.locator(tid('webhook-url-input'));
    await input.fill(receiver.url());
    const saved = page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/webhooks/config') && response.request().method() === 'PUT',
    );
    await page.locator(tid('save-webhook-button')).click();
    expect((await saved).status()).toBe(200);
    const config = await get<{ webhook_url: string | null }>(merchant, '/webhooks/config');
    expect(config.webhook_url).toBe(receiver.url());
    await page.reload();
    await page.locator(tid('webhook-url-input')).waitFor();
    expect(await page.locator(tid('webhook-url-input')).inputValue()).toBe(receiver.url());
  });

  it('should send a test webhook that the receiver answers 200 and list it as a webhook-log-item', async () => {
    receiver.respondWith({ status: 200, body: 'OK' });
    successLogId = await sendTestWebhook();
    const [delivery] = await receiver.waitFor(1, (request) => request.headers['x-webhook-id'] === successLogId, 30_000);
    expect(delivery.headers['x-webhook-event']).toBe('webhook.test');
    await logRow(successLogId).waitFor();
    await waitForText(logRow(successLogId), 'webhook-status', 'success');
    await expectRowMatchesApi(successLogId);
    expect(await text(logRow(successLogId), 'webhook-event')).toBe('webhook.test');
    expect(await text(logRow(successLogId), 'webhook-attempts')).toBe('1');
    expect(await text(logRow(successLogId), 'webhook-response-code')).toBe('200');
    expect(await text(logRow(successLogId), 'webhook-last-attempt')).toMatch(DATE_TIME);
  });

  it('should retry a delivery with retry-webhook-button: POST /webhooks/{id}/retry and another request', async () => {
    const retryButton = logRow(successLogId).locator(tid('retry-webhook-button'));
    expect(await retryButton.getAttribute('data-webhook-id')).toBe(successLogId);
    expect((await retryButton.textContent())?.trim()).toBe('Retry');
    const retried = page.waitForResponse(
      (response) =>
        response.url().endsWith(`/api/v1/webhooks/${successLogId}/retry`) && response.request().method() === 'POST',
    );
    await retryButton.click();
    const response = await retried;
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ id: successLogId, status: 'pending' });

    await receiver.waitFor(2, (request) => request.headers['x-webhook-id'] === successLogId, 30_000);
    const detail = await eventually(async () => {
      const log = await get<ApiWebhookLog & { delivery_attempts: unknown[] }>(merchant, `/webhooks/${successLogId}`);
      return log.status === 'success' && log.delivery_attempts.length === 2 ? log : undefined;
    }, 30_000);
    expect(detail.attempts).toBe(1);
    await waitForText(logRow(successLogId), 'webhook-status', 'success');
    await expectRowMatchesApi(successLogId);
  });

  it('should show a test webhook the receiver answers 500 as pending or failed with response code 500', async () => {
    receiver.respondWith({ status: 500, body: 'boom' });
    const failingLogId = await sendTestWebhook();
    await receiver.waitFor(1, (request) => request.headers['x-webhook-id'] === failingLogId, 30_000);
    const row = logRow(failingLogId);
    await waitForText(row, 'webhook-response-code', '500');
    expect(await text(row, 'webhook-status')).toMatch(/^(pending|failed)$/);
    expect(await text(row, 'webhook-attempts')).toMatch(/^[1-5]$/);
    expect(await text(row, 'webhook-event')).toBe('webhook.test');
    const log = await get<ApiWebhookLog>(merchant, `/webhooks/${failingLogId}`);
    expect(log.response_code).toBe(500);
    expect(['pending', 'failed']).toContain(log.status);
    // Newest first: the failing delivery sits above the earlier successful one.
    const ids = await page
      .locator(tid('webhook-log-item'))
      .evaluateAll((rows: ElementLike[]) => rows.map((row) => row.getAttribute('data-webhook-id')));
    expect(ids.indexOf(failingLogId)).toBeLessThan(ids.indexOf(successLogId));

    // The automatic retry 5 s later shows up without any click: the table polls every 5 s.
    await waitForText(row, 'webhook-attempts', /^\s*[2-5]\s*$/);

    await screenshotBoth(merchant, '/dashboard/webhooks', 'webhook-log-item', 'webhooks');

    // Once the endpoint recovers, a manual retry delivers it.
    const before = receiver.received().filter((request) => request.headers['x-webhook-id'] === failingLogId).length;
    receiver.respondWith({ status: 200, body: 'OK' });
    await row.locator(tid('retry-webhook-button')).click();
    await receiver.waitFor(before + 1, (request) => request.headers['x-webhook-id'] === failingLogId, 30_000);
    await waitForText(row, 'webhook-status', 'success');
    await waitForText(row, 'webhook-response-code', '200');
  });

  it('should save an empty URL as null', async () => {
    await page.locator(tid('webhook-url-input')).fill('');
    const saved = page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/webhooks/config') && response.request().method() === 'PUT',
    );
    await page.locator(tid('save-webhook-button')).click();
    const response = await saved;
    expect(response.status()).toBe(200);
    expect(response.request().postDataJSON()).toEqual({ webhook_url: null });
    const config = await get<{ webhook_url: string | null }>(merchant, '/webhooks/config');
    expect(config.webhook_url).toBeNull();
  });
});

describe('Dashboard docs', () => {
  it('should show the Integration Guide with the three sections and snippets using the api_key, never the secret', async () => {
    const merchant = await newMerchant();
    const page = await sessionPage(merchant);
    try {
      await open(page, '/dashboard/docs', 'api-docs');
      expect(
        await page
          .locator(`${tid('api-docs')} h1`)
          .first()
          .textContent(),
      ).toBe('Integration Guide');
      expect(await page.title()).toBe('Integration Guide');

      const sections = {
        'section-create-order': 'code-snippet-create-order',
        'section-sdk-integration': 'code-snippet-sdk',
        'section-webhook-verification': 'code-snippet-webhook',
      };
      const snippets: Record<string, string> = {};
      for (const [section, snippet] of Object.entries(sections)) {
        const pre = page.locator(`${tid('api-docs')} ${tid(section)} pre${tid(snippet)} > code`);
        expect(await pre.count()).toBe(1);
        snippets[snippet] = (await pre.textContent()) ?? '';
      }

      const createOrder = snippets['code-snippet-create-order'];
      expect(createOrder).toContain('curl');
      expect(createOrder).toContain('POST');
      expect(createOrder).toContain(`${gatewayUrl}/api/v1/orders`);
      expect(createOrder).toContain(`X-Api-Key: ${merchant.key}`);
      expect(createOrder).toContain('X-Api-Secret');

      const sdk = snippets['code-snippet-sdk'];
      expect(sdk).toContain(`<script src="${gatewayUrl}/checkout.js"></script>`);
      expect(sdk).toContain('new PaymentGateway({');
      expect(sdk).toMatch(/\.open\(\)/);
      expect(sdk).toContain(merchant.key);

      const webhook = snippets['code-snippet-webhook'];
      expect(webhook).toContain('X-Webhook-Signature');
      expect(webhook).toMatch(/createHmac\('sha256'/);
      expect(webhook).toContain("digest('hex')");
      expect(webhook).toContain('timingSafeEqual');
      expect(webhook).toContain('standardwebhooks');

      const html = await page.content();
      expect(html).not.toContain(merchant.secret);
      expect(html).not.toContain(merchant.webhookSecret);
    } finally {
      await closePage(page);
    }
    await screenshotBoth(merchant, '/dashboard/docs', 'code-snippet-webhook', 'docs');
  });
});
