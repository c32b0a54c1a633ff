// The extension in a real VS Code (code-server + chromium): diagnostics from the WASM engine
// across files, hovers, the rule docs link, quick fixes applied through the editor UI, the
// "who can reach this?" command, manifests and options files changing on disk, the options
// schema. The steps build on each other, in order.
// Run: node --test --test-concurrency=1 e2e/*.test.mjs (after scripts/build.sh).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, stamp } from './harness.mjs';
import {
  goTo, openFile, problemCounts, problemRow, problemsPanel, quickFix, runCommand, shoot, visibleText, waitForCounts,
  waitForNoRow,
} from './workbench.mjs';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'workspace');
let session;
let page;

before(async () => {
  session = await launch(fixtures);
  page = session.page;
  await page.getByRole('treeitem', { name: 'services.yaml' }).waitFor({ timeout: 60_000 });
});

after(async () => {
  await session?.close();
});

test('cross-file findings show as squiggles and in the Problems panel, with their codes', async () => {
  await openFile(page, 'services.yaml');
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
  stamp('squiggles visible');
  // services.yaml: NW2004 and NW2006 (errors); workloads.yaml, loaded from disk by the scan: two warnings.
  const counts = await waitForCounts(page, (c) => c.errors === 2 && c.warnings === 2, '2 errors and 2 warnings');
  assert.equal(counts.errors, 2);
  await shoot(page, '01-squiggles.png');

  assert.match(await problemRow(page, 'NW2004'), /targets the port named `http-web`.*netward\s*NW2004\s*\[Ln 13, Col 19\]help: /);
  assert.match(await problemRow(page, 'NW2006'), /only as UDP.*netward\s*NW2006\s*\[Ln 26, Col 19\]/);
  assert.match(await problemRow(page, 'NW3007'), /netward\s*NW3007\s*\[Ln 26, Col 9\]/);
  // The related location in the other file is a row of its own under the finding.
  const related = (await problemsPanel(page)).filter({ hasText: 'workloads.yaml[Ln 14' }).first();
  await related.waitFor();
  assert.match((await related.textContent()) ?? '', /does not define `http-web`/);
  await page.mouse.move(5, 5);
  await shoot(page, '02-problems.png');
});

test('hovers: the finding with its code link, the pods a selector matches, where a Service routes', async () => {
  await openFile(page, 'services.yaml');
  // The diagnostic hover, with the code as a link to the rule's docs.
  const squiggles = page.locator('.monaco-editor .squiggly-error');
  const boxes = [];
  for (const s of await squiggles.all()) boxes.push(await s.boundingBox());
  const first = boxes.filter(Boolean).sort((a, b) => a.y - b.y)[0];
  await page.mouse.move(first.x + first.width / 2, first.y + first.height / 2);
  const hover = page.locator('.monaco-hover:visible', { hasText: 'NW2004' }).first();
  await hover.waitFor({ timeout: 20_000 });
  assert.match(await hover.innerText(), /targets the port named `?http-web`?/);
  assert.equal(await hover.locator('a', { hasText: 'NW2004' }).count(), 1, 'the code is a link');
  await shoot(page, '03-hover-finding.png');

  // The selector `app: web` (line 9) matches the web Deployment of workloads.yaml.
  await page.mouse.move(5, 5);
  await goTo(page, 9, 10);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const selector = page.locator('.monaco-hover:visible', { hasText: 'matches' }).first();
  await selector.waitFor({ timeout: 20_000 });
  assert.match(await selector.innerText(), /app=web[\s\S]*shop\/deployment\/web/);
  await shoot(page, '04-hover-selector.png');
  await page.keyboard.press('Escape');

  // The selector's key (line 8) answers too.
  await goTo(page, 8, 5);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const onKey = page.locator('.monaco-hover:visible', { hasText: 'matches' }).first();
  await onKey.waitFor({ timeout: 20_000 });
  assert.match(await onKey.innerText(), /spec\.selector[\s\S]*app=web/);
  await page.keyboard.press('Escape');

  // A port line of the Service: where it routes.
  await goTo(page, 25, 8);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const service = page.locator('.monaco-hover:visible', { hasText: 'Service' }).first();
  await service.waitFor({ timeout: 20_000 });
  assert.match(await service.innerText(), /shop\/syslog/);
  await shoot(page, '05-hover-service.png');
  await page.keyboard.press('Escape');
});

test('the code link opens the rule documentation', async () => {
  await openFile(page, 'services.yaml');
  const rows = await problemsPanel(page);
  const row = rows.filter({ has: page.locator('.marker-code', { hasText: 'NW2004' }) }).first();
  await row.hover();
  await row.locator('a', { hasText: 'NW2004' }).first().click();
  const tab = page.locator('.tabs-container .tab', { hasText: 'NW2004' }).first();
  await tab.waitFor({ timeout: 20_000 });
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await frame.locator('h1', { hasText: 'service-target-port-name-not-found' }).waitFor({ timeout: 20_000 });
  // The whole page (shipped beside the engine), not the summary that stands in without it.
  await frame.locator('h2', { hasText: 'What it does' }).waitFor({ timeout: 20_000 });
  await shoot(page, '06-rule-docs.png');
  await tab.locator('.codicon-close').click();
});

