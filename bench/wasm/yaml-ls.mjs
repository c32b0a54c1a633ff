// Side-by-side baseline for issue 6 ("Speed and size"): yaml-language-server (npm, what editor
// users run today for Kubernetes YAML, e.g. through the VS Code YAML extension) validating the
// same 2,000-line multi-document file the netward WASM benchmark lints, against the real
// Kubernetes JSON schema.
//
//   bash bench/wasm/setup-k8s-schema.sh      # once; offline-safe (PyPI only), idempotent
//   node bench/wasm/yaml-ls.mjs [--association kubernetes|file] [--edits N] [--lines N] [--verbose]
//
// (yaml-ls.mjs runs setup-k8s-schema.sh itself when the schema is missing.)
//
// Schema: Kubernetes v1.37.0 "strict" definitions (additionalProperties: false) from the PyPI
// wheel kubernetes-validate==1.37.0, converted by setup-k8s-schema.sh.
//
// --association kubernetes (default): the setup editor users have, `"yaml.schemas":
//   {"kubernetes": "*.yaml"}` with `yaml.kubernetesVersion: 1.37.0`. The server then asks for
//   .../yannh/kubernetes-json-schema/master/v1.37.0-standalone-strict/all.json (and
//   _definitions.json) and, per YAML document, picks the definition matching its apiVersion+kind
//   (k8sSchemaUtil.autoDetectKubernetesSchema). There is no internet here, so this client does what
//   the VS Code YAML extension does: it sends `yaml/registerContentRequest`, and the server then
//   asks the client for http(s) schemas with `vscode/content` requests, which this client answers
//   from the converted files in .k8s-schema/v1.37.0-standalone-strict/ (any other URL gets an
//   error and is counted in the summary; there are none for this fixture). The schema store is
//   disabled; the CRD store stays enabled because the per-document GVK lookup only runs with it.
// --association file: a plain local file association with one draft-07 schema file whose top
//   level is an allOf of if/then over all 325 apiVersion+kind pairs. Same verdicts, but the
//   server evaluates all 325 `if`s per document, which makes it 2-3x slower than the server's
//   own Kubernetes path: a worst case, not the headline.
//
// What is measured (all wall-clock in this process, performance.now()):
//   * cold_ms: from writing textDocument/didOpen of the file (the server already initialised and
//     configured, but it has never loaded the schema) to receiving the textDocument/
//     publishDiagnostics notification for that uri. Includes getting, parsing and resolving the
//     1.7 MB schema, parsing the YAML, validating it, and the server's built-in 200 ms
//     validation debounce (yamlSettings.validationDelayMs, not configurable). With the
//     `kubernetes` association most of it (~9 s here) is the server resolving all.json (a oneOf
//     of 862 $refs into _definitions.json) before the per-document lookup; an editor pays that
//     once per server start (plus, normally, the download).
//   * reopen_ms: didClose + didOpen again (schema cached), to the publish for that open.
//   Every validation also makes one `workspace/configuration` round trip to this client (the
//   server asks for the `[yaml]` section), answered at once, as an editor would.
//   * edit_*: after 3 unreported warm-up edits, N (default 20) textDocument/didChange
//     notifications, each a full-text change with a new version that alters one value (the first
//     Deployment's `replicas`), sent one at a time: the next is sent only after the publish for
//     the previous one arrived. Time = from writing didChange to the publishDiagnostics for that
//     uri. publishDiagnostics carries no version in this server, so to be sure each publish
//     belongs to the text just sent, the edits alternate a valid value (`replicas: <k>`, expect 0
//     diagnostics) and a wrongly typed one (`replicas: "r<k>"`, expect exactly 1); any mismatch
//     aborts the run. These times include the same 200 ms debounce; *_minus_debounce_ms
//     subtract it (the server's compute + IPC, the figure to compare with an engine call).
//   * Correctness: number of diagnostics on the clean file (expected 0) and on a copy with
//     4 injected problems (3 wrong types + 1 unknown field), opened as a second document.
// The last stdout line is a JSON summary.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { multiDocument, root } from './fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const K8S_VERSION = '1.37.0';
const DEBOUNCE_MS = 200; // yaml-language-server's fixed validationDelayMs
const WARMUP_EDITS = 3;

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
}
const EDITS = arg('--edits', 20);
const ai = process.argv.indexOf('--association');
const ASSOCIATION = ai === -1 ? 'kubernetes' : process.argv[ai + 1];
if (!['kubernetes', 'file'].includes(ASSOCIATION)) throw new Error(`--association kubernetes|file, not ${ASSOCIATION}`);
const LINES = arg('--lines', 2000);
const VERBOSE = process.argv.includes('--verbose');
const log = (...a) => console.error(...a);

