import { describe, expect, it } from '@jest/globals';
import { currentScriptOrigin } from './script-origin.js';

function scriptWithSrc(src: string): HTMLScriptElement {
  const script = document.createElement('script');
  script.src = src;
  return script;
}

describe('currentScriptOrigin', () => {
  it('should return the origin of the executing script', () => {
    const currentScript = scriptWithSrc('https://gateway.example:8443/sdk/checkout.js?v=1');

    expect(currentScriptOrigin({ currentScript })).toBe('https://gateway.example:8443');
  });

  it('should return undefined without a document or current script', () => {
    expect(currentScriptOrigin(undefined)).toBeUndefined();
    expect(currentScriptOrigin({ currentScript: null })).toBeUndefined();
  });

  it('should return undefined for an inline script', () => {
    expect(currentScriptOrigin({ currentScript: document.createElement('script') })).toBeUndefined();
  });

  it('should return undefined for an SVG script', () => {
    const currentScript = document.createElementNS('http://www.w3.org/2000/svg', 'script');
    currentScript.setAttribute('href', 'https://gateway.example/checkout.js');

    expect(currentScriptOrigin({ currentScript })).toBeUndefined();
  });

  it('should return undefined for a script without a real origin', () => {
    expect(currentScriptOrigin({ currentScript: scriptWithSrc('data:text/javascript,void 0') })).toBeUndefined();
  });
});
