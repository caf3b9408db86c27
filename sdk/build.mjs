// Builds the checkout SDK: `node sdk/build.mjs` (or `npm run build:sdk`).
//   dist/checkout.js   minified UMD bundle for <script> tags; window.PaymentGateway is the class
//   dist/checkout.mjs  ES module with the class as default export
//   dist/*.d.ts        type declarations
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import ts from 'typescript';

const sdkDir = dirname(fileURLToPath(import.meta.url));
const distDir = join(sdkDir, 'dist');
const entry = join(sdkDir, 'src', 'index.ts');

// A globalName IIFE would expose the module namespace ({ default, PaymentGateway }), while the contract
// wants the class itself, so the bundle calls `expose(PaymentGateway)` and is then wrapped in this UMD
// head. It is added after bundling because esbuild turns any file mentioning `module` into a CommonJS
// wrapper with a fake `module`. The global is assigned by its string name so minifying can't rename it.
const umdHead = `function (PaymentGateway) {
  var root = typeof window !== 'undefined' ? window : typeof self !== 'undefined' ? self : undefined;
  if (typeof module === 'object' && module && module.exports) {
    module.exports = PaymentGateway;
  } else if (typeof define === 'function' && define.amd) {
    // Named: an anonymous define() throws in RequireJS pages that load the bundle with a plain <script>.
    define('payment-gateway', [], function () {
      return PaymentGateway;
    });
  }
  if (root) {
    root['PaymentGateway'] = PaymentGateway;
  }
}`;

const shared = {
  bundle: true,
  minify: true,
  // Merchants debug in devtools: `PaymentGateway {…}` and `PaymentGateway.name` beat a minified `E`.
  keepNames: true,
  target: 'es2019',
  platform: 'browser',
  tsconfig: join(sdkDir, 'tsconfig.json'),
  legalComments: 'none',
  logLevel: 'warning',
};

async function buildBrowserBundle() {
  const { outputFiles } = await build({
    ...shared,
    stdin: {
      contents: "import PaymentGateway from './index.ts';\nexpose(PaymentGateway);\n",
      resolveDir: join(sdkDir, 'src'),
      sourcefile: 'browser-entry.js',
    },
    format: 'iife',
    write: false,
  });
  const wrapped = `(function (expose) {\n${outputFiles[0].text}\n})(${umdHead});\n`;
  const { code } = await transform(wrapped, { minify: true, target: shared.target, legalComments: 'none' });
  await writeFile(join(distDir, 'checkout.js'), code);
}

async function buildModule() {
  await build({ ...shared, entryPoints: [entry], outfile: join(distDir, 'checkout.mjs'), format: 'esm' });
}

function emitDeclarations() {
  const configPath = join(sdkDir, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) {
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  }
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, sdkDir);
  // Only what index.ts reaches, so the specs (and their jest types) stay out of dist.
  const program = ts.createProgram([entry], {
    ...options,
    declaration: true,
    emitDeclarationOnly: true,
    noEmit: false,
    rootDir: join(sdkDir, 'src'),
    outDir: distDir,
    types: [],
  });
  const { diagnostics } = program.emit();
  const all = [...ts.getPreEmitDiagnostics(program), ...diagnostics];
  if (all.length > 0) {
    const host = {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => '\n',
    };
    throw new Error(ts.formatDiagnostics(all, host));
  }
}

await rm(distDir, { recursive: true, force: true });
await mkdir(distDir, { recursive: true });
await Promise.all([buildBrowserBundle(), buildModule()]);
emitDeclarations();
// Lets `import PaymentGateway from '.../checkout.mjs'` pick up the types next to the bundle.
await writeFile(
  join(distDir, 'checkout.d.mts'),
  "export * from './index.js';\nexport { default } from './index.js';\n",
);

const bundle = await readFile(join(distDir, 'checkout.js'));
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
console.log(
  `sdk/dist/checkout.js: ${kb(bundle.length)} minified, ${kb(gzipSync(bundle, { level: 9 }).length)} gzipped`,
);
