/** Hover texts (markdown) for what is under the cursor: a label selector, a Service. */
import type { SelectorMatch, ServiceRoutes } from '../engine/types';

/** How many pods or workloads a hover lists before "and N more". */
const LISTED = 10;

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

function list(names: string[]): string[] {
  const shown = names.slice(0, LISTED).map((n) => `- ${code(n)}`);
  if (names.length > LISTED) shown.push(`- … and ${names.length - LISTED} more`);
  return shown;
}

/** "`app=web` matches 3 pods: …", then the workloads (or pods) it selects. */
export function selectorHover(match: SelectorMatch): string {
  const lines = [`**netward** · ${code(match.field)} ${code(match.selector)}`, '', escapeMarkdown(match.summary)];
  const names = match.workloads.length > 0 ? match.workloads : match.pods;
  if (names.length > 0) lines.push('', ...list(names));
  return lines.join('\n');
}

/** "ns/web routes to deployment/web port 8080", then one line per Service port. */
export function serviceHover(routes: ServiceRoutes): string {
  const lines = [`**netward** · Service ${code(routes.service)} ${escapeMarkdown(routes.summary)}`];
  for (const route of routes.routes) {
    const parts = [...route.backends, ...route.unreachable].map(escapeMarkdown);
    const backends = parts.length > 0 ? parts.join('; ') : 'no backend';
    lines.push('', `- port ${code(route.port)} → targetPort ${code(route.target_port)}: ${backends}`);
  }
  return lines.join('\n');
}

/** Lines where a Service hover is worth showing: its kind, its names, its port fields. */
const SERVICE_HOVER_LINE =
  /^\s*(?:-\s+)?(?:"|')?(?:kind|name|port|targetPort|nodePort|protocol|appProtocol|ports)(?:"|')?\s*:/;

export function isServiceHoverLine(line: string): boolean {
  return SERVICE_HOVER_LINE.test(line) || /[{,]\s*"(?:kind|name|port|targetPort|nodePort|protocol)"\s*:/.test(line);
}

/** Text shown as markdown but meant literally (`*`, `_`, brackets in names and messages). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}
