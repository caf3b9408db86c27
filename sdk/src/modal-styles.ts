export const MODAL_ID = 'payment-gateway-modal';
const STYLE_ID = 'payment-gateway-styles';

// Every selector is scoped under the modal id: the contract's class names (`modal-overlay`,
// `close-button`, …) are generic enough to collide with the merchant's own CSS in both directions.
const CSS = `
#${MODAL_ID}{position:fixed;top:0;right:0;bottom:0;left:0;z-index:2147483647}
#${MODAL_ID} .modal-overlay{position:absolute;top:0;right:0;bottom:0;left:0;display:flex;align-items:center;justify-content:center;box-sizing:border-box;padding:24px;background:rgba(15,23,42,.6);animation:pg-fade .15s ease-out}
#${MODAL_ID} .modal-content{position:relative;box-sizing:border-box;width:100%;max-width:440px;height:680px;max-height:100%;overflow:hidden;background:#fff;border-radius:12px;box-shadow:0 24px 48px rgba(15,23,42,.35)}
#${MODAL_ID} iframe{display:block;width:100%;height:100%;border:0;background:#fff}
#${MODAL_ID} .close-button{position:absolute;top:8px;right:8px;width:32px;height:32px;margin:0;padding:0;border:0;border-radius:50%;background:rgba(15,23,42,.08);color:#334155;font:22px/32px system-ui,sans-serif;text-align:center;cursor:pointer}
#${MODAL_ID} .close-button:hover{background:rgba(15,23,42,.16)}
@media (max-width:480px){#${MODAL_ID} .modal-overlay{padding:0}#${MODAL_ID} .modal-content{max-width:none;height:100%;border-radius:0;box-shadow:none}}
@media (prefers-reduced-motion:reduce){#${MODAL_ID} .modal-overlay{animation:none}}
@keyframes pg-fade{from{opacity:0}}
`;

/** Adds the modal stylesheet to the page once; it is tiny and inert, so it stays after the modal closes. */
export function injectModalStyles(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) {
    return;
  }
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (doc.head ?? doc.documentElement).appendChild(style);
}