// ---- schema --------------------------------------------------------------------------------
const schemaFile = path.join(here, '.k8s-schema', `kubernetes-v${K8S_VERSION}-strict.json`);
const standaloneDir = path.join(here, '.k8s-schema', `v${K8S_VERSION}-standalone-strict`);
// The URL prefix the server's `kubernetes` association resolves to (schemaUrls.checkSchemaURI).
const K8S_URL_PREFIX = `https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v${K8S_VERSION}-standalone-strict/`;
if (!existsSync(schemaFile) || !existsSync(path.join(standaloneDir, '_definitions.json'))) {
  execFileSync('bash', [path.join(here, 'setup-k8s-schema.sh')], { stdio: ['ignore', 2, 2] });
}
const schemaUri = pathToFileURL(schemaFile).href;

// ---- the server ----------------------------------------------------------------------------
const serverPkg = path.join(root, 'node_modules', 'yaml-language-server');
const serverVersion = JSON.parse(readFileSync(path.join(serverPkg, 'package.json'), 'utf8')).version;
const settings = {
  validate: true,
  hover: false,
  completion: false,
  format: { enable: false },
  yamlVersion: '1.2',
  schemaStore: { enable: false },
  ...(ASSOCIATION === 'kubernetes'
    ? { kubernetesVersion: K8S_VERSION, kubernetesCRDStore: { enable: true }, schemas: { kubernetes: '*.yaml' } }
    : { kubernetesCRDStore: { enable: false }, schemas: { [schemaUri]: '*.yaml' } }),
};

class LspClient {
  constructor(child) {
    this.child = child;
    this.nextId = 1;
    this.pending = new Map();
    this.publishWaiters = new Map(); // uri -> resolve of the next publish
    this.configRequests = 0;
    this.contentServed = [];
    this.contentRefused = [];
    this.buf = Buffer.alloc(0);
    child.stdout.on('data', (chunk) => this.onData(chunk));
  }

