// End to end, in Debian's chromium: the built playground served from loopback, driven as a
// person would (typing, clicking arrows and cells, sharing, importing, going offline).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { clickEdge, launch, ready, shot, stamp } from './harness.mjs';

let h;
before(async () => {
  h = await launch();
  stamp(`serving ${h.url}`);
});
after(async () => {
  await h?.close();
});

/** A fresh profile on the playground, ready (the engine answered). */
async function open(options = {}, url = h.url) {
  const session = await h.newPage(options);
  await session.page.goto(url);
  await ready(session.page);
  return session;
}

async function loadExample(page, id) {
  await page.getByTestId('examples').click();
  await page.locator(`[data-example="${id}"]`).click();
  await page.getByTestId('toast').filter({ hasText: 'Loaded the example' }).first().waitFor();
}

/** The lines the editor shows as the explained rule (the primary band). */
async function revealedText(page) {
  await page.locator('.cm-line.nw-reveal-line-primary, .nw-reveal-primary').first().waitFor();
  return (await page.locator('.cm-line.nw-reveal-line-primary, .nw-reveal-primary').allInnerTexts()).join('\n');
}

async function activeTab(page) {
  return page.locator('#tabs .tab.active').getAttribute('data-name');
}

/** Saves what a click downloads and answers its text. */
async function downloadText(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netward-dl-')), download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

test('type a broken manifest: squiggle, gutter marker, finding with rule docs', async () => {
  const { page, context, errors } = await open();
  await shot(page, '01-first-load');
  assert.match(await page.locator('#engine-version').innerText(), /^engine \d+\.\d+\.\d+/);

  await page.getByTestId('new-file').click();
  const rename = page.getByTestId('rename');
  await rename.fill('web.yaml');
  await rename.press('Enter');
  assert.equal(await activeTab(page), 'web.yaml');

  const manifest = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web', '  namespace: shop', 'spec:', '  selector:', '    app: web', '  ports:', '    - name: http', '      port: 8080', ''].join('\n');
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(manifest);
  await page.locator('[data-testid=findings] .finding').first().waitFor();
  assert.equal(await page.locator('.cm-editor .cm-lintRange-error').count(), 0, 'a valid port: no error yet');

  // Now type the mistake key by key: port 8080 becomes 80800.
  await page.locator('.cm-line', { hasText: 'port: 8080' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type('0', { delay: 30 });
  const finding = page.locator('[data-testid=findings] .finding[data-code=NW1002]', { hasText: 'spec.ports[0].port: Invalid value: 80800' });
  await finding.waitFor();
  assert.match(await finding.innerText(), /spec\.ports\[0\]\.port: Invalid value: 80800/);
  await page.locator('.cm-editor .cm-lintRange-error').first().waitFor();
  assert.ok((await page.locator('.cm-editor .cm-lint-marker-error').count()) > 0, 'a gutter marker');
  assert.match(await page.locator('[data-testid=tab][aria-selected=true] .tab-badge').innerText(), /^\d+$/);
  const squiggles = page.locator('.cm-lintRange-error', { hasText: /^80800$/ });
  assert.equal(await squiggles.count(), 1, 'the value is underlined');
  await squiggles.hover();
  await page.locator('.cm-tooltip-lint').waitFor();
  await shot(page, '02-typed-error');

  await finding.locator('.code').click();
  await page.locator('[data-testid=rule-docs] article h2').waitFor();
  assert.match(await page.locator('[data-testid=rule-docs] article h2').innerText(), /NW1002/);
  // The whole page (from the rule pages shipped beside the engine), not just the summary.
  assert.match(await page.locator('[data-testid=rule-docs] article').innerText(), /A fixed check of the loader or of API-server validation/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the graph: click an arrow, read why, see the rule highlighted; pick a pod', async () => {
  const { page, context, errors } = await open();
  await loadExample(page, 'and-or-trap');
  await page.locator('[data-testid=node]').first().waitFor();
  assert.equal(await page.getByTestId('reach-port').inputValue(), '5432');

  await clickEdge(page, 'analytics/deployment/notebook', 'data/statefulset/postgres');
  const explanation = page.getByTestId('explanation');
  await explanation.waitFor();
  assert.match(await explanation.innerText(), /ALLOWED[\s\S]*notebook[\s\S]*postgres/);
  assert.match(await explanation.innerText(), /allowed by[\s\S]*data\/postgres-clients ingress\[0\]/i);
  assert.equal(await activeTab(page), 'postgres-policy.yaml');
  const highlighted = await revealedText(page);
  assert.match(highlighted, /namespaceSelector/);
  assert.match(highlighted, /podSelector/);
  await shot(page, '03-explain-edge');

  await page.locator('[data-testid=node][data-id="data/statefulset/postgres"]').click();
  const detail = page.getByTestId('pod-detail');
  await detail.waitFor();
  assert.match(await detail.innerText(), /Reachable from \(2\)[\s\S]*notebook/i);
  await shot(page, '04-pick-pod');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the matrix: a denied cell explains the miss and highlights the rule that did not match', async () => {
  const { page, context, errors } = await open();
  await loadExample(page, 'default-deny');
  await page.getByTestId('reach-matrix').click();
  const cell = page.locator('[data-testid=cell][data-from="shop/deployment/jobs"][data-to="shop/deployment/api"]');
  await cell.waitFor();
  assert.equal(await cell.innerText(), '·', 'jobs cannot reach the api on 8080');
  assert.equal(await page.locator('[data-testid=cell][data-from="shop/deployment/frontend"][data-to="shop/deployment/api"]').innerText(), '✓');
  await cell.click();
  const explanation = page.getByTestId('explanation');
  await explanation.waitFor();
  assert.match(await explanation.innerText(), /DENIED/);
  assert.equal(await activeTab(page), 'policies.yaml');
  assert.match(await revealedText(page), /from:|podSelector|app: frontend/);
  await shot(page, '05-matrix-denied');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a quick fix from the engine: DNS allowed, the finding gone, the flow allowed', async () => {
  const { page, context, errors } = await open();
  await loadExample(page, 'egress-dns');
  const finding = page.locator('[data-testid=findings] .finding[data-code=NW3008]');
  await finding.waitFor();
  await page.getByTestId('reach-matrix').click();
  const dns = page.locator('[data-testid=cell][data-from="shop/deployment/checkout"][data-to="kube-system/deployment/coredns"]');
  await dns.waitFor();
  assert.equal(await dns.innerText(), '·', 'UDP 53 denied before the fix');
  await finding.locator('.fix').click();
  await finding.waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.querySelector('[data-testid=cell][data-from="shop/deployment/checkout"][data-to="kube-system/deployment/coredns"]')?.textContent === '✓');
  assert.match(await page.locator('.cm-content').innerText(), /k8s-app: kube-dns/);
  await shot(page, '06-quick-fix');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the webhook panel shows the denial exactly as returned, and the other modes', async () => {
  const { page, context, errors } = await open();
  await loadExample(page, 'externalname-localhost');
  const card = page.locator('[data-testid=admission-card]', { hasText: 'billing/legacy-billing' });
  await card.waitFor();
  assert.equal(await card.getAttribute('data-decision'), 'denied');
  assert.equal(await page.getByTestId('admission-card').count(), 1);
  const message = await page.getByTestId('status-message').innerText();
  assert.match(message, /NW2010 external-name-points-to-loopback/);
  assert.match(await page.getByTestId('kubectl').innerText(), /^Error from server \(Forbidden\): error when creating "service\.yaml": admission webhook "validate\.netward\.dev" denied the request: netward:/);
  await shot(page, '07-webhook-denied');
  await page.getByTestId('mode-warn').click();
  await page.locator('[data-testid=admission-card][data-decision=warned]').waitFor();
  assert.match(await page.getByTestId('warning').first().innerText(), /NW2010/);
  await page.getByTestId('mode-audit').click();
  await page.locator('[data-testid=admission-card][data-decision=audited]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('share by URL: a fresh browser opens the same files', async () => {
  const { page, context, errors } = await open();
  await loadExample(page, 'egress-dns');
  await page.getByTestId('new-file').click();
  await page.getByTestId('rename').fill('notes é 🚀.yaml');
  await page.getByTestId('rename').press('Enter');
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.ok(url.startsWith(h.url) && url.includes('#ws='), url);
  await shot(page, '08-share-dialog');
  await page.keyboard.press('Escape');
  const mine = await downloadText(page, async () => {
    await page.locator('#btn-export').click();
    await page.locator('[data-export=workspace]').click();
  });

  const other = await open({}, url);
  assert.equal(new URL(other.page.url()).hash, '', 'the fragment is consumed');
  const tabs = await other.page.locator('#tabs .tab').evaluateAll((els) => els.map((e) => e.dataset.name));
  assert.deepEqual(tabs, JSON.parse(mine.text).files.map((f) => f.name));
  const theirs = await downloadText(other.page, async () => {
    await other.page.locator('#btn-export').click();
    await other.page.locator('[data-export=workspace]').click();
  });
  assert.deepEqual(JSON.parse(theirs.text), JSON.parse(mine.text));
  await shot(other.page, '09-shared-opened');
  assert.deepEqual([...errors, ...other.errors], []);
  await other.context.close();
  await context.close();
});

test('import by file picker and by drop; export one file and the YAML stream', async () => {
  const { page, context, errors } = await open();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netward-import-'));
  const file = path.join(dir, 'imported.yaml');
  fs.writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: lb\n  namespace: edge\nspec:\n  type: LoadBalancer\n  selector:\n    app: lb\n  ports:\n    - port: 443\n  externalIPs: [192.0.2.7]\n');
  await page.locator('#file-picker').setInputFiles(file);
  await page.locator('[data-testid=tab]', { hasText: 'imported.yaml' }).waitFor();
  await page.locator('[data-testid=findings] .finding[data-code=NW2001]').waitFor();

  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(['apiVersion: v1\nkind: Service\nmetadata:\n  name: dropped\nspec:\n  type: ExternalName\n  externalName: localhost\n'], 'dropped.yaml'));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, cancelable: true }));
  });
  await page.locator('[data-testid=tab]', { hasText: 'dropped.yaml' }).waitFor();
  await page.locator('[data-testid=findings] .finding[data-code=NW2010]').waitFor();
  assert.equal(await page.locator('#drop-overlay').isHidden(), true);

  const one = await downloadText(page, async () => {
    await page.locator('#btn-export').click();
    await page.locator('[data-export=file]').click();
  });
  assert.equal(one.name, 'dropped.yaml');
  assert.match(one.text, /externalName: localhost/);
  const stream = await downloadText(page, async () => {
    await page.locator('#btn-export').click();
    await page.locator('[data-export=stream]').click();
  });
  assert.match(stream.text, /# imported\.yaml\n[\s\S]*---\n# dropped\.yaml\n/);
  await shot(page, '10-imported');
  assert.deepEqual(errors, []);
  await context.close();
});

test('works offline once loaded (service worker cache)', async () => {
  const { page, context, errors } = await open();
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state;
  });
  await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith('netward-playground-')));
  await context.setOffline(true);
  await page.reload();
  await ready(page);
  await page.locator('[data-testid=findings] .finding').first().waitFor();
  await shot(page, '11-offline');
  await context.setOffline(false);
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)), []);
  await context.close();
});

test('dark theme', async () => {
  const { page, context, errors } = await open({ colorScheme: 'dark' });
  await loadExample(page, 'egress-dns');
  await page.getByTestId('reach-matrix').click();
  await page.locator('[data-testid=cell][data-from="shop/deployment/checkout"][data-to="kube-system/deployment/coredns"]').click();
  assert.match(await page.getByTestId('explanation').innerText(), /DENIED[\s\S]*UDP\/53/);
  await shot(page, '12-dark');
  assert.deepEqual(errors, []);
  await context.close();
});
