// A deterministic workspace of realistic manifests for the benchmark: per namespace, apps with
// a Deployment, a Service and a NetworkPolicy, plus a default deny; about `lines` lines in all.

function app(ns, name, i) {
  const port = 8000 + (i % 7) * 10;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
        tier: ${i % 3 === 0 ? 'web' : 'backend'}
    spec:
      containers:
        - name: ${name}
          image: registry.example/${ns}/${name}:1.${i}.0
          ports:
            - name: http
              containerPort: ${port}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app: ${name}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: web
      ports:
        - protocol: TCP
          port: ${port}
`;
}

/** `[{ name, text }]`, one file per namespace, with at least `lines` lines in all. */
export function benchWorkspace(lines = 2000, namespaces = 4) {
  const files = Array.from({ length: namespaces }, (_, n) => ({
    ns: `team-${String.fromCharCode(97 + n)}`,
    docs: [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-${String.fromCharCode(97 + n)}\n`, `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: team-${String.fromCharCode(97 + n)}\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n`],
  }));
  const count = () => files.reduce((sum, f) => sum + f.docs.join('---\n').split('\n').length, 0);
  for (let i = 0; count() < lines; i++) {
    const f = files[i % namespaces];
    f.docs.push(app(f.ns, `svc-${i}`, i));
  }
  return files.map((f) => ({ name: `${f.ns}.yaml`, text: f.docs.join('---\n') }));
}
