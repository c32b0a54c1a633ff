import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ignoreEdit } from '../src/mapping/ignore';

/** Applies an edit's plain text to `text`. */
function apply(text: string, edit: ReturnType<typeof ignoreEdit>): string {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < edit.position.line; i++) offset += lines[i].length + 1;
  offset += edit.position.character;
  return text.slice(0, offset) + edit.text + text.slice(offset);
}

const service = [
  'apiVersion: v1',
  'kind: Service',
  'spec:',
  '  ports:',
  '    - port: 514',
  '      targetPort: syslog',
  '',
].join('\n');

test('a comment line above the finding, at its indentation, with a reason placeholder', () => {
  const edit = ignoreEdit(service, 5, 'NW2006');
  assert.equal(edit.kind, 'insert');
  assert.deepEqual(edit.position, { line: 5, character: 0 });
  assert.equal(edit.text, '      # netward-ignore: NW2006 reason\n');
  assert.equal(edit.snippet, '      # netward-ignore: NW2006 ${1:reason}\n');
  assert.equal(apply(service, edit).split('\n')[5], '      # netward-ignore: NW2006 reason');
  assert.equal(apply(service, edit).split('\n')[6], '      targetPort: syslog');
});

test('a list item keeps the dash column', () => {
  const edit = ignoreEdit(service, 4, 'NW2026');
  assert.equal(edit.text, '    # netward-ignore: NW2026 reason\n');
});

test('the first line of the file, and the last line without a line break', () => {
  const first = ignoreEdit('apiVersion: v9\nkind: Service\n', 0, 'NW0013');
  assert.deepEqual(first.position, { line: 0, character: 0 });
  assert.equal(first.text, '# netward-ignore: NW0013 reason\n');
  const last = ignoreEdit('a: 1\n  b: 2', 1, 'NW1');
  assert.deepEqual(last.position, { line: 1, character: 0 });
  assert.equal(last.text, '  # netward-ignore: NW1 reason\n');
  assert.equal(ignoreEdit('a: 1\n', 40, 'NW1').position.line, 1, 'a line past the end is clamped');
});

test('CRLF files get CRLF lines, and tabs are kept', () => {
  const crlf = service.replace(/\n/g, '\r\n');
  const edit = ignoreEdit(crlf, 5, 'NW2006');
  assert.equal(edit.text, '      # netward-ignore: NW2006 reason\r\n');
  assert.equal(edit.snippet, '      # netward-ignore: NW2006 ${1:reason}\r\n');
  assert.equal(ignoreEdit('a:\n\tb: 1\n', 1, 'NW1').text, '\t# netward-ignore: NW1 reason\n');
});

test('a comment just above gets the code added instead (two comment lines would not both apply)', () => {
  const text = service.replace('      targetPort', '      # netward-ignore: NW2004 the pods are renamed next week\n      targetPort');
  const edit = ignoreEdit(text, 6, 'NW2006');
  assert.equal(edit.kind, 'extend');
  assert.deepEqual(edit.position, { line: 5, character: '      # netward-ignore: NW2004'.length });
  assert.equal(edit.text, ',NW2006');
  assert.match(apply(text, edit), /# netward-ignore: NW2004,NW2006 the pods are renamed next week\n/);
  const bare = '  #   netward-ignore:\n  x: 1\n';
  const empty = ignoreEdit(bare, 1, 'NW7');
  assert.equal(apply(bare, empty), '  #   netward-ignore: NW7 reason\n  x: 1\n');
  assert.equal(empty.snippet, ' NW7 ${1:reason}');
});

test('a trailing comment on the line above is not a comment line', () => {
  const text = 'spec:\n  type: NodePort # netward-ignore: NW2026 bare metal\n  ports: []\n';
  assert.equal(ignoreEdit(text, 2, 'NW1').kind, 'insert');
});

test('a finding inside a block scalar is suppressed above the scalar', () => {
  const text = [
    'metadata:',
    '  annotations:',
    '    nginx.ingress.kubernetes.io/configuration-snippet: |',
    '      location / {',
    '        # deny',
    '        deny all;',
    '      }',
    '    other: x',
  ].join('\n');
  const edit = ignoreEdit(text, 5, 'NW4013');
  assert.deepEqual(edit.position, { line: 2, character: 0 });
  assert.equal(edit.text, '    # netward-ignore: NW4013 reason\n');
  assert.equal(ignoreEdit(text, 7, 'NW1').position.line, 7, 'after the scalar: the line itself');
  const folded = 'args:\n  - >-\n    --flag\n';
  assert.equal(ignoreEdit(folded, 2, 'NW1').position.line, 1);
});

test('snippet syntax in the text is escaped', () => {
  assert.equal(ignoreEdit('a: 1\n', 0, 'N$W}').snippet, '# netward-ignore: N\\$W\\} ${1:reason}\n');
});
