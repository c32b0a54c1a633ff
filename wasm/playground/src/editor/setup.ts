/** The CodeMirror extensions of a manifest editor: YAML/JSON, lint display, theme via CSS variables. */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, bracketMatching, foldGutter, foldKeymap, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap } from '@codemirror/lint';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  EditorView,
  crosshairCursor,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import { languageOf } from '../workspace/files';
import { marks } from './marks';

/** Token colours come from CSS variables, so one style serves the light and the dark theme. */
const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'var(--syn-key)' },
  { tag: [t.string, t.special(t.string)], color: 'var(--syn-string)' },
  { tag: [t.number, t.bool, t.null], color: 'var(--syn-number)' },
  { tag: [t.keyword, t.atom], color: 'var(--syn-keyword)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [t.meta, t.processingInstruction, t.labelName, t.typeName], color: 'var(--syn-meta)' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: 'var(--syn-punct)' },
  { tag: t.invalid, color: 'var(--danger)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: 'var(--editor-font-size)', backgroundColor: 'var(--editor-bg)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--accent)', paddingBlock: '8px' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--accent)', borderLeftWidth: '2px' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
    backgroundColor: 'var(--selection) !important',
  },
  '.cm-gutters': { backgroundColor: 'var(--editor-bg)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--active-line)', color: 'var(--text)' },
  '.cm-lineNumbers .cm-gutterElement': { paddingInline: '8px 6px', minWidth: '36px' },
  '.cm-foldPlaceholder': { background: 'var(--chip)', border: 'none', color: 'var(--muted)' },
  '.cm-tooltip': { background: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)', borderRadius: '6px', boxShadow: 'var(--shadow)' },
  '.cm-tooltip-lint': { maxWidth: '560px' },
  '.cm-diagnostic': { whiteSpace: 'pre-wrap', fontFamily: 'var(--sans)', fontSize: '13px', padding: '6px 10px' },
  '.cm-diagnosticSource': { fontFamily: 'var(--mono)', fontSize: '11.5px', color: 'var(--muted)', opacity: '1' },
  '.cm-diagnosticAction': { background: 'var(--accent)', color: 'var(--accent-contrast)', borderRadius: '4px', padding: '2px 8px', font: '500 12px var(--sans)' },
  '.cm-diagnosticAction + .cm-diagnosticAction': { background: 'var(--chip)', color: 'var(--text)' },
  '.cm-panels': { background: 'var(--panel)', color: 'var(--text)' },
  '.cm-searchMatch': { backgroundColor: 'var(--search-match)' },
});

/** What depends on the file name (language, label): reconfigured on rename. */
export const nameCompartment = new Compartment();

/** The extensions that depend on the file name. */
export function nameExtensions(name: string): Extension {
  return [
    languageOf(name) === 'json' ? json() : yaml(),
    EditorView.contentAttributes.of({ 'aria-label': `${name} (manifest editor)`, spellcheck: 'false' }),
  ];
}

/** The extensions of a file's editor state; `onChange` hears each document change. */
export function editorExtensions(name: string, onChange: (state: EditorState) => void): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    foldGutter(),
    lintGutter({ hoverTime: 150 }),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    indentUnit.of('  '),
    EditorState.tabSize.of(2),
    syntaxHighlighting(highlight),
    bracketMatching(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    EditorView.lineWrapping,
    highlightSelectionMatches(),
    search({ top: true }),
    keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...foldKeymap, ...lintKeymap, indentWithTab]),
    nameCompartment.of(nameExtensions(name)),
    marks(),
    theme,
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange(update.state);
    }),
  ];
}
