// Group commit: writes that arrive while one is in flight go to the database together, as one
// statement, when it returns. A join storm's hundred visit rows become a handful of statements
// instead of a hundred commits queued one behind another (on the embedded database each is a WASM
// round and a commit). The embedded database runs its statements on this thread, so nothing else
// arrives while one runs: a batch therefore starts one event-loop turn after its first item (the
// requests already read by then reach push() first and share it), never later. The join query is grouped
// the same way (services/joining.ts): reads that queue on one connection gain as much.
interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T, R> {
  readonly #write: (items: T[]) => Promise<R[]>;
  readonly #max: number;
  #waiting: Waiting<T, R>[] = [];
  #busy = false;

  /** `write` gets a batch and answers one result per item, in order; a batch holds at most `max`. */
  constructor(write: (items: T[]) => Promise<R[]>, max = 200) {
    this.#write = write;
    this.#max = max;
  }

  /** Writes `item` (with whatever else is waiting); its batch's failure is its failure. */
  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (this.#busy) return;
      this.#busy = true;
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#max);
      try {
        const results = await this.#write(batch.map((w) => w.item));
        if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} writes`);
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
      await new Promise((turn) => setImmediate(turn));
    }
    this.#busy = false;
  }
}
