import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CheckoutPage } from './checkout-page';
import { parseCheckoutParams } from './checkout-params';
import './checkout.css';

const params = parseCheckoutParams(window.location.search);
// Inside the SDK iframe the page drops its own backdrop and margins (see checkout.css).
if (params.embedded) document.documentElement.classList.add('is-embedded');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CheckoutPage params={params} />
  </StrictMode>,
);
