import { ApiError } from '../api/client'

/** A fresh Idempotency-Key. `crypto.randomUUID` exists only on https and localhost; a hotel
 * served on a LAN address over http gets random bytes instead. */
export function newIdempotencyKey(): string {
  const cryptoApi = globalThis.crypto
  if (typeof cryptoApi?.randomUUID === 'function') return cryptoApi.randomUUID()
  const bytes = new Uint8Array(16)
  cryptoApi.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * The Idempotency-Key of one form's submission: the same for every copy sent until the
 * server has answered it, so a retry after a lost answer (no connection, a timeout) creates
 * nothing new; a new one once the server has answered (created, or refused: a refused
 * request frees its key on the server, and the corrected form is a new submission).
 */
export class SubmissionKey {
  private key = ''

  get(): string {
    this.key ||= newIdempotencyKey()
    return this.key
  }

  settle(error?: unknown): void {
    if (error === undefined || answered(error)) this.key = ''
  }
}

/** Whether the server decided the request: not a lost answer, not "still running". */
function answered(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false
  return error.status !== 0 && error.code !== 'idempotent_request_in_progress'
}
