// esbuild plugin: the virtual module `netward-examples` holds the text of every file under
// examples/<id>/ as `{ [id]: [{ name, text }] }`, so the examples stay real YAML files.
import fs from 'node:fs';
import path from 'node:path';

/** Reads examples/<id>/* (sorted, so the bundle is deterministic). */
export function readExamples(dir) {
  const out = {};
  for (const id of fs.readdirSync(dir).sort()) {
    const folder = path.join(dir, id);
    if (!fs.statSync(folder).isDirectory()) continue;
    out[id] = fs
      .readdirSync(folder)
      .filter((name) => /\.(ya?ml|json)$/.test(name))
      .sort()
      .map((name) => ({ name, text: fs.readFileSync(path.join(folder, name), 'utf8') }));
  }
  return out;
}

export function examplesPlugin(dir) {
  return {
    name: 'netward-examples',
    setup(build) {
      build.onResolve({ filter: /^netward-examples$/ }, () => ({ path: dir, namespace: 'netward-examples' }));
      build.onLoad({ filter: /.*/, namespace: 'netward-examples' }, () => ({
        contents: `export default ${JSON.stringify(readExamples(dir))};`,
        loader: 'js',
        watchDirs: [dir],
      }));
    },
  };
}
