import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWorkspaceJson, planImport, workspaceJson, yamlStream } from '../src/workspace/transfer';

const files = [
  { name: 'svc.yaml', text: 'kind: Service\n' },
  { name: 'np.yaml', text: 'kind: NetworkPolicy\n\n\n' },
  { name: 'list.json', text: '{"kind":"List"}' },
];

test('an exported workspace imports back as the same files', () => {
  const json = workspaceJson(files);
  assert.deepEqual(parseWorkspaceJson(json), files);
  const plan = planImport([{ name: 'netward-workspace.json', text: json }], ['svc.yaml']);
  assert.deepEqual(plan, { kind: 'workspace', files });
});

test('a Kubernetes JSON manifest is imported as a file, not taken for a workspace', () => {
  const plan = planImport([{ name: 'svc.json', text: '{"apiVersion":"v1","kind":"Service"}' }], []);
  assert.deepEqual(plan, { kind: 'files', files: [{ name: 'svc.json', text: '{"apiVersion":"v1","kind":"Service"}' }], skipped: [] });
  assert.equal(parseWorkspaceJson('not json'), undefined);
  assert.throws(() => parseWorkspaceJson('{"format":"netward-playground-workspace","files":[{"name":"a/b.yaml","text":""}]}'), /slashes/);
});

test('imported files get fresh names and non-manifests are skipped', () => {
  const plan = planImport(
    [
      { name: 'svc.yaml', text: 'a' },
      { name: 'svc.yaml', text: 'b' },
      { name: 'notes.txt', text: 'c' },
      { name: 'deep/dir/np.yml', text: 'd' },
    ],
    ['svc.yaml'],
  );
  assert.equal(plan.kind, 'files');
  if (plan.kind !== 'files') return;
  assert.deepEqual(plan.files.map((f) => f.name), ['svc-2.yaml', 'svc-3.yaml', 'np.yml']);
  assert.equal(plan.skipped.length, 1);
  assert.match(plan.skipped[0], /notes\.txt/);
});

test('the YAML stream joins the YAML files with document separators and a name comment', () => {
  assert.equal(yamlStream(files), '# svc.yaml\nkind: Service\n---\n# np.yaml\nkind: NetworkPolicy\n');
});