test('the engine fix, applied from the quick-fix menu, makes its finding go', async () => {
  await openFile(page, 'services.yaml');
  await goTo(page, 26, 20); // targetPort: syslog (NW2006)
  await quickFix(page, 'protocol: UDP', '07-quick-fix-menu.png');
  await waitForCounts(page, (c) => c.errors === 1, 'NW2006 to go');
  const text = await visibleText(page);
  assert.match(text, /protocol: UDP/);
  await waitForNoRow(page, 'NW2006');
  await shoot(page, '08-after-fix.png');
});

test('an edit in another file re-publishes the findings that depend on it', async () => {
  await openFile(page, 'workloads.yaml');
  await goTo(page, 20, 25); // `- name: http` of the web Deployment: rename the port to http-web
  await page.keyboard.press('End');
  await page.keyboard.type('-web');
  await waitForCounts(page, (c) => c.errors === 0, 'NW2004 in services.yaml to go');
  await waitForNoRow(page, 'NW2004');
  await shoot(page, '09-cross-file.png');
});

test('"ignore here" inserts a netward-ignore comment whose reason is selected for editing', async () => {
  await openFile(page, 'workloads.yaml');
  const before = await problemCounts(page);
  await goTo(page, 26, 10); // name: syslog of the DaemonSet (NW3007)
  await quickFix(page, 'Ignore NW3007 here');
  await page.keyboard.type('collects from every pod by design'); // replaces the selected placeholder
  await page.keyboard.press('Escape');
  await waitForCounts(page, (c) => c.warnings === before.warnings - 1, 'NW3007 to go');
  const text = await visibleText(page);
  assert.match(text, /^ {2}# netward-ignore: NW3007 collects from every pod by design$/m);
  await shoot(page, '10-ignore.png');
});

test('"who can reach this?" lists the sources allowed into the workload under the cursor', async () => {
  await openFile(page, 'workloads.yaml');
  await goTo(page, 5, 10); // the web Deployment
  await runCommand(page, 'netward: Who can reach this?');
  const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'shop/daemonset/syslog' }).first();
  await item.waitFor({ timeout: 20_000 });
  assert.match(await item.innerText(), /TCP 8080/);
  assert.match(await page.locator('.quick-input-widget').innerText(), /Who can reach shop\/deployment\/web/);
  await shoot(page, '11-who-can-reach.png');
  await page.keyboard.press('Escape');
});

test('a manifest created on disk joins the workspace, and leaves it when deleted', async () => {
  const before = await problemCounts(page);
  const file = path.join(session.folder, 'nodeport.yaml');
  const nodePort = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: web-nodeport', '  namespace: shop', 'spec:',
    '  type: NodePort', '  selector:', '    app: web', '  ports:', '    - port: 80', '      targetPort: http-web', ''];
  fs.writeFileSync(file, nodePort.join('\n'));
  await waitForCounts(page, (c) => c.warnings > before.warnings, 'a finding in the new file');
  assert.match(await problemRow(page, 'NW2026'), /shop\/web-nodeport is of type NodePort/);
  await shoot(page, '12-disk-file.png');
  fs.rmSync(file);
  await waitForCounts(page, (c) => c.warnings === before.warnings, 'the deleted file\'s findings to go');
});

test('settings: rule severities by name, and netward.enable', async () => {
  const settings = path.join(session.folder, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(settings), { recursive: true });
  fs.writeFileSync(settings, JSON.stringify({ 'netward.rules.severity': { 'namespace-without-default-deny': 'error' } }));
  await waitForCounts(page, (c) => c.errors === 1 && c.warnings === 0, 'NW3006 to become an error');
  fs.writeFileSync(settings, JSON.stringify({ 'netward.enable': false }));
  await waitForCounts(page, (c) => c.errors === 0 && c.warnings === 0, 'every finding to go');
  await page.locator('.statusbar-item', { hasText: 'netward' }).first().waitFor();
  await shoot(page, '13-disabled.png');
  fs.rmSync(settings);
  await waitForCounts(page, (c) => c.errors === 0 && c.warnings === 1, 'the findings to come back');
});

test('options file: refused options keep the old ones and say so; valid ones apply at once', async () => {
  const options = path.join(session.folder, '.netward.yaml');
  fs.writeFileSync(options, 'severity:\n  NW3006: loud\n');
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'invalid options' }).first();
  await toast.waitFor({ timeout: 30_000 });
  const status = page.locator('.statusbar-item', { hasText: 'netward: options' }).first();
  await status.waitFor();
  assert.equal((await problemCounts(page)).warnings, 1, 'NW3006 is still reported with the old options');
  await shoot(page, '14-options-refused.png');

  fs.writeFileSync(options, '# the namespace gets its default-deny policy with the platform\ndisable: [NW3006]\n');
  await waitForCounts(page, (c) => c.errors === 0 && c.warnings === 0, 'NW3006 to be disabled');
  await status.waitFor({ state: 'detached' });
  await shoot(page, '15-options-applied.png');
});

test('options files get the JSON Schema shipped with the extension', async () => {
  fs.writeFileSync(path.join(session.folder, 'netward.options.json'), '{\n  "disabel": ["NW2001"]\n}\n');
  await page.getByRole('treeitem', { name: 'netward.options.json' }).waitFor({ timeout: 30_000 });
  await openFile(page, 'netward.options.json');
  await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 30_000 });
  const problem = (await problemsPanel(page)).filter({ hasText: 'disabel' }).first();
  await problem.waitFor();
  assert.match((await problem.textContent()) ?? '', /not allowed/);
  await shoot(page, '16-options-schema.png');
});
