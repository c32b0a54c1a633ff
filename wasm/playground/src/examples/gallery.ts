/** The examples gallery: a dialog of cards, one per classic case. */
import { h, setChildren } from '../ui/dom';
import { describeExpectations, type Example } from './catalog';

export class Gallery {
  private readonly dialog: HTMLDialogElement;

  constructor(examples: Example[], onPick: (example: Example) => void) {
    const cards = examples.map((e, i) =>
      h(
        'button',
        {
          class: 'example-card',
          attrs: { type: 'button', 'data-example': e.id, 'data-testid': 'example' },
          on: {
            click: () => {
              this.dialog.close();
              onPick(e);
            },
          },
        },
        h('span', { class: 'example-number' }, String(i + 1).padStart(2, '0')),
        h('span', { class: 'example-title' }, e.title),
        h('span', { class: 'example-summary' }, e.summary),
        h('span', { class: 'example-shows' }, ...describeExpectations(e.expect, true).slice(0, 3).map((line) => h('span', { class: 'example-expect' }, line))),
        h('span', { class: 'example-files' }, e.files.map((f) => f.name).join(' · ')),
      ),
    );
    this.dialog = h(
      'dialog',
      { class: 'gallery', attrs: { 'aria-labelledby': 'gallery-title', 'data-testid': 'gallery' } },
      h(
        'div',
        { class: 'dialog-head' },
        h('h2', { attrs: { id: 'gallery-title' } }, 'Examples'),
        h('p', { class: 'muted' }, 'The classic Service and NetworkPolicy mistakes, each a small workspace. Loading one replaces the open files (Undo brings them back).'),
        h('button', { class: 'btn btn-ghost dialog-close', attrs: { type: 'button', 'aria-label': 'Close' }, on: { click: () => this.dialog.close() } }, '×'),
      ),
      h('div', { class: 'example-grid' }),
    );
    setChildren(this.dialog.querySelector('.example-grid')!, ...cards);
    this.dialog.addEventListener('click', (e) => {
      if (e.target === this.dialog) this.dialog.close();
    });
    document.body.appendChild(this.dialog);
  }

  open(): void {
    this.dialog.showModal();
  }
}
