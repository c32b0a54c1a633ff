/** Where a rule's documentation lives in the editor: a virtual markdown document per rule. */

export const RULE_DOCS_SCHEME = 'netward-rule';
export const SHOW_RULE_DOCS_COMMAND = 'netward.showRuleDocs';

/** The virtual document of a rule's docs: `netward-rule:/NW2001.md`. */
export function ruleDocsUri(code: string): string {
  return `${RULE_DOCS_SCHEME}:/${encodeURIComponent(code)}.md`;
}

/** The rule code of a docs document's path (`/NW2001.md`), if it is one. */
export function codeOfRuleDocsPath(path: string): string | undefined {
  const match = /^\/?([^/]+)\.md$/.exec(path);
  return match ? decodeURIComponent(match[1]) : undefined;
}

/** A `command:` link that shows the rendered docs of `code`. */
export function ruleDocsCommandUri(code: string): string {
  return `command:${SHOW_RULE_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify([code]))}`;
}
