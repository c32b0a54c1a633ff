// The mapping code against the real engine: the bundled worker (dist/worker.js) with the WASM
// build copied into dist/ by scripts/build.sh, on the e2e fixture workspace.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EngineClient } from '../src/engine/client';
import type { Diagnostic } from '../src/engine/types';
import { DiagnosticSeverity, toDiagnosticData } from '../src/mapping/diagnostics';
import { toFixData } from '../src/mapping/fixes';
import { selectorHover, serviceHover } from '../src/mapping/hover';
import { ignoreEdit, REASON_PLACEHOLDER } from '../src/mapping/ignore';
import { declaredPort, explanationReport, reachItems } from '../src/mapping/reach';
import { looksLikeManifest } from '../src/manifest';
import { optionsText, renameOptions } from '../src/options';
import type { EditData } from '../src/mapping/fixes';

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');
const workspace = path.join(root, 'e2e', 'fixtures', 'workspace');
const uri = (name: string) => `file:///w/${name}`;
const text = (name: string) => fs.readFileSync(path.join(workspace, name), 'utf8');

let engine: EngineClient;

before(async () => {
  engine = new EngineClient({
    workerScript: path.join(dist, 'worker.js'),
    wasmModule: path.join(dist, 'netward_wasm.js'),
    encoding: 'utf-16',
  });
  assert.match(await engine.start(''), /^\d+\.\d+\.\d+/);
});

after(() => engine.dispose());

async function load(files: Record<string, string>): Promise<void> {
  for (const name of await engine.call('files')) await engine.removeFile(name);
  for (const [name, content] of Object.entries(files)) await engine.setFile(uri(name), content);
}

const fixtureFiles = () => ({
  'services.yaml': text('services.yaml'),
  'workloads.yaml': text('workloads.yaml'),
  'policies.yaml': text('policies.yaml'),
});

/** Applies edits of one file (engine ranges, UTF-16 columns) to its text, last first. */
function applyEdits(content: string, edits: EditData[]): string {
  const lines = content.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), content);
}

const codes = (findings: Diagnostic[]) => findings.map((d) => d.code).sort();

test('the fixture files are manifests', () => {
  for (const [, content] of Object.entries(fixtureFiles())) assert.equal(looksLikeManifest(content, 'yaml'), true);
});

test('cross-file findings map to editor diagnostics with related locations in the other file', async () => {
  await load(fixtureFiles());
  const byFile = new Map(await engine.call('lintMany', ['services.yaml', 'workloads.yaml', 'policies.yaml'].map(uri)));
  assert.deepEqual(codes(byFile.get(uri('services.yaml')) ?? []), ['NW2004', 'NW2006']);
  assert.deepEqual(codes(byFile.get(uri('workloads.yaml')) ?? []), ['NW3006', 'NW3007']);
  assert.deepEqual(byFile.get(uri('policies.yaml')), []);

  const [nw2004] = await engine.call('lint', uri('services.yaml'));
  const data = toDiagnosticData(nw2004, (code) => `command:docs?${code}`);
  const line = text('services.yaml').split('\n')[12];
  const column = line.indexOf('http-web');
  assert.deepEqual(data.range, { start: { line: 12, character: column }, end: { line: 12, character: column + 8 } });
  assert.equal(data.severity, DiagnosticSeverity.Error);
  assert.deepEqual(data.code, { value: 'NW2004', target: 'command:docs?NW2004' });
  assert.match(data.message, /\nhelp: /);
  assert.equal(data.related.length, 1);
  assert.equal(data.related[0].uri, uri('workloads.yaml'));
  // The engine points at the labels of the web Deployment's pod template (what the selector selects).
  const related = data.related[0].range.start.line;
  assert.equal(text('workloads.yaml').split('\n')[related].trim(), 'app: web');
  assert.ok(related < text('workloads.yaml').split('\n').indexOf('---'), 'in the Deployment, not the DaemonSet');
});

test("the engine's fix, applied as edits, removes its finding", async () => {
  await load(fixtureFiles());
  const findings = await engine.call('lint', uri('services.yaml'));
  const nw2006 = findings.find((d) => d.code === 'NW2006');
  assert.ok(nw2006?.fix, 'NW2006 offers a fix');
  const fix = toFixData(nw2006.fix);
  assert.equal(fix.title, 'Add `protocol: UDP` to the Service port');
  const fixed = applyEdits(text('services.yaml'), fix.edits.get(uri('services.yaml')) ?? []);
  assert.match(fixed, /- name: syslog\n {6}protocol: UDP\n {6}port: 514\n/);
  await engine.setFile(uri('services.yaml'), fixed);
  assert.deepEqual(codes(await engine.call('lint', uri('services.yaml'))), ['NW2004']);
});

