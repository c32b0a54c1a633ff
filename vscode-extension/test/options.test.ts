import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeOptions, optionsText, renameOptions, ruleSettingsOf, type RuleSettings } from '../src/options';

const none: RuleSettings = { select: [], disable: [], severity: {} };
const parsed = (r: ReturnType<typeof mergeOptions>): Record<string, unknown> => {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return JSON.parse(r.ok ? r.text : '{}');
};
/** A `check` that accepts everything, recording what it was asked. */
const accepting = (asked: string[] = []) => async (text: string) => void asked.push(text);

test('without settings the file goes to the engine unchanged (or the defaults), unchecked', async () => {
  const asked: string[] = [];
  assert.deepEqual(await optionsText(undefined, none, accepting(asked)), { ok: true, text: '', blame: 'options', located: true });
  const file = 'profile: admission  # only single-object rules\nbundle_complete: yes\nseverity:\n  NW3001: off\n';
  assert.deepEqual(await optionsText({ name: '.netward.yaml', text: file }, none, accepting(asked)), {
    ok: true,
    text: file,
    blame: '.netward.yaml',
    located: true,
  });
  assert.deepEqual(asked, [], 'the engine reads the file itself');
});

test('with settings the file is checked alone first, and its mistakes are blamed on it', async () => {
  const asked: string[] = [];
  const file = { name: 'conf/.netward.yaml', text: 'select: [security]\n' };
  const settings = { ...none, disable: ['NW2001'] };
  const ok = await optionsText(file, settings, accepting(asked));
  assert.deepEqual(asked, [file.text]);
  assert.deepEqual(ok, {
    ok: true,
    text: '{"select":["security"],"disable":["NW2001"]}',
    blame: 'settings netward.rules.* (over conf/.netward.yaml)',
    located: false,
  });
  const refusing = async () => {
    throw new Error('options:1:10: YAML syntax error: expected , or ]');
  };
  assert.deepEqual(await optionsText(file, settings, refusing), {
    ok: false,
    error: 'conf/.netward.yaml:1:10: YAML syntax error: expected , or ]',
  });
  assert.deepEqual(await optionsText(undefined, settings, refusing), {
    ok: true,
    text: '{"disable":["NW2001"]}',
    blame: 'settings netward.rules.*',
    located: false,
  });
});

test("engine messages name the options' source instead of `options`", () => {
  assert.equal(renameOptions('options:3:5: duplicate key `disable`', '.netward.yaml'), '.netward.yaml:3:5: duplicate key `disable`');
  assert.equal(
    renameOptions('options: invalid options: unknown severity `loud`', 'settings netward.rules.*'),
    'settings netward.rules.*: invalid options: unknown severity `loud`',
  );
  assert.equal(
    renameOptions('options:1:31: invalid options: unknown severity `loud`', 'settings netward.rules.*', false),
    'settings netward.rules.*: invalid options: unknown severity `loud`',
  );
  assert.equal(renameOptions('engine stopped', 'x.json'), 'x.json: engine stopped');
});

test('settings over the file: select replaces, disable adds, severity overrides per key', () => {
  const file = [
    'profile: workspace',
    'select: [security]',
    'disable: [NW2001, style]',
    'severity:',
    '  rule-allows-any-peer: error',
    '  NW3002: info',
    'rule_settings:',
    '  ingress_classes: [internal]',
  ].join('\n');
  const merged = parsed(
    mergeOptions(file, { select: ['NW3001', 'NW3002'], disable: ['style', 'NW4017'], severity: { NW3002: 'off' } }),
  );
  assert.deepEqual(merged, {
    profile: 'workspace',
    select: ['NW3001', 'NW3002'],
    disable: ['NW2001', 'style', 'NW4017'],
    severity: { 'rule-allows-any-peer': 'error', NW3002: 'off' },
    rule_settings: { ingress_classes: ['internal'] },
  });
});

test('the file is read as YAML 1.1, as the engine and kubectl read it', () => {
  const file = 'bundle_complete: yes\nreach:\n  a: on\n  b: No\n  c: 0755\n  d: 1_000\n  e: "yes"\nseverity:\n  NW3001: off\n';
  assert.deepEqual(parsed(mergeOptions(file, { ...none, severity: { NW3002: 'info' } })), {
    bundle_complete: true,
    reach: { a: true, b: false, c: 493, d: 1000, e: 'yes' },
    severity: { NW3001: false, NW3002: 'info' },
  });
});

test('an empty select setting keeps the file select; JSON files merge too', () => {
  const merged = parsed(mergeOptions('{"select": ["api"], "bundle_complete": true}', { ...none, disable: ['NW2026'] }));
  assert.deepEqual(merged, { select: ['api'], bundle_complete: true, disable: ['NW2026'] });
});

test('settings alone, and an empty file', () => {
  assert.deepEqual(parsed(mergeOptions(undefined, { ...none, severity: { security: 'error' } })), {
    severity: { security: 'error' },
  });
  assert.deepEqual(parsed(mergeOptions('# nothing yet\n', { ...none, select: ['NW2004'] })), { select: ['NW2004'] });
});

test('a file that is not a YAML mapping is an error when settings must be merged into it', () => {
  const settings = { ...none, disable: ['NW2001'] };
  const broken = mergeOptions('disable: [NW2001\n', settings);
  assert.equal(broken.ok, false);
  assert.match(broken.ok ? '' : broken.error, /not valid YAML/);
  const list = mergeOptions('- a\n- b\n', settings);
  assert.deepEqual(list, { ok: false, error: 'the options file must hold a mapping (key: value)' });
  const dup = mergeOptions('disable: [a]\ndisable: [b]\n', settings);
  assert.equal(dup.ok, false, 'duplicate keys are refused');
});

test('raw setting values are filtered by type', () => {
  assert.deepEqual(ruleSettingsOf({ select: ['NW1', 3, ' ', 'x'], disable: 'NW2', severity: { a: 'off', b: 4 } }), {
    select: ['NW1', 'x'],
    disable: [],
    severity: { a: 'off' },
  });
  assert.deepEqual(ruleSettingsOf({}), none);
});
