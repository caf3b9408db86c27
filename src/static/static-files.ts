import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above the compiled code holding package.json: the repository, or /app in the image. */
function findAppRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(start, '..');
  }
}

export const APP_ROOT = findAppRoot(dirname(fileURLToPath(import.meta.url)));
export const CLIENT_DIST = join(APP_ROOT, 'client', 'dist');
export const SDK_DIST = join(APP_ROOT, 'sdk', 'dist');

/** The built pages and the SDK bundle, read once at start-up (they are small and immutable per build). */
export interface StaticBundle {
  dashboardHtml: string | null;
  checkoutHtml: string | null;
  sdkJs: string | null;
}

function read(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

export function loadStaticBundle(): StaticBundle {
  return {
    dashboardHtml: read(join(CLIENT_DIST, 'index.html')),
    checkoutHtml: read(join(CLIENT_DIST, 'checkout.html')),
    sdkJs: read(join(SDK_DIST, 'checkout.js')),
  };
}
