// The built WASM engine (wasm/pkg/node), exercised from Node the way the editor and the
// playground use it. Run: node --test wasm/test/  (after scripts/build-wasm.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { Engine } = require(path.join(root, 'wasm/pkg/node/netward_wasm.js'));

const read = (p) => readFileSync(path.join(root, p), 'utf8');
const shop = readdirSync(path.join(root, 'examples/shop')).filter((f) => f.endsWith('.yaml'));

/** An engine holding the bundled shop example, files named by their repository paths. */
function shopEngine(encoding = 'utf-16') {
  const engine = new Engine('', encoding);
  for (const f of shop) engine.setFile(`examples/shop/${f}`, read(`examples/shop/${f}`));
  return engine;
}

/** The code-unit offset (UTF-16, what editors give) of the first `needle` after `after`. */
function offsetOf(text, needle, after = '') {
  const start = after ? text.indexOf(after) : 0;
  assert.ok(start >= 0, `${after} not found`);
  const at = text.indexOf(needle, start);
  assert.ok(at >= 0, `${needle} not found`);
  return at;
}

test('version, rules and schema describe the engine', () => {
  const engine = new Engine('', 'utf-16');
  assert.match(engine.version(), /^\d+\.\d+\.\d+/);
  const rules = engine.rules();
  const codes = rules.map((r) => r.code);
  assert.ok(codes.includes('NW1002'), 'fixed API checks are listed');
  assert.ok(codes.includes('NW2001') && codes.includes('NW5001'), 'lint rules are listed');
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  // The pages are left out of the module and shipped beside it, one for every code.
  const pages = JSON.parse(read('wasm/pkg/node/netward_rule_docs.json'));
  assert.deepEqual(Object.keys(pages).sort(), [...codes].sort());
  for (const rule of rules) {
    assert.equal(rule.docs, undefined, `${rule.code}: no page inside the module`);
    assert.ok(pages[rule.code].startsWith(`# ${rule.code} \`${rule.name}\``), `${rule.code} has a page`);
  }
  const schema = engine.schema();
  assert.equal(typeof schema, 'object');
  assert.ok(schema.properties && 'disable' in schema.properties);
});

test('bad construction arguments are errors, not crashes', () => {
  assert.throws(() => new Engine('', 'latin-1'), /utf-8, utf-16 or utf-32/);
  assert.throws(() => new Engine('disable: 12', 'utf-16'), Error);
  assert.throws(() => new Engine('{"nonsense": true}', 'utf-16'), /nonsense/);
});

test('the shop example lints clean and the broken one does not', () => {
  const engine = shopEngine();
  for (const f of engine.files()) {
    assert.deepEqual(engine.lint(f).filter((d) => d.severity === 'error'), [], f);
  }
  const broken = new Engine('', 'utf-16');
  broken.setFile('service-ports.yaml', read('examples/broken/service-ports.yaml'));
  const found = broken.lint('service-ports.yaml');
  assert.ok(found.length > 0);
  for (const d of found) {
    assert.match(d.code, /^NW\d{4}$/);
    assert.ok(['error', 'warning', 'info'].includes(d.severity));
    assert.equal(d.file, 'service-ports.yaml');
    assert.ok(d.range.start.line >= 0 && d.range.start.column >= 0, '0-based positions');
  }
  assert.deepEqual(broken.lint('not-there.yaml'), []);
});

test('columns follow the requested encoding', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "😀x"\n  annotations: {a: b}\nspec:\n  ports: [{port: 99999}]\n';
  const at = (encoding) => {
    const engine = new Engine('', encoding);
    engine.setFile('s.yaml', text);
    const d = engine.lint('s.yaml').find((x) => x.path === 'metadata.name');
    assert.ok(d, `a finding on metadata.name (${encoding})`);
    return d.range.end.column;
  };
  // `  name: "😀x"` ends after 2+6+1+emoji+1+1: the emoji is 4 bytes, 2 UTF-16 units, 1 char.
  assert.equal(at('utf-8'), 15);
  assert.equal(at('utf-16'), 13);
  assert.equal(at('utf-32'), 12);
});