test('columns are UTF-16 code units, as the editor counts them, also after astral characters and CRLF', async () => {
  const service = text('services.yaml')
    .replace('    - name: http\n      port: 80\n      targetPort: http-web', '    - {"ünï🙂": 1, port: 80, targetPort: http-web}')
    .replace(/\n/g, '\r\n');
  await load({ ...fixtureFiles(), 'services.yaml': service });
  const findings = await engine.call('lint', uri('services.yaml'));
  const nw2004 = findings.find((d) => d.code === 'NW2004');
  assert.ok(nw2004, codes(findings).join());
  const lines = service.split('\r\n');
  const line = lines.findIndex((l) => l.includes('targetPort: http-web'));
  const column = lines[line].indexOf('http-web'); // JavaScript strings index UTF-16 code units
  assert.deepEqual(toDiagnosticData(nw2004, String).range.start, { line, character: column });
});

test('hovers: the selector under an editor offset and the Service routes', async () => {
  await load(fixtureFiles());
  const services = text('services.yaml');
  const match = await engine.call('selectedPods', uri('services.yaml'), services.indexOf('app: web') + 5);
  assert.ok(match);
  assert.deepEqual(match.workloads, ['shop/deployment/web']);
  assert.match(selectorHover(match), /`app=web`\n\nmatches 1 pod/);
  const onKey = await engine.call('selectedPods', uri('services.yaml'), services.indexOf('selector:') + 3);
  assert.equal(onKey?.selector, 'app=web', 'the selector key answers too');
  assert.equal(await engine.call('selectedPods', uri('services.yaml'), services.indexOf('port: 80')), null);
  const routes = await engine.call('serviceAt', uri('services.yaml'), services.indexOf('port: 514'));
  assert.ok(routes);
  assert.equal(routes.service, 'shop/syslog');
  assert.match(serviceHover(routes), /port `514\/TCP \(syslog\)` → targetPort `syslog`/);
  assert.equal(await engine.call('serviceAt', uri('workloads.yaml'), 10), null);
});

test('who can reach the workload under the cursor, and why', async () => {
  await load(fixtureFiles());
  const endpoint = await engine.call('endpointAt', uri('workloads.yaml'), text('workloads.yaml').indexOf('name: web'));
  assert.equal(endpoint, 'shop/deployment/web');
  const items = reachItems(await engine.call('reach', { to: endpoint }));
  assert.deepEqual(items, [
    { label: 'shop/daemonset/syslog', description: 'TCP 8080', from: 'shop/daemonset/syslog', port: { number: 8080, protocol: 'TCP' } },
  ]);
  const explanation = await engine.call('explain', { from: items[0].from, to: endpoint, port: 8080, protocol: 'TCP' });
  const report = explanationReport(explanation);
  assert.equal(report[0], 'shop/daemonset/syslog → shop/deployment/web TCP 8080: allowed');
  assert.ok(report.some((l) => /allowed by shop\/web-ingress ingress\[0\]/.test(l)), report.join('\n'));
  await assert.rejects(engine.call('reach', { to: 'shop/deployment/nope' }), /no pod or workload/);
});

test('an inserted ignore comment suppresses the finding; the placeholder reason counts as a reason', async () => {
  await load(fixtureFiles());
  const workloads = text('workloads.yaml');
  const nw3007 = (await engine.call('lint', uri('workloads.yaml'))).find((d) => d.code === 'NW3007');
  assert.ok(nw3007);
  const edit = ignoreEdit(workloads, nw3007.range.start.line, 'NW3007');
  const at = { line: edit.position.line, character: edit.position.character };
  const placeholder = applyEdits(workloads, [{ range: { start: at, end: at }, newText: edit.text }]);
  await engine.setFile(uri('workloads.yaml'), placeholder);
  assert.deepEqual(codes(await engine.call('lint', uri('workloads.yaml'))), ['NW3006']);

  // A second rule on a line the comment already covers: the code joins the comment's list.
  const nw3006 = (await engine.call('lint', uri('workloads.yaml')))[0];
  const first = ignoreEdit(placeholder, nw3006.range.start.line, 'NW3006');
  const once = applyEdits(placeholder, [{ range: { start: first.position, end: first.position }, newText: first.text }]);
  const again = ignoreEdit(once, nw3006.range.start.line + 1, 'NW3001');
  assert.equal(again.kind, 'extend');
  const both = applyEdits(once, [{ range: { start: again.position, end: again.position }, newText: again.text }]);
  assert.match(both, new RegExp(`# netward-ignore: NW3006,NW3001 ${REASON_PLACEHOLDER}\n`));
  await engine.setFile(uri('workloads.yaml'), both);
  assert.deepEqual(codes(await engine.call('lint', uri('workloads.yaml'))), []);
});

test('a comment without a reason is reported (NW0012) and suppresses nothing', async () => {
  const workloads = text('workloads.yaml').replace('  name: syslog\n', '  # netward-ignore: NW3007\n  name: syslog\n');
  await load({ ...fixtureFiles(), 'workloads.yaml': workloads });
  assert.deepEqual(codes(await engine.call('lint', uri('workloads.yaml'))), ['NW0012', 'NW3006', 'NW3007']);
});

