/**
 * Outlook's limits per mailbox ("Outlook service limits",
 * https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits): 10,000 API requests
 * in 10 minutes and 4 concurrent requests per app and mailbox. The emulator serves one app at a
 * time in practice and counts per mailbox; a request over either limit is 429 with Retry-After.
 * Items of a `$batch` are not counted (their batch is, against no mailbox).
 */
export const MAILBOX_CONCURRENCY = 4;
export const MAILBOX_WINDOW_REQUESTS = 10_000;
export const MAILBOX_WINDOW_MS = 600_000;

export type MailboxGate =
  { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number; code: string; message: string };

/** `/users/{id}/...` paths of a mailbox's calendars, events and calendar views. */
const MAILBOX_PATH = /^\/users\/([^/?]+)\/(?:calendar|calendars|calendarview|events)(?:[/?(]|$)/i;

export function mailboxOfPath(path: string): string | null {
  const m = MAILBOX_PATH.exec(path);
  return m ? decodeURIComponent(m[1]!).toLowerCase() : null;
}

export class MailboxLimits {
  private readonly inFlight = new Map<string, number>();
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly enabled: () => boolean,
    private readonly now: () => number,
  ) {}

  enter(mailbox: string): MailboxGate {
    if (!this.enabled()) return { ok: true, release: () => {} };
    const running = this.inFlight.get(mailbox) ?? 0;
    if (running >= MAILBOX_CONCURRENCY)
      return {
        ok: false,
        retryAfterSeconds: 1,
        code: 'ApplicationThrottled',
        message: 'Application is over its MailboxConcurrency limit.',
      };
    const now = this.now();
    const times = this.recent.get(mailbox) ?? [];
    this.recent.set(mailbox, times);
    while (times.length > 0 && times[0]! <= now - MAILBOX_WINDOW_MS) times.shift();
    if (times.length >= MAILBOX_WINDOW_REQUESTS)
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((times[0]! + MAILBOX_WINDOW_MS - now) / 1000)),
        code: 'ApplicationThrottled',
        message: 'Application is over its MailboxRequestLimit: 10,000 requests in 10 minutes.',
      };
    times.push(now);
    this.inFlight.set(mailbox, running + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(mailbox) ?? 1) - 1;
        if (left > 0) this.inFlight.set(mailbox, left);
        else this.inFlight.delete(mailbox);
      },
    };
  }
}