test('cross-file findings follow setFile and removeFile', () => {
  const engine = new Engine('', 'utf-16');
  const service = [
    'apiVersion: v1', 'kind: Service', 'metadata: {name: web, namespace: shop}',
    'spec:', '  selector: {app: web}', '  ports:', '    - port: 80', '      targetPort: http', '',
  ].join('\n');
  const deployment = (portName) => [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web, namespace: shop}',
    'spec:', '  selector: {matchLabels: {app: web}}', '  template:',
    '    metadata: {labels: {app: web}}', '    spec:', '      containers:',
    '        - name: web', '          image: web:1.0.0',
    `          ports: [{name: ${portName}, containerPort: 8080}]`, '',
  ].join('\n');
  engine.setFile('svc.yaml', service);
  engine.setFile('deploy.yaml', deployment('web'));
  const missing = engine.lint('svc.yaml').find((d) => d.path === 'spec.ports[0].targetPort');
  assert.ok(missing, 'the named target port is declared by no selected pod');
  assert.ok((missing.related ?? []).some((r) => r.file === 'deploy.yaml'), 'points at the pods');

  engine.setFile('deploy.yaml', deployment('http'));
  assert.equal(engine.lint('svc.yaml').find((d) => d.path === 'spec.ports[0].targetPort'), undefined);

  assert.equal(engine.removeFile('deploy.yaml'), true);
  assert.equal(engine.removeFile('deploy.yaml'), false);
  assert.deepEqual(engine.files(), ['svc.yaml']);
  assert.deepEqual(engine.lint('deploy.yaml'), []);
  for (const d of engine.lint('svc.yaml')) {
    assert.ok(!(d.related ?? []).some((r) => r.file === 'deploy.yaml'), 'nothing points at a removed file');
  }
});

test('options: set, rejected with the old ones kept', () => {
  const engine = new Engine('', 'utf-16');
  engine.setFile('b.yaml', read('examples/broken/service-types.yaml'));
  const before = engine.lint('b.yaml').map((d) => d.code);
  const lintCode = before.find((c) => c >= 'NW2000');
  assert.ok(lintCode, 'the file triggers a lint rule');
  engine.setOptions(`disable: [${lintCode}]`);
  assert.ok(!engine.lint('b.yaml').some((d) => d.code === lintCode));
  assert.throws(() => engine.setOptions('disable: {a: 1}'), Error);
  assert.ok(!engine.lint('b.yaml').some((d) => d.code === lintCode), 'the old options stay');
  engine.setOptions('');
  assert.deepEqual(engine.lint('b.yaml').map((d) => d.code), before);
});

test('selectedPods: Service and NetworkPolicy selectors under the cursor', () => {
  const engine = shopEngine();
  const frontendFile = 'examples/shop/frontend.yaml';
  const frontend = read(frontendFile);
  const serviceSelector = offsetOf(frontend, 'selector:', 'kind: Service');
  const match = engine.selectedPods(frontendFile, serviceSelector + 3);
  assert.ok(match, 'a selector is under the cursor');
  assert.equal(match.field, 'spec.selector');
  assert.equal(match.object.kind, 'Service');
  assert.deepEqual(match.workloads, ['shop/deployment/frontend']);
  assert.match(match.summary, /^matches 1 pod: shop\/deployment\/frontend$/);

  const policiesFile = 'examples/shop/network-policies.yaml';
  const policies = read(policiesFile);
  const dns = engine.selectedPods(policiesFile, offsetOf(policies, 'k8s-app: kube-dns'));
  assert.ok(dns);
  assert.match(dns.field, /^spec\.egress\[0\]\.to\[0\]$/);
  assert.match(dns.selector, /k8s-app=kube-dns/);

  const everyPod = engine.selectedPods(policiesFile, offsetOf(policies, 'podSelector: {}'));
  assert.equal(everyPod.field, 'spec.podSelector');
  assert.equal(everyPod.selector, '{}');
  assert.ok(everyPod.pods.length >= 3);

  assert.equal(engine.selectedPods(frontendFile, 0), null, 'a comment is no selector');
  assert.equal(engine.selectedPods('unknown.yaml', 5), null);
});

test('serviceAt and endpointAt: where a Service routes, which workload is here', () => {
  const engine = shopEngine();
  const file = 'examples/shop/api.yaml';
  const text = read(file);
  const routes = engine.serviceAt(file, offsetOf(text, 'ports:', 'kind: Service'));
  assert.ok(routes);
  assert.equal(routes.service, 'shop/api');
  assert.match(routes.summary, /^routes to deployment\/api port 8080/);
  assert.ok(routes.routes.length >= 1);
  assert.equal(engine.serviceAt(file, offsetOf(text, 'replicas')), null, 'a Deployment is no Service');
  assert.equal(engine.endpointAt(file, offsetOf(text, 'replicas')), 'shop/deployment/api');
});

