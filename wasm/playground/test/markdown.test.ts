import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkTarget, parseInline, parseMarkdown } from '../src/findings/markdown';
import type { RuleInfo } from '../src/engine/types';
import { engineWith } from './engine';

test('blocks: headings, paragraphs, fences, lists, tables, rules', () => {
  const md = ['# NW1 `x`', '', 'Para one', 'continues.', '', '```yaml', 'a: 1', '  b: 2', '```', '- one', '- two', '  wrapped', '1. first', '', '| k | v |', '| --- | --- |', '| a | `b\\|c` |', '', '---'].join('\n');
  const blocks = parseMarkdown(md);
  assert.deepEqual(
    blocks.map((b) => b.kind),
    ['heading', 'paragraph', 'code', 'list', 'list', 'table', 'rule'],
  );
  assert.deepEqual(blocks[1], { kind: 'paragraph', children: [{ kind: 'text', text: 'Para one continues.' }] });
  assert.deepEqual(blocks[2], { kind: 'code', lang: 'yaml', text: 'a: 1\n  b: 2' });
  assert.deepEqual(blocks[3], { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'one' }], [{ kind: 'text', text: 'two wrapped' }]] });
  const table = blocks[5];
  assert.equal(table.kind, 'table');
  if (table.kind === 'table') assert.deepEqual(table.rows[0][1], [{ kind: 'code', text: 'b|c' }], 'an escaped pipe stays in its cell');
});

test('inline: code, strong, emphasis, links, escapes; markup stays text', () => {
  assert.deepEqual(parseInline('use `port: 80` **now** or *later*, see [docs](https://k8s.io/x)'), [
    { kind: 'text', text: 'use ' },
    { kind: 'code', text: 'port: 80' },
    { kind: 'text', text: ' ' },
    { kind: 'strong', children: [{ kind: 'text', text: 'now' }] },
    { kind: 'text', text: ' or ' },
    { kind: 'em', children: [{ kind: 'text', text: 'later' }] },
    { kind: 'text', text: ', see ' },
    { kind: 'link', href: 'https://k8s.io/x', children: [{ kind: 'text', text: 'docs' }] },
  ]);
  assert.deepEqual(parseInline('<script>alert(1)</script> \\*x\\*'), [{ kind: 'text', text: '<script>alert(1)</script> *x*' }]);
  assert.deepEqual(parseInline('snake_case_name'), [{ kind: 'text', text: 'snake_case_name' }]);
});

test('links go to web pages or rule pages, never to scripts', () => {
  assert.deepEqual(linkTarget('https://kubernetes.io/docs/'), { kind: 'web', url: 'https://kubernetes.io/docs/' });
  assert.deepEqual(linkTarget('NW3008.md'), { kind: 'rule', code: 'NW3008' });
  assert.deepEqual(linkTarget('./NW2001'), { kind: 'rule', code: 'NW2001' });
  assert.equal(linkTarget('javascript:alert(1)'), undefined);
  assert.equal(linkTarget('data:text/html,x'), undefined);
  assert.equal(linkTarget('../README.md'), undefined);
});

test("every rule's page (shipped beside the engine) parses into a heading and sections, code blocks closed", () => {
  const engine = engineWith([]);
  const rules = engine.rules() as RuleInfo[];
  const pages = JSON.parse(fs.readFileSync(path.join(path.dirname(NETWARD_WASM_PATH), 'netward_rule_docs.json'), 'utf8')) as Record<string, string>;
  assert.ok(rules.length > 90);
  for (const rule of rules) {
    const page = pages[rule.code];
    assert.ok(page, `${rule.code} has a page`);
    const blocks = parseMarkdown(page);
    assert.equal(blocks[0].kind, 'heading', rule.code);
    // The loader's and the API server's fixed checks have a short page; lint rules have sections.
    if (rule.scope !== null) assert.ok(blocks.some((b) => b.kind === 'heading' && b.level === 2), `${rule.code} has sections`);
    for (const b of blocks) {
      if (b.kind === 'paragraph') assert.ok(!JSON.stringify(b.children).includes('```'), `${rule.code}: a fence leaked into a paragraph`);
    }
    if (rule.scope !== null) assert.ok(blocks.some((b) => b.kind === 'code'), `${rule.code} has an example`);
  }
  engine.free();
});
