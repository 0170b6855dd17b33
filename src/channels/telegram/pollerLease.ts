import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { KeyValueStore } from '../../state/keyValue.ts';

/** Timing of the polling lease (only one instance may call getUpdates for a bot). */
export interface LeaseTiming {
  /** Lifetime of the lease without renewal: how long a crashed poller blocks a standby. */
  ttlMs: number;
  /** The holder renews this often (well under ttlMs, so a slow renewal never lets it lapse). */
  renewMs: number;
  /** A standby tries to take the lease this often. */
  retryMs: number;
}

export interface PollerLeaseOptions extends LeaseTiming {
  kv: KeyValueStore;
  /** The KV key, `telegram:poller:<bot id>`. */
  key: string;
  logger: Logger;
}

/**
 * A lease in the shared KV that lets one instance at a time long-poll a bot (Telegram answers a
 * second concurrent getUpdates with 409). Acquire = setIfAbsent(key, token, ttl); release =
 * deleteIfEquals(key, token); renewal = get then set only while the value is still our token.
 *
 * The KV port has no compare-and-set, so get + set leaves a tiny race: if our lease expires
 * between the get and the set (we were already stalled for a whole TTL) and a standby takes it in
 * that instant, our set overwrites its token. It heals by itself: the standby's next renewal finds
 * our token and it stops polling. Renewing at ttl/3 makes the window need a stall of ~2/3 TTL.
 */
export class PollerLease {
  /** Identifies this instance in the KV (host, pid, random), never a secret. */
  readonly token = `${hostname()}:${process.pid}:${randomUUID()}`;
  private held = false;
  private lastRenewedAt = 0;

  constructor(private readonly options: PollerLeaseOptions) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** One attempt; true when this instance now holds the lease. KV errors propagate. */
  async tryAcquire(): Promise<boolean> {
    const { kv, key, ttlMs } = this.options;
    this.held = await kv.setIfAbsent(key, this.token, ttlMs);
    if (this.held) this.lastRenewedAt = Date.now();
    return this.held;
  }

  /** Who holds the lease now (for the log), undefined when free. */
  async holder(): Promise<string | undefined> {
    const value = await this.options.kv.get<unknown>(this.options.key);
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * Extends the lease. 'renewed'; 'lost' when another instance holds it (or the KV failed for a
   * whole TTL, so another may have taken it); 'error' on a KV failure within the TTL (try again).
   */
  async renew(): Promise<'renewed' | 'lost' | 'error'> {
    const { kv, key, ttlMs, logger } = this.options;
    try {
      const current = await kv.get<unknown>(key);
      let ours: boolean;
      if (current === this.token) {
        await kv.set(key, this.token, ttlMs);
        ours = true;
      } else if (current === undefined) {
        // Lapsed (a long stall) and nobody took it: take it again the safe way.
        ours = await kv.setIfAbsent(key, this.token, ttlMs);
      } else {
        ours = false;
      }
      if (!ours) {
        this.held = false;
        return 'lost';
      }
      this.lastRenewedAt = Date.now();
      return 'renewed';
    } catch (err) {
      logger.warn({ err: String(err) }, 'telegram: could not renew the polling lease');
      if (Date.now() - this.lastRenewedAt >= ttlMs) {
        this.held = false;
        return 'lost';
      }
      return 'error';
    }
  }

  /** Frees the lease if we still hold it (never someone else's). A KV failure is logged: the TTL frees it. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    try {
      await this.options.kv.deleteIfEquals(this.options.key, this.token);
    } catch (err) {
      this.options.logger.warn({ err: String(err) }, 'telegram: could not release the polling lease; it expires by itself');
    }
  }
}

