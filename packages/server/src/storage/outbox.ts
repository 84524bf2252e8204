// The outbox: every stored event queued once per forwarding destination, in the same transaction as
// the event itself, so a crash, a restart or a destination that is down for hours loses nothing.
// Each engine implements it (storage/sqlite/outbox.ts, storage/postgres/outbox.ts); forward/ drains it.

/** One event waiting to be forwarded to one destination. */
export interface OutboxEntry {
  /** The entry's place in the outbox: entries are handed out in this order. */
  id: number;
  /** The event's `messageId`. */
  eventId: string;
  /** When the event was stored (epoch ms). */
  receivedMs: number;
  /** The event as stored (JSON). */
  body: string;
}

/** How far behind a destination is: events waiting and the age of the oldest; and what its forwarder last reported. */
export interface DestinationBacklog {
  destination: string;
  /** Events stored but not yet forwarded there. */
  pending: number;
  /** Seconds since the oldest waiting event was stored (0 when none waits). */
  oldestPendingSeconds: number;
  /** The last failure the process forwarding it reported, while it lasts (cleared by a delivery). */
  lastError?: string;
  lastErrorAt?: string;
  /** When that process last reported a delivery (ISO). */
  lastDeliveredAt?: string;
}

/** What the process forwarding a destination tells the others: its last error (null once delivering again) and last delivery. */
export interface DestinationReport {
  lastError: string | null;
  lastErrorMs: number | null;
  lastDeliveredMs: number | null;
}

/**
 * The right to forward one destination, held by one process at a time (on PostgreSQL an advisory lock
 * of its own connection), so the destination gets its events in order and each from one process.
 */
export interface OutboxClaim {
  /** The oldest entries still waiting for this destination, at most `limit`, oldest first. */
  next(limit: number): Promise<OutboxEntry[]>;
  /** Removes delivered entries. Until then they are handed out again (at least once). */
  done(ids: readonly number[]): Promise<void>;
  /** Records how forwarding goes, for every process's GET /v1/health. */
  report(report: DestinationReport): Promise<void>;
  /** Gives the destination up (for another process to take). */
  release(): Promise<void>;
}

/** The events an engine queues for its destinations. */
export interface Outbox {
  /** The destinations every stored event is queued for, as opened. */
  readonly destinations: readonly string[];
  /** Takes the right to forward `destination`; null while another process (or claim) holds it. */
  claim(destination: string): Promise<OutboxClaim | null>;
  /** Each destination's backlog at `now` (epoch ms), including destinations no longer configured that still hold events. */
  backlog(now: number): Promise<DestinationBacklog[]>;
}

/** Each destination's backlog from rows of (destination, pending, oldest received_ms) and the reports of their forwarders. */
export function backlogOf(
  destinations: readonly string[],
  rows: ReadonlyArray<{ destination: string; pending: number; oldest: number | null }>,
  now: number,
  reports: ReadonlyMap<string, DestinationReport> = new Map(),
): DestinationBacklog[] {
  const found = new Map(rows.map((row) => [row.destination, row]));
  const names = [...destinations, ...rows.map((row) => row.destination).filter((name) => !destinations.includes(name))];
  const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());
  return names.map((destination) => {
    const row = found.get(destination);
    const oldest = row?.oldest ?? null;
    const report = reports.get(destination);
    const lastErrorAt = iso(report?.lastErrorMs ?? null);
    const lastDeliveredAt = iso(report?.lastDeliveredMs ?? null);
    return {
      destination,
      pending: row?.pending ?? 0,
      oldestPendingSeconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
      ...(report?.lastError ? { lastError: report.lastError, ...(lastErrorAt ? { lastErrorAt } : {}) } : {}),
      ...(lastDeliveredAt ? { lastDeliveredAt } : {}),
    };
  });
}

/** The whole outbox's backlog, for GET /metrics: events waiting for any destination, and the oldest's age. */
export async function outboxStats(outbox: Outbox, now = Date.now()): Promise<{ pending: number; oldestPendingSeconds: number }> {
  const backlog = await outbox.backlog(now);
  return {
    pending: backlog.reduce((sum, b) => sum + b.pending, 0),
    oldestPendingSeconds: backlog.reduce((max, b) => Math.max(max, b.oldestPendingSeconds), 0),
  };
}
