/** The workspace kept in localStorage between visits (never sent anywhere). */
import type { SharedWorkspace } from './share';
import { parseShared } from './share';

const KEY = 'netward.playground.workspace';

export function loadSaved(): SharedWorkspace | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? parseShared(JSON.parse(raw)) : undefined;
  } catch {
    return undefined;
  }
}

export function save(workspace: SharedWorkspace): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ v: 1, files: workspace.files.map((f) => [f.name, f.text]), active: workspace.active }));
  } catch {
    // storage full or disabled: the share link still works
  }
}
