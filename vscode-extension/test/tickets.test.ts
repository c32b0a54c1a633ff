import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LintTickets } from '../src/tickets';

test('only the newest answer for a file is published', () => {
  const tickets = new LintTickets();
  const older = tickets.issue('a', 3);
  const newer = tickets.issue('a', 4);
  const other = tickets.issue('b', undefined);
  assert.equal(tickets.accept(older, 4), false);
  assert.equal(tickets.accept(newer, 4), true);
  assert.equal(tickets.accept(newer, 4), false, 'a ticket is used once');
  assert.equal(tickets.accept(other, undefined), true);
});

test('an answer for a version the document has left is dropped', () => {
  const tickets = new LintTickets();
  assert.equal(tickets.accept(tickets.issue('a', 3), 5), false);
  assert.equal(tickets.accept(tickets.issue('a', 5), 5), true);
  assert.equal(tickets.accept(tickets.issue('a', 5), undefined), true, 'closed since: the disk answer is next anyway');
  assert.equal(tickets.accept(tickets.issue('a', undefined), 7), true, 'a file not open when asked');
});

test('forgetting a file drops its answers in flight', () => {
  const tickets = new LintTickets();
  const ticket = tickets.issue('a', 1);
  tickets.forget('a');
  assert.equal(tickets.accept(ticket, 1), false);
});
