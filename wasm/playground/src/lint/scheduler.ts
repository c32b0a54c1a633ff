/**
 * Lint as you type: a run starts `delay` ms after the last edit; at most one run is in flight
 * (edits made meanwhile start the next run as soon as it ends); a result computed before a
 * later edit is dropped (a newer run is already on its way).
 */

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

export const browserTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export interface RunStats {
  /** When the last edit of the run's text happened. */
  editedAt: number;
  /** When the run started (after the debounce). */
  startedAt: number;
  /** When its result was applied. */
  appliedAt: number;
}

export class LintScheduler<R> {
  private edits = 0;
  private lastEditAt = 0;
  private timer: unknown;
  private running: Promise<void> | undefined;
  /** An edit came while a run was in flight: run again when it ends. */
  private again = false;
  /** Results dropped because the text changed while they were computed. */
  dropped = 0;
  /** Timing of the last applied run. */
  last: RunStats | undefined;

  constructor(
    private readonly delay: number,
    private readonly run: () => Promise<R>,
    private readonly apply: (result: R, stats: RunStats) => void,
    private readonly onError: (error: unknown) => void,
    private readonly timers: Timers = browserTimers,
  ) {}

  /** Records an edit and (re)arms the timer. */
  touch(): void {
    this.edits++;
    this.lastEditAt = this.timers.now();
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      void this.start();
    }, this.delay);
  }

  /** Runs now (no debounce), e.g. after loading a workspace; resolves when applied or dropped. */
  now(): Promise<void> {
    this.edits++;
    this.lastEditAt = this.timers.now();
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const edits = this.edits;
    const editedAt = this.lastEditAt;
    const startedAt = this.timers.now();
    const run = this.run().then(
      (result) => {
        if (edits !== this.edits) {
          this.dropped++;
          return;
        }
        const stats = { editedAt, startedAt, appliedAt: 0 };
        this.apply(result, stats);
        stats.appliedAt = this.timers.now();
        this.last = stats;
      },
      (error) => {
        if (edits === this.edits) this.onError(error);
      },
    );
    const tracked = run.finally(() => {
      if (this.running === tracked) this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.start();
      }
    });
    this.running = tracked;
    return tracked;
  }
}
