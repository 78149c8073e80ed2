// A unit of work that composed services share: one transaction (one forked EntityManager) and what
// to do once it has committed. A service method that may run inside another's takes an optional
// `uow` from its caller; without one it runs on its own, as before.
import type { Em, Orm } from "../db/orm.ts";

type AfterCommit = () => Promise<void> | void;

export class UnitOfWork {
  readonly em: Em;
  readonly #afterCommit: AfterCommit[] = [];

  constructor(em: Em) {
    this.em = em;
  }

  /**
   * Runs `fn` once the transaction has committed, in the order asked. Room events go here: a live
   * room must never show a write that was rolled back. (A bound function: services destructure it.)
   */
  readonly afterCommit = (fn: AfterCommit): void => {
    this.#afterCommit.push(fn);
  };

  async committed(): Promise<void> {
    for (const fn of this.#afterCommit.splice(0)) await fn();
  }
}

/**
 * Runs `work` in the caller's unit of work when there is one (the caller commits and runs the
 * after-commit steps), else in a transaction of its own, whose after-commit steps run once it
 * has committed.
 */
export async function inUnitOfWork<T>(orm: Orm, outer: UnitOfWork | undefined, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  if (outer) return work(outer);
  let uow: UnitOfWork | undefined;
  const out = await orm.em.fork().transactional((em) => work((uow = new UnitOfWork(em))));
  await uow!.committed();
  return out;
}

/**
 * For writes that are one statement (each commits by itself): the caller's unit of work if there
 * is one, else a plain one whose after-commit steps the method runs itself (`done`).
 */
export function unitOrAutocommit(orm: Orm, outer: UnitOfWork | undefined): { uow: UnitOfWork; done: () => Promise<void> } {
  if (outer) return { uow: outer, done: async () => {} };
  const uow = new UnitOfWork(orm.em.fork());
  return { uow, done: () => uow.committed() };
}
