/**
 * Origin of the `<script src>` currently executing, or undefined for inline and module scripts
 * (whose `currentScript` is null) and outside browsers.
 */
export function currentScriptOrigin(doc: Pick<Document, 'currentScript'> | undefined): string | undefined {
  const script = doc?.currentScript;
  // An SVG <script> has an animated `href` instead of a string `src`.
  const src = script && 'src' in script ? script.src : undefined;
  if (typeof src !== 'string' || !src) {
    return undefined;
  }
  try {
    const origin = new URL(src).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
