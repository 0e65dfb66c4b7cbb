/**
 * The signed-in user's unread message count, one number for every open tab of theirs.
 *
 * Each tab learns it from its own reloads of /messages/unread and from live
 * `conversation.updated` events (reading or unreading carries the new `unread_total`), and
 * passes what it learned to its other tabs over a BroadcastChannel, so every tab's title and
 * badge follow at once, even a tab whose socket is reconnecting. Every value carries the
 * time from which it holds (a reload: when it was asked for; an event: when it came); an
 * older one never replaces a newer one, so a reload that set out before a read cannot bring
 * the old count back.
 */

export interface UnreadReport {
  total: number
  /** Milliseconds since the epoch from which this count holds. */
  at: number
}

type Listener = (total: number) => void

let owner: number | null = null
let current: UnreadReport | null = null
let channel: BroadcastChannel | null = null
const listeners = new Set<Listener>()

function accept(report: UnreadReport): boolean {
  if (current && report.at < current.at) return false
  const changed = current?.total !== report.total
  current = report
  if (changed) for (const listener of [...listeners]) listener(report.total)
  return true
}

function open(userId: number): void {
  if (owner === userId) return
  channel?.close()
  owner = userId
  current = null
  channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`premier-unread-${userId}`)
  if (channel) {
    channel.onmessage = (event: MessageEvent<UnreadReport>) => {
      const report = event.data
      if (typeof report?.total === 'number' && typeof report.at === 'number') accept(report)
    }
  }
}

/** This tab learned the count: keep it (unless something newer is known) and tell the others. */
export function reportUnread(userId: number, total: number, at: number = Date.now()): void {
  open(userId)
  const report = { total, at }
  if (accept(report)) channel?.postMessage(report)
}

/** Follow the count; returns the function that stops following. */
export function watchUnread(userId: number, listener: Listener): () => void {
  open(userId)
  listeners.add(listener)
  if (current) listener(current.total)
  return () => {
    listeners.delete(listener)
  }
}
