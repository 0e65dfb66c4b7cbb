import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { SubmissionKey } from './idempotency'

describe('SubmissionKey', () => {
  it('keeps one key for every copy of a submission until the server answers', () => {
    const key = new SubmissionKey()
    const first = key.get()
    expect(key.get()).toBe(first)
    key.settle(new ApiError(0, 'network_error', 'Cannot reach the hotel server.'))
    expect(key.get()).toBe(first)
    key.settle(new ApiError(409, 'idempotent_request_in_progress', 'still running'))
    expect(key.get()).toBe(first)
    key.settle()
    expect(key.get()).not.toBe(first)
  })

  it('starts a new submission after the server refused one', () => {
    const key = new SubmissionKey()
    const first = key.get()
    key.settle(new ApiError(422, 'validation_error', 'guests: too many'))
    expect(key.get()).not.toBe(first)
  })
})