test('settings merged over an options file reach the engine; refused options leave the old ones', async (t) => {
  await load(fixtureFiles());
  t.after(() => engine.setOptions(''));
  const check = (text: string) => engine.call('checkOptions', text);
  const file = { name: '.netward.yaml', text: 'severity:\n  NW2006: warning\n  NW3006: off\n' };
  const merged = await optionsText(file, { select: [], disable: ['NW2004'], severity: {} }, check);
  assert.ok(merged.ok);
  await engine.setOptions(merged.text);
  const findings = await engine.call('lint', uri('services.yaml'));
  assert.deepEqual(findings.map((d) => [d.code, d.severity]), [['NW2006', 'warning']]);
  assert.ok(!codes(await engine.call('lint', uri('workloads.yaml'))).includes('NW3006'), '`off` (YAML 1.1: false) still means off');

  // The file's own mistakes are blamed on it, with the engine's line and column in it.
  const broken = await optionsText({ name: '.netward.yaml', text: 'disable: [NW2001\n' }, { select: [], disable: ['x'], severity: {} }, check);
  assert.equal(broken.ok, false);
  assert.match(broken.ok ? '' : broken.error, /^\.netward\.yaml:1:16: YAML syntax error/);
  // What only the settings bring is blamed on them.
  const loud = await optionsText(file, { select: [], disable: [], severity: { NW2006: 'loud' } }, check);
  assert.ok(loud.ok);
  const refused = await engine.setOptions(loud.text).then(
    () => 'accepted',
    (error: Error) => renameOptions(error.message, loud.blame, loud.located),
  );
  assert.match(refused, /^settings netward\.rules\.\* \(over \.netward\.yaml\): invalid options: unknown severity `loud`/);
  assert.deepEqual(codes(await engine.call('lint', uri('services.yaml'))), ['NW2006']);
});

test('who can reach: the engine formats of flow ports, and a flow on every port explained on a declared port', async () => {
  const deployment = (name: string, ports: string) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: {name: ${name}, namespace: t}`,
      'spec:',
      `  selector: {matchLabels: {app: ${name}}}`,
      '  template:',
      `    metadata: {labels: {app: ${name}}}`,
      `    spec: {containers: [{name: c, image: x, ports: [${ports}]}]}`,
    ].join('\n');
  const policy = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: p, namespace: t}',
    'spec:',
    '  podSelector: {matchLabels: {app: a}}',
    '  ingress:',
    '  - from: [{podSelector: {matchLabels: {app: b}}}]',
    '  - from: [{podSelector: {matchLabels: {app: c}}}]',
    '    ports: [{port: 8000, endPort: 8080}, {port: 9000}, {port: 53, protocol: UDP}, {protocol: SCTP}]',
    '  - from: [{ipBlock: {cidr: 10.0.0.0/8}}]',
  ].join('\n');
  const manifests = [
    deployment('a', '{name: dns, containerPort: 53, protocol: UDP}, {name: http, containerPort: 8080}'),
    deployment('b', ''),
    deployment('c', ''),
    policy,
  ].join('\n---\n');
  await load({ 'reach.yaml': manifests });
  const answer = await engine.call('reach', { to: 't/deployment/a' });
  assert.deepEqual(
    answer.flows.map((f) => [f.from, f.ports]),
    [
      ['t/deployment/b', 'all ports'],
      ['t/deployment/c', 'TCP 8000-8080, 9000; UDP 53; SCTP all'],
    ],
  );
  const [all, some] = reachItems(answer);
  assert.equal(all.port, undefined);
  assert.deepEqual(some.port, { number: 8000, protocol: 'TCP' });
  const pod = (await engine.call('cluster')).pods.find((p) => p.name === 't/deployment/a');
  const port = declaredPort(all.description, pod?.ports ?? []);
  assert.deepEqual(port, { number: 53, protocol: 'UDP' });
  const explanation = await engine.call('explain', { from: all.from, to: 't/deployment/a', port: 53, protocol: 'UDP' });
  assert.equal(explanation.allowed, true);
});

test('a 5,000-line file is linted in the worker without stalling the calling thread', async () => {
  const documents: string[] = [];
  for (let i = 0; documents.join('\n').split('\n').length < 5000; i++) {
    documents.push(text('services.yaml').replace(/name: web/g, `name: web-${i}`).replace(/name: syslog/g, `name: syslog-${i}`));
  }
  const big = documents.join('\n---\n');
  await load({ 'big.yaml': big, 'workloads.yaml': text('workloads.yaml') });
  let longest = 0;
  let last = Date.now();
  const ticker = setInterval(() => {
    longest = Math.max(longest, Date.now() - last);
    last = Date.now();
  }, 5);
  const started = Date.now();
  const findings = await engine.call('lint', uri('big.yaml'));
  const took = Date.now() - started;
  clearInterval(ticker);
  assert.ok(big.split('\n').length >= 5000);
  assert.equal(findings.filter((d) => d.code === 'NW2004').length, documents.length);
  assert.ok(longest < 100, `the event loop stalled for ${longest} ms while the worker linted for ${took} ms`);
  console.log(`# 5,000-line lint: ${took} ms in the worker, longest event-loop gap ${longest} ms`);
});
