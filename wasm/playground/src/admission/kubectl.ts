/** What `kubectl apply` prints for an admission answer: the denial as the API server words it, and each warning. */
import type { AdmissionAnswer } from '../engine/types';

/** The webhook's name in deploy/webhook.yaml; the API server quotes it in denials. */
export const WEBHOOK_NAME = 'validate.netward.dev';

export function kubectlOutput(answer: AdmissionAnswer, fileName: string): string[] {
  const lines = answer.warnings.map((w) => `Warning: ${w}`);
  const kind = answer.object.kind.toLowerCase();
  const ref = `${kind}/${answer.object.name ?? '(generated)'}`;
  if (answer.allowed) {
    lines.push(`${ref} created`);
  } else {
    const reason = answer.denial?.reason || 'Invalid';
    const message = answer.denial?.message ?? '';
    lines.push(`Error from server (${reason}): error when creating "${fileName}": admission webhook "${WEBHOOK_NAME}" denied the request: ${message}`);
  }
  return lines;
}
