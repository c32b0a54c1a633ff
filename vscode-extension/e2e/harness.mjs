// A real VS Code for end-to-end tests: code-server (VS Code 1.100 from npm) on loopback with the
// packaged extension installed in a scratch profile, driven through Debian's chromium by
// playwright-core. Everything it starts runs in one process group and is stopped with it.
//
// Environment:
//   CODE_SERVER  the code-server launcher (default <repo>/.tools/code-server/node_modules/.bin/code-server)
//   VSIX         the packaged extension (default vscode-extension/netward.vsix)
//   CHROMIUM     the browser (default /usr/bin/chromium)
//   E2E_OUT      screenshots and logs (default <repo>/e2e-artifacts/vscode)
//   E2E_KEEP=1   keep the scratch directory (profile, extensions, workspace copy)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

export const paths = {
  codeServer: path.resolve(process.env.CODE_SERVER ?? path.join(repo, '.tools/code-server/node_modules/.bin/code-server')),
  vsix: path.resolve(process.env.VSIX ?? path.join(repo, 'vscode-extension/netward.vsix')),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  out: path.resolve(process.env.E2E_OUT ?? path.join(repo, 'e2e-artifacts/vscode')),
};

/** User settings of the test profile: no welcome page, tips, telemetry, update checks or trust prompt. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 150,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'files.autoSave': 'off',
};

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const t0 = Date.now();
/** Logs a step with the time since the harness was loaded. */
export const stamp = (what) => console.log(`# ${what} at +${((Date.now() - t0) / 1000).toFixed(1)}s`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${ms} ms`);
}

/** SIGTERM to the whole group (code-server, extension host, watcher), SIGKILL after 10 s. */
async function stopGroup(pgid) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(-pgid, 'SIGKILL');
}

/**
 * Starts code-server on a copy of `workspace` with the extension installed and opens it in
 * chromium; answers the page, the workspace copy's path and `close()`.
 */
export async function launch(workspace) {
  assert.ok(fs.existsSync(paths.vsix), `no extension package at ${paths.vsix}: run vscode-extension/scripts/build.sh`);
  assert.ok(fs.existsSync(paths.codeServer), `no code-server at ${paths.codeServer}: run scripts/install-tools.sh`);
  assert.ok(fs.existsSync(paths.chromium), `no browser at ${paths.chromium}: run scripts/install-tools.sh`);
  fs.rmSync(paths.out, { recursive: true, force: true }); // the artefacts of this run only
  fs.mkdirSync(paths.out, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'netward-e2e-'));
  const userData = path.join(scratch, 'user-data');
  const extensions = path.join(scratch, 'extensions');
  const folder = path.join(scratch, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  fs.cpSync(workspace, folder, { recursive: true });

  // --config: without it code-server writes ~/.config/code-server/config.yaml.
  const common = ['--config', path.join(scratch, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensions];
  execFileSync(paths.codeServer, [...common, '--install-extension', paths.vsix], { stdio: 'pipe' });
  stamp('extension installed');

  const port = await freePort();
  const log = fs.openSync(path.join(paths.out, 'code-server.log'), 'w');
  const server = spawn(
    paths.codeServer,
    [
      ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      '--ignore-last-opened', folder,
    ],
    // TMPDIR: its IPC sockets land in the scratch dir; detached: its own process group.
    { stdio: ['ignore', log, log], env: { ...process.env, TMPDIR: scratch }, detached: true },
  );
  let browser;
  const close = async (page) => {
    if (page) await page.screenshot({ path: path.join(paths.out, 'final.png') }).catch(() => {});
    await browser?.close().catch(() => {});
    await stopGroup(server.pid);
    const logs = path.join(userData, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(paths.out, 'logs'), { recursive: true });
    if (!process.env.E2E_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
    stamp('torn down');
  };
  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, 60_000);
    stamp('code-server up');
    browser = await chromium.launch({ executablePath: paths.chromium, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    page.on('pageerror', (e) => console.log('# pageerror:', String(e).slice(0, 200)));
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    stamp('workbench loaded');
    return { page, folder, close: () => close(page) };
  } catch (error) {
    await close();
    throw error;
  }
}
