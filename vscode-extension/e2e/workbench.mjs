// What a user does in the VS Code workbench, as Playwright steps: open a file, move the cursor,
// run a command, read the Problems panel and the status bar, pick a quick fix.
import path from 'node:path';
import { paths, stamp } from './harness.mjs';

/** Opens `name` from the Explorer and waits for its editor. */
export async function openFile(page, name) {
  await page.getByRole('treeitem', { name }).first().click();
  await page.locator('.tabs-container .tab', { hasText: name }).waitFor();
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** Puts the cursor at 1-based `line`:`column` of the active editor (Go to Line). */
export async function goTo(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Runs a command by its title from the Command Palette. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The status bar's problem counts, e.g. `{ errors: 2, warnings: 2 }`. */
export async function problemCounts(page) {
  const label = (await page.locator('[id="status.problems"]').getAttribute('aria-label')) ?? '';
  const count = (word) => Number(new RegExp(`${word}: (\\d+)`).exec(label)?.[1] ?? 0);
  return { errors: count('Errors'), warnings: count('Warnings'), label };
}

/** Waits until the status bar's counts satisfy `ok`; answers them. */
export async function waitForCounts(page, ok, what, timeout = 30_000) {
  const end = Date.now() + timeout;
  let counts = await problemCounts(page);
  while (!ok(counts)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; status bar says "${counts.label}"`);
    await page.waitForTimeout(200);
    counts = await problemCounts(page);
  }
  return counts;
}

/** Opens the Problems panel (once) and answers the locator of its rows. */
export async function problemsPanel(page) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor();
  return panel.locator('.monaco-list-row');
}

/**
 * Opens the quick-fix menu at the cursor and picks the action whose title contains `text`
 * with the keyboard (the menu's pointer block swallows synthetic clicks).
 */
export async function quickFix(page, text, screenshot) {
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget');
  await menu.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout: 15_000 });
  if (screenshot) await shoot(page, screenshot);
  for (let i = 0; i < 20; i++) {
    const focused = (await menu.locator('.monaco-list-row.focused').first().textContent()) ?? '';
    if (focused.includes(text)) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
}

/** The text of the Problems panel row of the finding `code` (waits for it): message, source, code, position, more lines. */
export async function problemRow(page, code) {
  const rows = await problemsPanel(page);
  const row = rows.filter({ has: page.locator('.marker-code', { hasText: code }) }).first();
  await row.waitFor({ timeout: 30_000 });
  for (let i = 0; i < 50; i++) {
    const text = (await row.textContent()) ?? '';
    if (text.trim()) return text;
    await page.waitForTimeout(100);
  }
  return '';
}

/** Waits until the Problems panel has no row of the finding `code` (it may lag behind the status bar). */
export async function waitForNoRow(page, code) {
  const rows = await problemsPanel(page);
  await rows.filter({ has: page.locator('.marker-code', { hasText: code }) }).first().waitFor({ state: 'detached', timeout: 15_000 });
}

/** The active editor's text, as Monaco renders it (visible lines only). */
export async function visibleText(page) {
  const text = await page.locator('.monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** A screenshot in the artefacts folder. */
export async function shoot(page, name) {
  await page.screenshot({ path: path.join(paths.out, name) });
  stamp(`screenshot ${name}`);
}
