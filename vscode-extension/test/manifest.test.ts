import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXCLUDED_GLOB, isExcludedPath, languageOfId, languageOfPath, looksLikeManifest } from '../src/manifest';

test('a YAML document with apiVersion and kind at the top level is a manifest', () => {
  assert.equal(looksLikeManifest('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n', 'yaml'), true);
  assert.equal(looksLikeManifest('kind: Service\r\napiVersion: v1\r\n', 'yaml'), true, 'any order, CRLF');
  assert.equal(looksLikeManifest('"apiVersion": v1\n"kind": Pod\n', 'yaml'), true, 'quoted keys');
});

test('the two keys must be in the same document, at column 0', () => {
  assert.equal(looksLikeManifest('apiVersion: v1\n---\nkind: Service\n', 'yaml'), false);
  assert.equal(looksLikeManifest('spec:\n  apiVersion: v1\n  kind: Service\n', 'yaml'), false);
  assert.equal(looksLikeManifest('name: app\nversion: 1\n', 'yaml'), false);
  assert.equal(
    looksLikeManifest('# config\nfoo: 1\n---\napiVersion: apps/v1\nkind: Deployment\n', 'yaml'),
    true,
    'any document of the stream',
  );
  assert.equal(looksLikeManifest('apiVersion: v1\n...\nkind: Pod\n', 'yaml'), false, '... ends a document');
});

test('JSON: both keys, in an object', () => {
  assert.equal(looksLikeManifest('{"apiVersion": "v1", "kind": "Service"}', 'json'), true);
  assert.equal(looksLikeManifest('{\n  "name": "pkg",\n  "version": "1.0.0"\n}', 'json'), false);
  assert.equal(looksLikeManifest('{"kind": "List", "apiVersion": "v1", "items": []}', 'yaml'), true, 'JSON in a .yaml');
});

test('empty files and Helm templates are not manifests', () => {
  assert.equal(looksLikeManifest('', 'yaml'), false);
  assert.equal(looksLikeManifest('  \n', 'json'), false);
  const helm = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "app.fullname" . }}\n';
  assert.equal(looksLikeManifest(helm, 'yaml'), false);
  assert.equal(looksLikeManifest('{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\n{{- end }}\n', 'yaml'), false);
  const mustache = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  greeting: "{{name}}"\n';
  assert.equal(looksLikeManifest(mustache, 'yaml'), true, 'a braces pair that is no Go template action');
});

test('languages by id and by file name', () => {
  assert.equal(languageOfId('yaml'), 'yaml');
  assert.equal(languageOfId('jsonc'), 'json');
  assert.equal(languageOfId('json'), 'json');
  assert.equal(languageOfId('helm'), undefined);
  assert.equal(languageOfId('plaintext'), undefined);
  assert.equal(languageOfPath('/w/a/Service.YML'), 'yaml');
  assert.equal(languageOfPath('/w/a/list.json'), 'json');
  assert.equal(languageOfPath('/w/a/values.toml'), undefined);
});

test('files in node_modules and .git are left alone, by path and by glob', () => {
  assert.equal(isExcludedPath('/w/node_modules/chart/svc.yaml'), true);
  assert.equal(isExcludedPath('/w/.git/x.json'), true);
  assert.equal(isExcludedPath('/w/deploy/svc.yaml'), false);
  assert.equal(isExcludedPath('/w/node_modules.yaml'), false, 'only folders');
  assert.equal(EXCLUDED_GLOB, '**/{node_modules,.git}/**');
});
