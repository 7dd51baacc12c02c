import { createHash } from "node:crypto";

/** Buckets kept at once; a flood of made-up tokens cannot grow memory past this. */
const MAX_BUCKETS = 10_000;

/**
 * Requests a minute per token, as a token bucket: a sixth of the minute's allowance may come at once,
 * then the rest at the steady rate. Kept per process: behind a load balancer each replica allows the
 * rate on its own. Keyed by the secret's hash, before the database is asked who it is, so a token
 * over its rate costs the database nothing.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(
    ratePerMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = Math.max(1, Math.ceil(ratePerMinute / 6));
    this.perMs = ratePerMinute / 60_000;
  }

  /** 0 when the request may go ahead; otherwise the seconds to wait (Retry-After). */
  take(secret: string): number {
    const key = createHash("sha256").update(secret).digest("base64");
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key);
      bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
      bucket.at = now;
    } else {
      bucket = { tokens: this.capacity, at: now };
      if (this.buckets.size >= MAX_BUCKETS) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    }
    // Re-inserted, so the map's order is that of last use and the oldest goes first.
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }
}
