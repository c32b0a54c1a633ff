// Compiled with `tsc --noEmit` by scripts/test.sh: the generated declarations of the Node
// build are valid TypeScript and describe the engine the way the extension uses it.
import { Engine } from '../pkg/node/netward_wasm';
import type { Diagnostic, Explanation, ReachAnswer, RuleInfo, SelectorMatch, ServiceRoutes } from '../pkg/node/netward_wasm';

const engine = new Engine('', 'utf-16');
engine.setFile('a.yaml', 'kind: Service\n');
const diagnostics: Diagnostic[] = engine.lint('a.yaml');
const first: string | undefined = diagnostics[0]?.fix?.edits[0]?.new_text;
const line: number | undefined = diagnostics[0]?.related?.[0]?.range.start.line;
const selector: SelectorMatch | null = engine.selectedPods('a.yaml', 3);
const routes: ServiceRoutes | null = engine.serviceAt('a.yaml', 3);
const endpoint: string | null = engine.endpointAt('a.yaml', 3);
const answer: ReachAnswer = engine.reach({ to: 'ns/pod', port: 80, protocol: 'TCP' });
const explained: Explanation = engine.explain({ from: 'a/b', to: 'c/d', port: 80 });
const rules: RuleInfo[] = engine.rules();
const removed: boolean = engine.removeFile('a.yaml');
export const all = [first, line, selector, routes, endpoint, answer.flows, explained.ingress.verdict, rules, removed];
