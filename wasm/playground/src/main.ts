/** Entry point: the first workspace (link, saved, or the first example), then the engine. */
import './styles.css';
import { applySavedTheme, Playground } from './app';
import { startEngineWorker } from './engine/client';
import { exampleById, FIRST_EXAMPLE } from './examples/catalog';
import { registerServiceWorker } from './offline/register';
import { toast } from './ui/toast';
import { decodeWorkspace, hasWorkspace } from './workspace/share';
import { loadSaved } from './workspace/storage';

applySavedTheme();
const engine = startEngineWorker(NETWARD_WORKER_URL);
const ready = engine.init('');
const app = new Playground(engine);

async function firstWorkspace(): Promise<void> {
  if (hasWorkspace(location.hash)) {
    try {
      app.load(await decodeWorkspace(location.hash));
      // The link's files are now the workspace (saved locally); later edits must not be undone by a reload.
      history.replaceState(null, '', location.pathname + location.search);
      return;
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error', undefined, 8000);
    }
  }
  const saved = loadSaved();
  if (saved && saved.files.length > 0) {
    app.load(saved);
    return;
  }
  const example = exampleById(FIRST_EXAMPLE)!;
  app.load({ files: example.files, active: example.open }, example.view);
}

/** A share link pasted into the address bar of an open playground changes only the fragment. */
window.addEventListener('hashchange', () => {
  if (!hasWorkspace(location.hash)) return;
  decodeWorkspace(location.hash).then(
    (workspace) => {
      app.open(workspace, 'Opened the shared workspace');
      history.replaceState(null, '', location.pathname + location.search);
    },
    (error) => toast(error instanceof Error ? error.message : String(error), 'error', undefined, 8000),
  );
});

await firstWorkspace();
try {
  await ready;
  await app.start();
} catch (error) {
  toast(`The engine did not start: ${error instanceof Error ? error.message : String(error)}`, 'error', undefined, 60_000);
}
registerServiceWorker();
