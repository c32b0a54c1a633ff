import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeOptions, ruleSettingsOf, type RuleSettings } from '../src/options';

const none: RuleSettings = { select: [], disable: [], severity: {} };
const parsed = (r: ReturnType<typeof mergeOptions>): Record<string, unknown> => {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return JSON.parse(r.ok ? r.text : '{}');
};

test('without settings the file goes to the engine unchanged (or the defaults)', () => {
  assert.deepEqual(mergeOptions(undefined, none), { ok: true, text: '' });
  const file = 'profile: admission  # only single-object rules\nseverity:\n  NW3001: off\n';
  assert.deepEqual(mergeOptions(file, none), { ok: true, text: file });
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

test('values of the wrong type are left for the engine to report', () => {
  const merged = parsed(mergeOptions('disable: NW2001\nseverity: [x]\n', { ...none, disable: ['a'], severity: { b: 'off' } }));
  assert.deepEqual(merged, { disable: 'NW2001', severity: ['x'] });
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
