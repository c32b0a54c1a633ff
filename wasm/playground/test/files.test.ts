import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshName, isManifestName, languageOf, nameOf, nameProblem, uriOf } from '../src/workspace/files';

test('file names round-trip through engine URIs, spaces and non-ASCII included', () => {
  for (const name of ['svc.yaml', 'my policies.yaml', 'ünïcode-策略.yml', '100%.json', 'a#b?.yaml']) {
    assert.equal(nameOf(uriOf(name)), name);
    assert.ok(uriOf(name).startsWith('file:///workspace/'));
  }
  assert.equal(nameOf('file:///elsewhere/x.yaml'), undefined);
  assert.equal(nameOf('file:///workspace/%E0%A4%A'), undefined);
});

test('nameProblem refuses empty, padded, slashed, duplicate and overlong names', () => {
  assert.equal(nameProblem('ok.yaml', ['other.yaml']), undefined);
  assert.match(nameProblem('', [])!, /needs a name/);
  assert.match(nameProblem(' x.yaml', [])!, /spaces/);
  assert.match(nameProblem('dir/x.yaml', [])!, /slashes/);
  assert.match(nameProblem('dir\\x.yaml', [])!, /slashes/);
  assert.match(nameProblem('x.yaml', ['x.yaml'])!, /already exists/);
  assert.match(nameProblem('a'.repeat(121), [])!, /at most/);
  assert.match(nameProblem('..', [])!, /not a file name/);
});

test('freshName numbers a taken name before its extension', () => {
  assert.equal(freshName('svc.yaml', []), 'svc.yaml');
  assert.equal(freshName('svc.yaml', ['svc.yaml']), 'svc-2.yaml');
  assert.equal(freshName('svc.yaml', ['svc.yaml', 'svc-2.yaml']), 'svc-3.yaml');
  assert.equal(freshName('Makefile', ['Makefile']), 'Makefile-2');
});

test('manifest names and languages', () => {
  assert.ok(isManifestName('a.yaml') && isManifestName('a.YML') && isManifestName('a.json'));
  assert.ok(!isManifestName('a.txt') && !isManifestName('yaml'));
  assert.equal(languageOf('x.json'), 'json');
  assert.equal(languageOf('x.yaml'), 'yaml');
});
