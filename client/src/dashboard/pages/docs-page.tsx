import type { ReactNode } from 'react';
import { CopyButton, PageHeader } from '../components/ui';
import { Link } from '../components/link';
import { ROUTE_PATHS } from '../router';
import { createOrderSnippet, sdkSnippet, webhookSnippet } from '../snippets';
import type { MerchantProfile } from '../types';

function Snippet({ testId, language, code }: { testId: string; language: string; code: string }) {
  return (
    <div className="snippet">
      <div className="snippet-header">
        <span className="snippet-language">{language}</span>
        <CopyButton text={code} label="Copy code" testId={`copy-${testId}`} />
      </div>
      <pre className="code-block" data-test-id={testId}>
        <code>{code}</code>
      </pre>
    </div>
  );
}

function DocSection(props: { id: string; testId: string; step: number; title: string; children: ReactNode }) {
  const { id, testId, step, title, children } = props;
  return (
    <section className="card doc-section" id={id} data-test-id={testId} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        <span className="step" aria-hidden="true">
          {step}
        </span>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function DocsPage({ merchant }: { merchant: MerchantProfile }) {
  const context = { origin: window.location.origin, apiKey: merchant.api_key };
  return (
    <div className="page docs" data-test-id="api-docs">
      <PageHeader
        title="Integration Guide"
        description="Accept your first payment in three steps. The examples use your API key; replace YOUR_API_SECRET with the secret from the Dashboard page."
      >
        <a className="button button-secondary" href="/api/docs" target="_blank" rel="noopener">
          API reference ↗
        </a>
      </PageHeader>

      <nav className="doc-toc" aria-label="On this page">
        <a href="#create-order">1. Create an order</a>
        <a href="#sdk-integration">2. Open the checkout</a>
        <a href="#webhook-verification">3. Verify webhooks</a>
      </nav>

      <DocSection id="create-order" testId="section-create-order" step={1} title="Create an order">
        <p>
          Create an order from your server for every purchase. Amounts are integers in paise (<code>50000</code> =
          ₹500.00). Never send the API secret from a browser.
        </p>
        <Snippet testId="code-snippet-create-order" language="Shell" code={createOrderSnippet(context)} />
        <p className="muted">
          The response is the order with <code>status: "created"</code>; pass its <code>id</code> to the checkout.
        </p>
      </DocSection>

      <DocSection id="sdk-integration" testId="section-sdk-integration" step={2} title="Open the checkout">
        <p>
          Load the SDK from this gateway and open the payment modal. It reports the outcome through callbacks; confirm a
          success on your server by checking the payment's <code>signature</code> (hex HMAC-SHA256 of{' '}
          <code>order_id|payment_id</code> with your API secret).
        </p>
        <Snippet testId="code-snippet-sdk" language="HTML" code={sdkSnippet(context)} />
      </DocSection>

      <DocSection id="webhook-verification" testId="section-webhook-verification" step={3} title="Verify webhooks">
        <p>
          Set your endpoint on the <Link to={ROUTE_PATHS.webhooks}>Webhooks</Link> page. Each delivery carries{' '}
          <code>X-Webhook-Signature</code> and the Standard Webhooks headers; verify either against the raw body before
          trusting it, and answer with any 2xx status.
        </p>
        <Snippet testId="code-snippet-webhook" language="Node.js" code={webhookSnippet()} />
      </DocSection>

      <p className="footnote">
        Every endpoint, parameter and error is documented in the <a href="/api/docs">OpenAPI reference</a>.
      </p>
    </div>
  );
}