  onData(chunk) {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const header = this.buf.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length: *(\d+)/i.exec(header);
      if (!m) throw new Error(`bad LSP header: ${header}`);
      const len = Number(m[1]);
      if (this.buf.length < headerEnd + 4 + len) return;
      const body = this.buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8');
      this.buf = this.buf.subarray(headerEnd + 4 + len);
      this.onMessage(JSON.parse(body), performance.now());
    }
  }

  onMessage(msg, t) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(`${msg.error.code}: ${msg.error.message}`));
      else p?.resolve(msg.result);
    } else if (msg.id !== undefined) {
      // A request from the server. It asks for `workspace/configuration` even when it did not
      // advertise needing it; answering null would reset the settings.
      let result = null;
      if (msg.method === 'workspace/configuration') {
        this.configRequests++;
        result = msg.params.items.map(({ section }) =>
          section === 'yaml' ? settings : section === 'http' ? { proxy: '', proxyStrictSSL: false } : {},
        );
      } else if (msg.method === 'vscode/content') {
        // The server wants an http(s) schema (VS Code's extension would download it).
        const url = String(msg.params).split('#')[0];
        const file = url.startsWith(K8S_URL_PREFIX) ? path.join(standaloneDir, url.slice(K8S_URL_PREFIX.length)) : null;
        if (file && path.dirname(file) === standaloneDir && existsSync(file)) {
          this.contentServed.push(url);
          if (VERBOSE) log(`(served ${url} at ${r1(performance.now())} ms)`);
          result = readFileSync(file, 'utf8');
        } else {
          this.contentRefused.push(url);
          log(`(refused schema request for ${url}: offline)`);
          this.send({ jsonrpc: '2.0', id: msg.id, error: { code: -32603, message: `offline: ${url}` } });
          return;
        }
      }
      this.send({ jsonrpc: '2.0', id: msg.id, result });
    } else if (msg.method === 'textDocument/publishDiagnostics') {
      const waiter = this.publishWaiters.get(msg.params.uri);
      this.publishWaiters.delete(msg.params.uri);
      if (waiter) waiter({ t, diagnostics: msg.params.diagnostics });
      else if (VERBOSE) log(`(unawaited publish for ${msg.params.uri}: ${msg.params.diagnostics.length})`);
    } else if (VERBOSE && msg.method === 'window/logMessage') {
      log(`[server] ${msg.params.message}`);
    }
  }

  send(msg) {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
    return performance.now();
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    return this.send({ jsonrpc: '2.0', method, params });
  }

  /** Sends a notification and resolves with {ms, diagnostics} of the next publish for `uri`. */
  async timedUntilPublish(uri, method, params, timeoutMs = 120_000) {
    if (this.publishWaiters.has(uri)) throw new Error(`already waiting for ${uri}`);
    const published = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no publishDiagnostics for ${uri} in ${timeoutMs} ms`)), timeoutMs);
      this.publishWaiters.set(uri, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
    const t0 = this.notify(method, params);
    const { t, diagnostics } = await published;
    return { ms: t - t0, diagnostics };
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q; // linear interpolation between closest ranks
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}
const r1 = (x) => Math.round(x * 10) / 10;

function replaceOnce(text, from, to) {
  const i = text.indexOf(from);
  if (i === -1) throw new Error(`fixture changed: ${JSON.stringify(from)} not found`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

function describe(diags, text) {
  const lines = text.split('\n');
  return diags.map((d) => `  ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message.split('\n')[0]}   | ${lines[d.range.start.line].trim()}`);
}

async function main() {
  const text = multiDocument(LINES);
  const lineCount = text.split('\n').length - 1;
  const documents = text.split(/^---$/m).length;
  const uri = pathToFileURL(path.join(here, `multi-${LINES}.yaml`)).href;
  const badUri = pathToFileURL(path.join(here, `multi-${LINES}-bad.yaml`)).href;

  const child = spawn(process.execPath, [path.join(serverPkg, 'bin', 'yaml-language-server'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const client = new LspClient(child);

  try {
    await client.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'netward' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
        textDocument: { publishDiagnostics: { relatedInformation: true }, synchronization: { dynamicRegistration: false } },
      },
      initializationOptions: {},
    });
    client.notify('initialized', {});
    // As the VS Code YAML extension does: fetch http(s) schemas through the client.
    if (ASSOCIATION === 'kubernetes') client.notify('yaml/registerContentRequest', null);
    // The server pulls its configuration on `initialized`; wait for it and let it settle, so the
    // first open is validated with the schema (and nothing else is pending).
    for (let i = 0; client.configRequests === 0; i++) {
      if (i > 500) throw new Error('server never asked for its configuration');
      await sleep(10);
    }
    await sleep(500);

    // Cold: first open, schema not loaded yet.
    const cold = await client.timedUntilPublish(uri, 'textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    if (ASSOCIATION === 'kubernetes' && client.contentServed.length < 2) {
      throw new Error('the first publish came before the server had loaded the Kubernetes schema');
    }
    if (VERBOSE || cold.diagnostics.length) log([`clean file: ${cold.diagnostics.length} diagnostics`, ...describe(cold.diagnostics, text)].join('\n'));

    // Reopen: schema cached.
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await sleep(300); // the close publishes an empty diagnostics list; let it pass
    client.publishWaiters.delete(uri);
    const reopen = await client.timedUntilPublish(uri, 'textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });

    // Edits.
    const anchor = '  replicas: 2\n';
    let version = 1;
    const editMs = [];
    for (let k = 1; k <= WARMUP_EDITS + EDITS; k++) {
      const bad = k % 2 === 1;
      const edited = replaceOnce(text, anchor, bad ? `  replicas: "r${k}"\n` : `  replicas: ${k}\n`);
      const r = await client.timedUntilPublish(uri, 'textDocument/didChange', {
        textDocument: { uri, version: ++version },
        contentChanges: [{ text: edited }],
      });
      const expected = bad ? 1 : 0;
      if (r.diagnostics.length !== expected) {
        throw new Error(`edit ${k}: expected ${expected} diagnostics, got ${r.diagnostics.length}:\n${describe(r.diagnostics, edited).join('\n')}`);
      }
      if (k > WARMUP_EDITS) editMs.push(r.ms);
      if (VERBOSE) log(`edit ${k}: ${r1(r.ms)} ms, ${r.diagnostics.length} diagnostics`);
    }

    // A copy with injected problems, as a second document.
    let badText = text;
    badText = replaceOnce(badText, '  replicas: 2\n', '  replicas: "two"\n'); // Deployment: integer
    badText = replaceOnce(badText, '      port: 8080\n', '      port: "abc"\n'); // Service port: integer
    badText = replaceOnce(badText, '        runAsNonRoot: true\n', '        runAsNonRoot: "yes"\n'); // boolean
    badText = replaceOnce(badText, '  revisionHistoryLimit: 5\n', '  revisionHistoryLimt: 5\n'); // unknown field
    const badRun = await client.timedUntilPublish(badUri, 'textDocument/didOpen', {
      textDocument: { uri: badUri, languageId: 'yaml', version: 1, text: badText },
    });
    log(`file with 4 injected problems (3 wrong types, 1 unknown field): ${badRun.diagnostics.length} diagnostics`);
    log(describe(badRun.diagnostics, badText).join('\n'));

    log(`edits (ms, incl. ${DEBOUNCE_MS} ms debounce): ${editMs.map(r1).join(' ')}`);
    const summary = {
      tool: 'yaml-language-server',
      version: serverVersion,
      schema: `kubernetes v${K8S_VERSION} strict (PyPI kubernetes-validate ${K8S_VERSION})`,
      association: ASSOCIATION,
      lines: lineCount,
      documents,
      cold_ms: r1(cold.ms),
      reopen_ms: r1(reopen.ms),
      edits: editMs.length,
      edit_median_ms: r1(median(editMs)),
      edit_p90_ms: r1(quantile(editMs, 0.9)),
      debounce_ms: DEBOUNCE_MS,
      cold_minus_debounce_ms: r1(cold.ms - DEBOUNCE_MS),
      edit_median_minus_debounce_ms: r1(median(editMs) - DEBOUNCE_MS),
      edit_p90_minus_debounce_ms: r1(quantile(editMs, 0.9) - DEBOUNCE_MS),
      clean_diagnostics: cold.diagnostics.length,
      injected_problems: 4,
      injected_diagnostics: badRun.diagnostics.length,
      ...(ASSOCIATION === 'kubernetes'
        ? { schema_files_served: [...new Set(client.contentServed.map((u) => u.slice(K8S_URL_PREFIX.length)))], schema_requests_refused: client.contentRefused.length }
        : {}),
    };

    await client.request('shutdown', null);
    client.notify('exit', null);
    const ended = await Promise.race([exited, sleep(5000).then(() => null)]);
    if (!ended) {
      child.kill('SIGKILL');
      throw new Error('server did not exit after shutdown/exit');
    }
    console.log(JSON.stringify(summary));
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGKILL');
    if (stderr) log(`server stderr:\n${stderr}`);
    throw e;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
