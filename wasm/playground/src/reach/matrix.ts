/** The reachability matrix: rows are sources, columns destinations, a cell the allowed ports. */
import type { Flow } from '../engine/types';

export interface Matrix {
  pods: string[];
  /** `cells[i][j]`: what `pods[i]` may open to `pods[j]` (the flow's ports), null when nothing. */
  cells: (string | null)[][];
  /** Allowed destinations per source, allowed sources per destination (self excluded). */
  outgoing: number[];
  incoming: number[];
}

/** The matrix over `pods` (in that order) from the allowed flows; flows naming other endpoints are ignored. */
export function buildMatrix(pods: readonly string[], flows: readonly Flow[]): Matrix {
  const index = new Map(pods.map((p, i) => [p, i]));
  const cells = pods.map(() => pods.map((): string | null => null));
  const outgoing = pods.map(() => 0);
  const incoming = pods.map(() => 0);
  for (const f of flows) {
    const i = index.get(f.from);
    const j = index.get(f.to);
    if (i === undefined || j === undefined) continue;
    if (cells[i][j] === null && i !== j) {
      outgoing[i]++;
      incoming[j]++;
    }
    cells[i][j] = f.ports;
  }
  return { pods: [...pods], cells, outgoing, incoming };
}
