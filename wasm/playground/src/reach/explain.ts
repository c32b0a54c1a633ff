/** Which places of the manifests decide a connection, from the engine's explanation. */
import type { Explanation, Place, SideReport } from '../engine/types';

export interface Responsible {
  /** The place to show first. */
  primary: Place | undefined;
  /** Every place that takes part (the primary included), without duplicates. */
  all: Place[];
}

function sidePlaces(side: SideReport): Place[] {
  return [
    ...(side.allowed_by ?? []).map((r) => r.place),
    ...(side.denied_because ?? []).map((m) => m.place),
    ...(side.isolated_by ?? []).map((p) => p.place),
  ];
}

/**
 * Allowed: the rule that admits it (ingress side first, where people look). Denied: on the
 * first denying side, a rule that did not match (the one to change), else the policy that
 * isolates without rules.
 */
export function responsiblePlaces(x: Explanation): Responsible {
  let primary: Place | undefined;
  let sides: SideReport[];
  if (x.allowed) {
    primary = x.ingress.allowed_by?.[0]?.place ?? x.egress.allowed_by?.[0]?.place;
    sides = [x.ingress, x.egress];
  } else {
    sides = [x.egress, x.ingress].filter((s) => s.verdict === 'denied');
    const side = sides[0];
    primary = (side?.denied_because?.find((m) => m.rule) ?? side?.denied_because?.[0])?.place ?? side?.isolated_by?.[0]?.place;
  }
  const seen = new Set<string>();
  const all: Place[] = [];
  for (const place of [...(primary ? [primary] : []), ...sides.flatMap((s) => (x.allowed ? (s.allowed_by ?? []).map((r) => r.place) : sidePlaces(s)))]) {
    const key = `${place.file}|${place.range.start.line}:${place.range.start.column}-${place.range.end.line}:${place.range.end.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(place);
  }
  return { primary, all };
}
