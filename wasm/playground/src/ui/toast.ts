/** Short notices at the bottom of the page, optionally with one action (Undo). */
import { h } from './dom';

let host: HTMLElement | undefined;

export interface ToastAction {
  label: string;
  run(): void;
}

export function toast(message: string, kind: 'info' | 'error' = 'info', action?: ToastAction, ms = action ? 8000 : 4000): void {
  host ??= document.body.appendChild(h('div', { class: 'toasts', attrs: { role: 'status', 'aria-live': 'polite' } }));
  const note = h('div', { class: `toast toast-${kind}`, attrs: { 'data-testid': 'toast' } }, h('span', null, message));
  const leave = () => {
    note.classList.add('toast-leaving');
    setTimeout(() => note.remove(), 250);
  };
  if (action) {
    note.appendChild(
      h('button', { class: 'btn btn-small', attrs: { type: 'button' }, on: { click: () => (action.run(), leave()) } }, action.label),
    );
  }
  host.appendChild(note);
  setTimeout(leave, ms);
}
