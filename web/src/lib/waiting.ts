/** How long a kitchen order has waited, and when that is too long. */

/**
 * An order still open this many minutes after the guest placed it is late. Half an hour is
 * about as long as a guest expects to wait for a hot dish from room service; past it they
 * start ringing the front desk, so the order should stand out on the board before that
 * call comes. One number for the whole board, not per dish: a kitchen in a rush needs one
 * rule it can see at a glance.
 */
export const LATE_AFTER_MINUTES = 30

/** How often the board re-reads the clock: the waits are shown to the minute. */
export const WAIT_TICK_MS = 60_000

/** Whole minutes from `since` (an ISO instant from the API) to `now`; never negative. */
export function minutesWaited(since: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(since).getTime()) / 60_000))
}

export function isLate(minutes: number): boolean {
  return minutes > LATE_AFTER_MINUTES
}

/** "12 min", "1 h 5 min": short enough for a card's corner. */
export function formatWait(minutes: number): string {
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}