test('reach and explain answer who can reach whom', () => {
  const engine = shopEngine();
  const toApi = engine.reach({ to: 'shop/deployment/api' });
  const sources = toApi.flows.map((f) => f.from);
  assert.ok(sources.includes('shop/deployment/frontend'), JSON.stringify(toApi));
  const one = engine.reach({ from: 'shop/deployment/frontend', to: 'shop/deployment/api', port: 8080 });
  assert.deepEqual(one.flows, [{ from: 'shop/deployment/frontend', to: 'shop/deployment/api', ports: 'TCP 8080' }]);
  const denied = engine.reach({ from: 'shop/deployment/api', to: 'shop/deployment/frontend', port: 8080 });
  assert.deepEqual(denied.flows, []);

  const why = engine.explain({ from: 'shop/deployment/frontend', to: 'shop/deployment/api', port: 8080 });
  assert.equal(why.allowed, true);
  assert.ok(why.ingress.allowed_by.length > 0);
  assert.ok(why.ingress.allowed_by[0].place.range.start.line >= 0);

  assert.throws(() => engine.reach({ from: 'shop/nothing' }), /no pod or workload/);
  assert.throws(() => engine.reach({ form: 'shop/deployment/api' }), /unknown field "form"/);
  assert.throws(() => engine.explain({ from: 'a/b' }), /bad query/);
});

