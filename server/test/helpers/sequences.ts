// Runs many property-test sequences side by side in one process. A sequence spends most of its time
// waiting for answers (a room's broadcast, a patch), so running one at a time leaves the process
// idle; each sequence builds its own world (its own users and rooms), so they cannot interfere.
// Sequence i is generated from seed + i alone: a failing one is named by its seed and can be
// replayed on its own (PROPERTY_SEED=<that seed> PROPERTY_RUNS=1).
import fc from "fast-check";

export interface SequenceRun<T> {
  arbitrary: fc.Arbitrary<T>;
  runs: number;
  /** Sequences in flight at once. */
  concurrency: number;
  seed: number;
  /** Throws when the property does not hold for `value`. */
  check: (value: T) => Promise<void>;
  /** Called with the count done so far, at most every `progressMs`. */
  progress?: (done: number) => void;
  progressMs?: number;
}

export interface SequenceFailure {
  index: number;
  seed: number;
  value: unknown;
  error: unknown;
}

/** The value fast-check generates for one seed (the same on every call). */
export function sequenceFor<T>(arbitrary: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arbitrary, { numRuns: 1, seed })[0]!;
}

/** Runs every sequence (stopping new ones after the first failure); returns the failures found. */
export async function runSequences<T>(o: SequenceRun<T>): Promise<SequenceFailure[]> {
  const failures: SequenceFailure[] = [];
  let next = 0;
  let done = 0;
  let lastProgress = performance.now();
  const worker = async (): Promise<void> => {
    while (next < o.runs && failures.length === 0) {
      const index = next++;
      const seed = o.seed + index;
      const value = sequenceFor(o.arbitrary, seed);
      try {
        await o.check(value);
      } catch (error) {
        failures.push({ index, seed, value, error });
      }
      done++;
      if (o.progress && performance.now() - lastProgress >= (o.progressMs ?? 60_000)) {
        lastProgress = performance.now();
        o.progress(done);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  return failures;
}
