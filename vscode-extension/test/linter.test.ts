// The linter's bookkeeping without VS Code: a fake engine (files in a Map, findings set by the
// test) and a fake host (open documents, a disk whose reads the test can hold back).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { Diagnostic } from '../src/engine/types';
import { EDIT_DELAY_MS, Linter, OTHERS_DELAY_MS, type LintEngine, type LinterHost } from '../src/linter';
import type { DiagnosticData } from '../src/mapping/diagnostics';
import { looksLikeManifest } from '../src/manifest';

const manifest = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n`;

function finding(file: string, message: string): Diagnostic {
  const at = { line: 0, column: 0 };
  return {
    code: 'NW2001',
    rule: 'r',
    category: 'correctness',
    severity: 'warning',
    message,
    file,
    range: { start: at, end: at },
    object: null,
    path: null,
  };
}

class FakeEngine {
  readonly files = new Map<string, string>();
  /** What `lintMany` answers per file. */
  readonly findings = new Map<string, Diagnostic[]>();
  has = (uri: string) => this.files.has(uri);
  uris = () => [...this.files.keys()];
  setFile = async (uri: string, text: string) => {
    this.files.set(uri, text);
    return null;
  };
  removeFile = async (uri: string) => this.files.delete(uri);
  call = (async (method: string, uris: string[]) => {
    assert.equal(method, 'lintMany');
    return uris.map((uri) => [uri, this.findings.get(uri) ?? []]);
  }) as LintEngine['call'];
}

class Doc {
  readonly uri: { scheme: string; toString(): string };
  version = 1;
  languageId = 'yaml';
  constructor(
    uri: string,
    public text: string,
  ) {
    this.uri = { scheme: uri.slice(0, uri.indexOf(':')), toString: () => uri };
  }
  getText(): string {
    return this.text;
  }
}

class FakeHost implements LinterHost {
  readonly open = new Map<string, Doc>();
  readonly disk = new Map<string, string>();
  /** Reads the test holds back, oldest first: answered by `release`. */
  readonly held = new Map<string, ((text: string | undefined) => void)[]>();
  holdReads = false;
  readonly shown = new Map<string, DiagnosticData[]>();
  readonly published: string[] = [];
  readonly errors: string[] = [];

  openDocument(uri: string) {
    return this.open.get(uri);
  }
  openDocuments() {
    return [...this.open.values()];
  }
  readManifest(uri: string): Promise<string | undefined> {
    const text = this.disk.get(uri);
    if (!this.holdReads) return Promise.resolve(text !== undefined && looksLikeManifest(text, 'yaml') ? text : undefined);
    return new Promise((resolve) => this.held.set(uri, [...(this.held.get(uri) ?? []), resolve]));
  }
  /** Answers the newest (or the oldest) read of `uri` still held. */
  release(uri: string, text: string | undefined, which: 'newest' | 'oldest' = 'newest'): void {
    const reads = this.held.get(uri) ?? [];
    const resolve = which === 'newest' ? reads.pop() : reads.shift();
    assert.ok(resolve, `a read of ${uri} is pending`);
    resolve(text);
  }
  inWorkspace(uri: string): boolean {
    return uri.startsWith('file:///w/') && !uri.includes('/node_modules/');
  }
  publish(uri: string, diagnostics: DiagnosticData[] | undefined): void {
    this.published.push(uri);
    if (diagnostics) this.shown.set(uri, diagnostics);
    else this.shown.delete(uri);
  }
  clear(): void {
    this.shown.clear();
  }
  trace(): void {}
  error(message: string): void {
    this.errors.push(message);
  }
}

/** Lets every pending promise chain run (the fakes answer in microtasks). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

let engine: FakeEngine;
let host: FakeHost;
let linter: Linter;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout'] });
  engine = new FakeEngine();
  host = new FakeHost();
  linter = new Linter(engine, host, (code) => `docs:${code}`);
});

afterEach(() => {
  linter.dispose();
  mock.timers.reset();
  assert.deepEqual(host.errors, []);
});

const a = 'file:///w/a.yaml';
const b = 'file:///w/b.yaml';
const outside = 'file:///elsewhere/c.yaml';

test('closing a document outside the workspace takes it out of the engine and the Problems panel', async () => {
  const doc = new Doc(outside, manifest('c'));
  host.disk.set(outside, manifest('c')); // readable, but no file of the workspace
  engine.findings.set(outside, [finding(outside, 'c is wrong')]);
  host.open.set(outside, doc);
  linter.opened(doc);
  await settle();
  assert.equal(engine.files.get(outside), doc.text);
  assert.equal(host.shown.get(outside)?.[0].message, 'c is wrong');

  host.open.delete(outside);
  await linter.closed(doc);
  assert.equal(engine.has(outside), false);
  assert.equal(host.shown.has(outside), false);

  const untitled = new Doc('untitled:Untitled-1', manifest('u'));
  host.open.set(untitled.uri.toString(), untitled);
  linter.opened(untitled);
  await settle();
  assert.equal(engine.has('untitled:Untitled-1'), true);
  host.open.delete(untitled.uri.toString());
  await linter.closed(untitled);
  assert.equal(engine.has('untitled:Untitled-1'), false);
});

test('closing a workspace document goes back to its disk text; an excluded one leaves', async () => {
  host.disk.set(a, manifest('a-on-disk'));
  const doc = new Doc(a, manifest('a-edited'));
  host.open.set(a, doc);
  linter.opened(doc);
  await settle();
  assert.equal(engine.files.get(a), manifest('a-edited'));
  host.open.delete(a);
  await linter.closed(doc);
  assert.equal(engine.files.get(a), manifest('a-on-disk'));

  const vendored = 'file:///w/node_modules/x/d.yaml';
  host.disk.set(vendored, manifest('d'));
  const other = new Doc(vendored, manifest('d'));
  host.open.set(vendored, other);
  linter.opened(other);
  await settle();
  host.open.delete(vendored);
  await linter.closed(other);
  assert.equal(engine.has(vendored), false);
});

test('a scan drops the files it did not find, but not open documents', async () => {
  host.disk.set(a, manifest('a'));
  host.disk.set(b, manifest('b'));
  engine.findings.set(b, [finding(b, 'b is wrong')]);
  assert.equal(await linter.load([a, b]), 2);
  assert.equal(host.shown.get(b)?.length, 1);
  const doc = new Doc(outside, manifest('c'));
  host.open.set(outside, doc);
  linter.opened(doc);
  await settle();

  // b's folder was removed from the workspace (or b was deleted while netward was disabled).
  host.disk.delete(b);
  assert.equal(await linter.load([a]), 1);
  assert.deepEqual(engine.uris().sort(), [outside, a].sort());
  assert.equal(host.shown.has(b), false, "b's diagnostics are gone");

  // A file found that is no manifest any more leaves too.
  host.disk.set(a, 'just: yaml\n');
  assert.equal(await linter.load([a]), 0);
  assert.deepEqual(engine.uris(), [outside]);
});

test('an older scan that ends last drops nothing', async () => {
  host.disk.set(a, manifest('a'));
  host.disk.set(b, manifest('b'));
  await linter.load([b]);
  host.holdReads = true;
  const older = linter.load([a]); // started before b's folder was added back, say
  const newer = linter.load([a, b]);
  host.release(a, manifest('a'), 'newest');
  await settle();
  host.release(b, manifest('b'));
  assert.equal(await newer, 2);
  host.release(a, manifest('a'), 'oldest');
  await older;
  assert.deepEqual(engine.uris().sort(), [a, b]);
});

test('a document opened while its disk read is in flight keeps its editor text', async () => {
  host.holdReads = true;
  const change = linter.diskChanged(a);
  const doc = new Doc(a, manifest('editor'));
  host.open.set(a, doc);
  linter.opened(doc);
  await settle();
  assert.equal(engine.files.get(a), manifest('editor'));
  host.release(a, manifest('disk'));
  await change;
  assert.equal(engine.files.get(a), manifest('editor'), 'the disk text came back after the editor text');
  assert.equal(await linter.sync(doc), true);
  assert.equal(engine.files.get(a), manifest('editor'));
});

test('a document open before its open event, while the scan reads it, still wins', async () => {
  host.holdReads = true;
  const load = linter.load([a]);
  await settle();
  host.open.set(a, new Doc(a, manifest('editor'))); // open, its event not handled yet
  host.release(a, manifest('disk'));
  assert.equal(await load, 1);
  assert.equal(engine.files.get(a), manifest('editor'));
});

test('of two disk reads of one file, the older answer is dropped; a deletion drops a read in flight', async () => {
  host.holdReads = true;
  const older = linter.diskChanged(a);
  const newer = linter.diskChanged(a);
  host.release(a, manifest('new'), 'newest');
  await newer;
  assert.equal(engine.files.get(a), manifest('new'));
  host.release(a, manifest('old'), 'oldest');
  await older;
  assert.equal(engine.files.get(a), manifest('new'), 'the older read answered last and changed nothing');

  const read = linter.diskChanged(b);
  engine.files.set(b, manifest('b')); // held since before
  await linter.diskDeleted(b);
  host.release(b, manifest('b-before-deletion'));
  await read;
  assert.equal(engine.has(b), false);
});

test('only files whose diagnostics changed are published again', async () => {
  host.disk.set(a, manifest('a'));
  host.disk.set(b, manifest('b'));
  engine.findings.set(a, [finding(a, 'a is wrong')]);
  engine.findings.set(b, [finding(b, 'b is wrong')]);
  await linter.load([a, b]);
  assert.deepEqual(host.published.sort(), [a, b]);

  // Typing in a: a is published (its text changed), b is linted again but unchanged.
  const doc = new Doc(a, manifest('a2'));
  host.open.set(a, doc);
  host.published.length = 0;
  doc.version = 2;
  linter.changed(doc);
  mock.timers.tick(EDIT_DELAY_MS);
  await settle();
  assert.deepEqual(host.published, [a]);
  mock.timers.tick(OTHERS_DELAY_MS);
  await settle();
  assert.deepEqual(host.published, [a], 'b did not change');

  // An edit in a that changes b's cross-file findings: b is published.
  engine.findings.set(b, [finding(b, 'b is wrong'), finding(b, 'b misses a')]);
  doc.text = manifest('a3');
  doc.version = 3;
  linter.changed(doc);
  mock.timers.tick(EDIT_DELAY_MS);
  await settle();
  mock.timers.tick(OTHERS_DELAY_MS);
  await settle();
  assert.deepEqual(host.published, [a, a, b]);
  assert.equal(host.shown.get(b)?.length, 2);

  // Linting everything again (options reloaded to the same effect) publishes nothing.
  await linter.lintAll();
  assert.deepEqual(host.published, [a, a, b]);
});

test('disabling clears every diagnostic; enabling and scanning publishes them again', async () => {
  host.disk.set(a, manifest('a'));
  engine.findings.set(a, [finding(a, 'a is wrong')]);
  await linter.load([a]);
  linter.setEnabled(false);
  assert.equal(host.shown.size, 0);
  linter.setEnabled(true);
  await linter.load([a]);
  assert.equal(host.shown.get(a)?.length, 1);
});