test('hostile input is reported, never a crash', () => {
  const engine = new Engine('', 'utf-16');
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    .concat(Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`))
    .join('\n');
  const cases = {
    'bomb.yaml': bomb,
    'deep.yaml': '['.repeat(100_000),
    'deep.json': '{"a":'.repeat(50_000),
    'binary.yaml': '\u0000\u0001\u0002kind: Service',
    'tabs.yaml': 'kind:\tService\n\t- x',
    'huge.yaml': `kind: Service\nmetadata:\n  name: ${'x'.repeat(4 * 1024 * 1024)}\n`,
  };
  for (const [name, text] of Object.entries(cases)) {
    engine.setFile(name, text);
    const found = engine.lint(name);
    assert.ok(found.length > 0, `${name} is reported`);
    assert.ok(found.every((d) => d.file === name && d.range.start.line >= 0), name);
  }
});

test('random mutations of real manifests never break the engine', () => {
  const engine = new Engine('', 'utf-16');
  const sources = ['examples/shop/api.yaml', 'examples/broken/typos-and-types.yaml', 'examples/broken/service.json'];
  let seed = 7;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const alphabet = ['{', '}', '[', ']', ':', '-', ' ', '\n', '"', "'", '&a', '*a', '!!', '#', '\t', '😀', '\\', ','];
  for (let i = 0; i < 300; i++) {
    let text = read(sources[i % sources.length]);
    for (let k = 0; k < 1 + random(6); k++) {
      const at = random(text.length);
      text = random(2)
        ? text.slice(0, at) + alphabet[random(alphabet.length)] + text.slice(at)
        : text.slice(0, at) + text.slice(at + 1 + random(20));
    }
    engine.setFile('m.yaml', text);
    engine.lint('m.yaml');
    const offset = random(text.length + 1);
    engine.selectedPods('m.yaml', offset);
    engine.serviceAt('m.yaml', offset);
    engine.endpointAt('m.yaml', offset);
  }
});

test('the web build loads in Node too', async () => {
  const web = await import(path.join(root, 'wasm/pkg/web/netward_wasm.js'));
  web.initSync({ module: readFileSync(path.join(root, 'wasm/pkg/web/netward_wasm_bg.wasm')) });
  const engine = new web.Engine('', 'utf-16');
  engine.setFile('s.yaml', read('examples/broken/service-ports.yaml'));
  assert.ok(engine.lint('s.yaml').length > 0);
});

test('cluster: namespaces, pods and policies with their places', () => {
  const engine = shopEngine();
  const view = engine.cluster();
  assert.ok(view.namespaces.some((n) => n.name === 'shop' && n.labels['kubernetes.io/metadata.name'] === 'shop'));
  const api = view.pods.find((p) => p.name === 'shop/deployment/api');
  assert.ok(api, JSON.stringify(view.pods.map((p) => p.name)));
  assert.equal(api.workload, 'Deployment');
  assert.equal(api.namespace, 'shop');
  assert.deepEqual(api.ports.map((p) => [p.name, p.port, p.protocol]), [['http', 8080, 'TCP'], ['metrics', 9090, 'TCP']]);
  assert.equal(api.file, 'examples/shop/api.yaml');
  assert.equal(read(api.file).split('\n')[api.range.start.line], 'apiVersion: apps/v1');
  assert.ok(view.policies.length >= 3 && view.policies.every((p) => p.name.startsWith('shop/')));
});

test('admission: what the webhook would answer for each object of a file', () => {
  const engine = new Engine('', 'utf-16');
  engine.setFile('svc.yaml', [
    'apiVersion: v1', 'kind: Service', 'metadata: {name: meta, namespace: shop}',
    'spec: {type: ExternalName, externalName: metadata.google.internal}', '---',
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec: {}', '',
  ].join('\n'));
  const [denied, ...others] = engine.admission('svc.yaml', 'enforce');
  assert.deepEqual(others, [], 'a Deployment is not reviewed');
  assert.equal(denied.decision, 'denied');
  assert.equal(denied.allowed, false);
  assert.equal(denied.denial.code, 403);
  assert.match(denied.denial.message, /^netward: Service shop\/meta breaks 1 rule: \[NW2011/);
  assert.equal(denied.range.start.line, 0);
  const warned = engine.admission('svc.yaml', 'warn')[0];
  assert.equal(warned.decision, 'warned');
  assert.equal(warned.allowed, true);
  assert.ok(warned.warnings[0].startsWith('[NW2011 external-name-points-to-metadata-service]'));
  assert.equal(engine.admission('svc.yaml', 'audit')[0].audit_annotations.decision, 'audit/audited');
  assert.throws(() => engine.admission('svc.yaml', 'strict'), /not enforce, warn or audit/);
  assert.deepEqual(engine.admission('nothing.yaml', 'enforce'), []);
});

test('hostile arguments are errors and leave the engine usable', () => {
  const engine = shopEngine();
  const file = 'examples/shop/api.yaml';
  const before = engine.lint(file);
  const throwing = { get from() { throw new Error('getter'); } };
  assert.throws(() => engine.reach(throwing), /bad query/);
  const proxy = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
  const reading = new Proxy({ from: 'a/b' }, { get() { throw new Error('trap'); } });
  assert.throws(() => engine.reach(reading), /from cannot be read/);
  assert.throws(() => engine.explain(proxy), /bad query/);
  assert.throws(() => engine.reach(undefined), /bad query/);
  assert.throws(() => engine.reach({ port: 70000 }), /port is not a number from 0 to 65535/);
  assert.throws(() => engine.lint(42), /uri must be a string/);
  assert.throws(() => engine.setFile('x.yaml', { text: 1 }), /text must be a string/);
  assert.throws(() => new Engine(null, 'utf-16'), /options must be a string/);
  for (const offset of [-1, NaN, Infinity, 1.5]) {
    assert.throws(() => engine.selectedPods(file, offset), /non-negative whole number/, String(offset));
  }
  assert.equal(engine.endpointAt(file, 2 ** 40), null, 'past the end is the end of the file');
  // Still fully usable: writes, reads and the same findings.
  engine.setFile('extra.yaml', 'kind: Service\n');
  assert.deepEqual(engine.lint(file), before);
  assert.equal(engine.removeFile('extra.yaml'), true);
});

test('a selector answers on its key too, and an empty Service selector selects nothing', () => {
  const engine = new Engine('', 'utf-16');
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: all, namespace: ns}\nspec:\n  podSelector: {}\n';
  engine.setFile('p.yaml', policy);
  engine.setFile('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: ns}\nspec: {containers: [{name: c, image: c:1.0.0}]}\n');
  const onKey = engine.selectedPods('p.yaml', policy.indexOf('podSelector') + 2);
  assert.ok(onKey);
  assert.deepEqual(onKey.pods, ['ns/a']);
  assert.deepEqual([onKey.range.start.line, onKey.range.start.column], [4, 2], 'the range covers the key');
  const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ns}\nspec:\n  selector: {}\n  ports: [{port: 80}]\n';
  engine.setFile('s.yaml', service);
  assert.equal(engine.selectedPods('s.yaml', service.indexOf('selector')), null);
});

test('file order follows names, not the order of edits', () => {
  const duplicate = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ns}\nspec: {selector: {a: b}, ports: [{port: 80}]}\n';
  const findings = (order) => {
    const engine = new Engine('', 'utf-16');
    for (const name of order) engine.setFile(name, duplicate);
    return engine.lintAll().filter((d) => d.code === 'NW5001').map((d) => d.file);
  };
  assert.deepEqual(findings(['b.yaml', 'a.yaml']), findings(['a.yaml', 'b.yaml']));
  assert.deepEqual(findings(['a.yaml', 'b.yaml']), ['b.yaml']);
});
