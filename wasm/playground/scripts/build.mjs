// Builds the playground into dist/: the app, the engine worker and the service worker bundled
// by esbuild with content-hashed names, the WASM engine copied in, index.html pointing at them.
// With --tests, also bundles test/*.test.ts into out/test/ for `node --test`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { examplesPlugin } from './examples-plugin.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const app = path.resolve(here, '..');
const pkg = path.resolve(process.env.WASM_WEB_PKG ?? path.join(app, '../pkg/web'));
const dist = path.join(app, 'dist');
const assets = path.join(dist, 'assets');
const examples = examplesPlugin(path.join(app, 'examples'));

const hash = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
const rel = (file) => path.relative(dist, file).split(path.sep).join('/');

const common = {
  bundle: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

/** The output file of `entry` (relative to dist/) from an esbuild metafile. */
function outputOf(result, ext) {
  const out = Object.keys(result.metafile.outputs).find((o) => o.endsWith(ext) && !o.endsWith('.map'));
  if (!out) throw new Error(`build: no ${ext} output`);
  return rel(path.resolve(out));
}

async function buildSite() {
  const engineFiles = ['netward_wasm.js', 'netward_wasm_bg.wasm', 'netward_wasm.d.ts', 'netward_rule_docs.json'];
  for (const f of engineFiles) {
    if (!fs.existsSync(path.join(pkg, f))) {
      throw new Error(`the WASM engine's web build is missing (${path.join(pkg, f)}): run scripts/build-wasm.sh first`);
    }
  }
  fs.rmSync(dist, { recursive: true, force: true });
  fs.mkdirSync(assets, { recursive: true });

  const wasmBytes = fs.readFileSync(path.join(pkg, 'netward_wasm_bg.wasm'));
  const wasmName = `assets/netward-${hash(wasmBytes).slice(0, 12)}.wasm`;
  fs.writeFileSync(path.join(dist, wasmName), wasmBytes);
  // The rules' Markdown pages, which the module leaves out to stay small.
  const docsBytes = fs.readFileSync(path.join(pkg, 'netward_rule_docs.json'));
  const docsName = `assets/rule-docs-${hash(docsBytes).slice(0, 12)}.json`;
  fs.writeFileSync(path.join(dist, docsName), docsBytes);

  const worker = await esbuild.build({
    ...common,
    entryPoints: { worker: path.join(app, 'src/engine/worker.ts') },
    entryNames: '[name]-[hash]',
    outdir: assets,
    define: { NETWARD_WASM_URL: JSON.stringify(`./${path.basename(wasmName)}`) },
  });
  const workerName = outputOf(worker, '.js');

  const main = await esbuild.build({
    ...common,
    entryPoints: { app: path.join(app, 'src/main.ts') },
    entryNames: '[name]-[hash]',
    outdir: assets,
    plugins: [examples],
    loader: { '.svg': 'text' },
    define: {
      NETWARD_WORKER_URL: JSON.stringify(`./${path.basename(workerName)}`),
      NETWARD_RULE_DOCS_URL: JSON.stringify(`./${path.basename(docsName)}`),
    },
  });
  const appJs = outputOf(main, '.js');
  const appCss = outputOf(main, '.css');

  const files = [wasmName, docsName, workerName, appJs, appCss];
  const build = hash(files.join('\n') + fs.readFileSync(path.join(app, 'index.html'))).slice(0, 16);
  const html = fs
    .readFileSync(path.join(app, 'index.html'), 'utf8')
    .replaceAll('%APP_JS%', appJs)
    .replaceAll('%APP_CSS%', appCss)
    .replaceAll('%WASM%', wasmName)
    .replaceAll('%WORKER_JS%', workerName)
    .replaceAll('%BUILD%', build);
  fs.writeFileSync(path.join(dist, 'index.html'), html);

  // The service worker: a fixed name (browsers look for updates at the same URL), the build
  // hash inside, so every build gets its own cache.
  await esbuild.build({
    ...common,
    sourcemap: false,
    metafile: false,
    entryPoints: [path.join(app, 'src/offline/sw.ts')],
    outfile: path.join(dist, 'sw.js'),
    define: {
      NETWARD_BUILD: JSON.stringify(build),
      NETWARD_PRECACHE: JSON.stringify(['./', ...files]),
    },
  });
  fs.writeFileSync(path.join(dist, 'build.json'), JSON.stringify({ build, files }, null, 2) + '\n');
  const size = (f) => fs.statSync(path.join(dist, f)).size;
  const gz = (f) => (zlibGzipSize(path.join(dist, f)) / 1024).toFixed(0);
  for (const f of files) console.log(`playground: ${f.padEnd(44)} ${(size(f) / 1024).toFixed(0).padStart(6)} KiB  ${gz(f).padStart(5)} KiB gzipped`);
  console.log(`playground: build ${build} in ${path.relative(process.cwd(), dist) || '.'}`);
}

function zlibGzipSize(file) {
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

async function buildTests() {
  const out = path.join(app, 'out/test');
  fs.rmSync(out, { recursive: true, force: true });
  const entries = fs.readdirSync(path.join(app, 'test')).filter((f) => f.endsWith('.test.ts'));
  await esbuild.build({
    ...common,
    minify: false,
    sourcemap: 'inline',
    metafile: false,
    platform: 'node',
    target: 'node20',
    entryPoints: entries.map((f) => path.join(app, 'test', f)),
    outdir: out,
    outExtension: { '.js': '.mjs' },
    plugins: [examples],
    define: { NETWARD_WASM_PATH: JSON.stringify(path.join(pkg, 'netward_wasm_bg.wasm')) },
  });
}


try {
  await buildSite();
  if (process.argv.includes('--tests')) await buildTests();
} catch (error) {
  console.error(`playground/build: error: ${error.message}`);
  process.exit(1);
}
