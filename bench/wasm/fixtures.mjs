// Realistic workloads for the WASM benchmarks: the bundled shop example (Namespace,
// Deployments, Services, NetworkPolicies, Ingress) copied into many namespaces.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shopDir = path.join(root, 'examples/shop');
const shopFiles = readdirSync(shopDir).filter((f) => f.endsWith('.yaml')).sort();

/** The shop's files with the namespace `shop` renamed to `name` (and its host names). */
export function shopIn(name) {
  return shopFiles.map((f) => ({
    file: f,
    text: readFileSync(path.join(shopDir, f), 'utf8')
      .replaceAll('namespace: shop', `namespace: ${name}`)
      .replaceAll('name: shop\n', `name: ${name}\n`)
      .replaceAll('shop.example.com', `${name}.example.com`),
  }));
}

/** One multi-document YAML file of at least `lines` lines: shop copies, `---`-separated. */
export function multiDocument(lines) {
  const parts = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    for (const { text } of shopIn(`shop-${i}`)) {
      if (count >= lines) break;
      parts.push(text.trimEnd());
      count += text.trimEnd().split('\n').length + 1;
    }
  }
  return `${parts.join('\n---\n')}\n`;
}

/** A workspace of `files` files (shop copies in several namespaces), as [uri, text] pairs. */
export function workspace(files) {
  const out = [];
  for (let i = 0; out.length < files; i++) {
    for (const { file, text } of shopIn(`team-${i}`)) {
      if (out.length < files) out.push([`file:///ws/team-${i}/${file}`, text]);
    }
  }
  return out;
}
