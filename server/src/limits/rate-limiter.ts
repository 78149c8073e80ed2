// Fixed-window counters per key, in memory. They throttle logins and registrations per username
// and per address (http/), chat, emotes and media signals per seat (rooms/), and configuration
// (config/) parses their rules: so they live below all three.
export interface LimitRule {
  max: number;
  windowMs: number;
}

export class RateLimiter {
  readonly #rule: LimitRule;
  readonly #hits = new Map<string, { count: number; resetAt: number }>();
  readonly #now: () => number;

  constructor(rule: LimitRule, now: () => number = Date.now) {
    this.#rule = rule;
    this.#now = now;
  }

  /** Seconds until `key` may try again, or 0 when it is under its limit. */
  retryAfter(key: string): number {
    const entry = this.#live(key);
    return entry && entry.count >= this.#rule.max ? Math.max(1, Math.ceil((entry.resetAt - this.#now()) / 1000)) : 0;
  }

  hit(key: string): void {
    const entry = this.#live(key);
    if (entry) entry.count++;
    else this.#hits.set(key, { count: 1, resetAt: this.#now() + this.#rule.windowMs });
    if (this.#hits.size > 10_000) this.#sweep();
  }

  reset(key: string): void {
    this.#hits.delete(key);
  }

  #live(key: string) {
    const entry = this.#hits.get(key);
    if (entry && entry.resetAt <= this.#now()) {
      this.#hits.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#hits) if (entry.resetAt <= now) this.#hits.delete(key);
  }
}

export interface AuthLimits {
  /** Failed logins per username. */
  loginPerUsername: LimitRule;
  /** Failed logins per client address. */
  loginPerAddress: LimitRule;
  /** Registrations per client address. */
  registerPerAddress: LimitRule;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  loginPerUsername: { max: 5, windowMs: 15 * 60_000 },
  loginPerAddress: { max: 30, windowMs: 15 * 60_000 },
  registerPerAddress: { max: 30, windowMs: 10 * 60_000 },
};
