/**
 * Which lint answers are still worth publishing: only the newest one asked for a file, and
 * only while the document is at the version the engine linted.
 */

export interface Ticket {
  uri: string;
  id: number;
  /** The document version the engine held when asked (`undefined` for a file not open). */
  version: number | undefined;
}

export class LintTickets {
  private next = 1;
  private readonly latest = new Map<string, number>();

  /** A ticket for a lint of `uri` about to be asked. */
  issue(uri: string, version: number | undefined): Ticket {
    const id = this.next++;
    this.latest.set(uri, id);
    return { uri, id, version };
  }

  /**
   * Whether the answer to `ticket` may be published, given the document's version now
   * (`undefined` when it is not open); the ticket is used up when accepted.
   */
  accept(ticket: Ticket, currentVersion: number | undefined): boolean {
    if (this.latest.get(ticket.uri) !== ticket.id) return false;
    this.latest.delete(ticket.uri);
    return ticket.version === undefined || currentVersion === undefined || ticket.version === currentVersion;
  }

  /** Answers still on their way for `uri` are dropped. */
  forget(uri: string): void {
    this.latest.delete(uri);
  }
}
