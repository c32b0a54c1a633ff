/** The examples gallery: the classic Service and NetworkPolicy cases, with what each one must show. */
import files from 'netward-examples';
import type { AdmissionAnswer, AdmissionMode, Protocol } from '../engine/types';
import type { FileSnapshot } from '../workspace/files';

export type Panel = 'reach' | 'webhook' | 'docs';

/** What an example demonstrates; the unit tests check each against the engine. */
export interface Expectations {
  /** Rule codes that must be reported in a file. */
  findings?: { code: string; file: string }[];
  /** Connections and their verdicts. */
  flows?: { from: string; to: string; port: number; protocol?: Protocol; allowed: boolean }[];
  /** The webhook's decision for the objects of a file (every object of it). */
  admission?: { file: string; mode: AdmissionMode; decision: AdmissionAnswer['decision'] }[];
}

export interface Example {
  id: string;
  title: string;
  summary: string;
  /** The file opened first. */
  open: string;
  /** The side panel shown, and the reach filter. */
  view: { panel: Panel; port?: number; protocol?: Protocol };
  expect: Expectations;
  files: FileSnapshot[];
}

type Meta = Omit<Example, 'id' | 'files'>;

const META: Record<string, Meta> = {
  'default-deny': {
    title: 'Default deny, then allow',
    summary: 'Deny all ingress in a namespace with one empty-selector policy, then open exactly frontend → api on the API port.',
    open: 'policies.yaml',
    view: { panel: 'reach', port: 8080, protocol: 'TCP' },
    expect: {
      flows: [
        { from: 'shop/deployment/frontend', to: 'shop/deployment/api', port: 8080, allowed: true },
        { from: 'shop/deployment/jobs', to: 'shop/deployment/api', port: 8080, allowed: false },
        { from: 'shop/deployment/frontend', to: 'shop/deployment/api', port: 9090, allowed: false },
        { from: 'shop/deployment/api', to: 'shop/deployment/frontend', port: 3000, allowed: false },
      ],
    },
  },
  'allow-from-namespace': {
    title: 'Allow from a namespace',
    summary: "Select a namespace by its kubernetes.io/metadata.name label: monitoring may scrape the ledger's metrics port, staging gets nothing.",
    open: 'ledger-policy.yaml',
    view: { panel: 'reach', port: 9102, protocol: 'TCP' },
    expect: {
      flows: [
        { from: 'monitoring/statefulset/prometheus', to: 'payments/deployment/ledger', port: 9102, allowed: true },
        { from: 'monitoring/statefulset/prometheus', to: 'payments/deployment/ledger', port: 8080, allowed: false },
        { from: 'staging/deployment/loadgen', to: 'payments/deployment/ledger', port: 9102, allowed: false },
      ],
    },
  },
  'and-or-trap': {
    title: 'The AND vs OR peer trap',
    summary: 'One dash too many: namespaceSelector and podSelector as two peers mean OR, so every pod of the analytics namespace reaches the database.',
    open: 'postgres-policy.yaml',
    view: { panel: 'reach', port: 5432, protocol: 'TCP' },
    expect: {
      findings: [{ code: 'NW3013', file: 'postgres-policy.yaml' }],
      flows: [
        { from: 'analytics/deployment/notebook', to: 'data/statefulset/postgres', port: 5432, allowed: true },
        { from: 'analytics/deployment/reporting', to: 'data/statefulset/postgres', port: 5432, allowed: true },
      ],
    },
  },
  'egress-dns': {
    title: 'Egress default-deny that forgets DNS',
    summary: 'A namespace-wide egress default-deny, then checkout → payments gateway allowed: every DNS lookup is now denied. The finding has a quick fix.',
    open: 'policies.yaml',
    view: { panel: 'reach', port: 53, protocol: 'UDP' },
    expect: {
      findings: [{ code: 'NW3008', file: 'policies.yaml' }],
      flows: [
        { from: 'shop/deployment/checkout', to: 'kube-system/deployment/coredns', port: 53, protocol: 'UDP', allowed: false },
        { from: 'shop/deployment/checkout', to: 'shop/deployment/payments-gateway', port: 8443, allowed: true },
      ],
    },
  },
  'nodeport-loadbalancer': {
    title: 'NodePort and LoadBalancer exposure',
    summary: 'A LoadBalancer that also opens node ports on every node, and Redis on a NodePort "for debugging".',
    open: 'services.yaml',
    view: { panel: 'webhook' },
    expect: {
      findings: [
        { code: 'NW2039', file: 'services.yaml' },
        { code: 'NW2026', file: 'services.yaml' },
        { code: 'NW2015', file: 'services.yaml' },
      ],
      admission: [{ file: 'services.yaml', mode: 'enforce', decision: 'warned' }],
    },
  },
  'external-ips': {
    title: 'externalIPs (CVE-2020-8554)',
    summary: "Any Service can claim any address with externalIPs; this one captures the cluster's traffic to a public DNS resolver.",
    open: 'service.yaml',
    view: { panel: 'webhook' },
    expect: {
      findings: [
        { code: 'NW2001', file: 'service.yaml' },
        { code: 'NW2020', file: 'service.yaml' },
      ],
      admission: [{ file: 'service.yaml', mode: 'enforce', decision: 'denied' }],
    },
  },
  'externalname-localhost': {
    title: 'ExternalName to localhost',
    summary: 'An ExternalName Service pointing at localhost turns the proxies that follow it against themselves. The webhook denies it.',
    open: 'service.yaml',
    view: { panel: 'webhook' },
    expect: {
      findings: [{ code: 'NW2010', file: 'service.yaml' }],
      admission: [
        { file: 'service.yaml', mode: 'enforce', decision: 'denied' },
        { file: 'service.yaml', mode: 'warn', decision: 'warned' },
        { file: 'service.yaml', mode: 'audit', decision: 'audited' },
      ],
    },
  },
  'target-port-miss': {
    title: 'A targetPort that misses',
    summary: 'The Service sends to 8080 where nothing listens, and to a port name no container declares. Only the workspace can tell: the webhook sees one object and lets it in.',
    open: 'service.yaml',
    view: { panel: 'webhook' },
    expect: {
      findings: [
        { code: 'NW2003', file: 'service.yaml' },
        { code: 'NW2004', file: 'service.yaml' },
      ],
      admission: [{ file: 'service.yaml', mode: 'enforce', decision: 'allowed' }],
    },
  },
};

/** Every example, in gallery order. */
export const EXAMPLES: Example[] = Object.entries(META).map(([id, meta]) => {
  const own = files[id];
  if (!own || own.length === 0) throw new Error(`example ${id} has no files`);
  return { id, ...meta, files: own };
});

/** The example folders without an entry here (a test keeps this empty). */
export const UNLISTED: string[] = Object.keys(files).filter((id) => !(id in META));

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}

/** The example a fresh visitor sees. */
export const FIRST_EXAMPLE = 'and-or-trap';

/** Each expectation as a line a person can read; `short` names workloads without namespace and kind. */
export function describeExpectations(e: Expectations, short = false): string[] {
  const name = (endpoint: string) => (short ? endpoint.split('/').pop()! : endpoint);
  return [
    ...(e.findings ?? []).map((f) => `${f.code} in ${f.file}`),
    ...(e.flows ?? []).map((f) => `${name(f.from)} → ${name(f.to)} ${f.protocol ?? 'TCP'}/${f.port}: ${f.allowed ? 'allowed' : 'denied'}`),
    ...(e.admission ?? []).map((a) => `webhook (${a.mode}) on ${a.file}: ${a.decision}`),
  ];
}
