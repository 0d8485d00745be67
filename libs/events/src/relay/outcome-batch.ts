/**
 * Writes that arrive together go out together: `add` queues an item and resolves once the
 * statement that carries it has committed. The first item is written at once (on the next turn of
 * the event loop, so that everything queued in the same turn joins it); whatever arrives while a
 * statement runs goes in the next one. A lone outcome waits for nothing, and a hundred attempts
 * that time out in the same instant make one statement, not a hundred commits queued for the pool
 * in front of the next claim.
 */
export class OutcomeBatch<T> {
  private queue: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly max = 500,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.max);
      try {
        await this.write(batch.map((b) => b.item));
        for (const b of batch) b.resolve();
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.writing = false;
  }
}
