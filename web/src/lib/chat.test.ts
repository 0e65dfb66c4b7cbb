import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { mergeMessages } from '../hooks/useMessaging'
import type { Attachment, ChatMessage } from '../api/types'
import { fileTypeLabel, formatSize, isImage, sendErrorSentence, startChatErrorSentence } from './chat'

function message(id: number, body = `m${id}`): ChatMessage {
  return {
    id, conversation_id: 1, sender_id: 1, sender_name: 'Grace', kind: 'message', body,
    client_message_id: null, created_at: '2026-12-01T10:00:00Z', attachments: [],
  }
}

describe('a refused message reads as a sentence', () => {
  it('explains the rate limit and a validator refusal in plain words', () => {
    expect(sendErrorSentence(new ApiError(429, 'rate_limited', 'at most 30 messages a minute per sender'))).toMatch(
      /^You are sending messages very fast\./,
    )
    const invalid = sendErrorSentence(new ApiError(422, 'validation_error', 'body: String should have at least 1 character'))
    expect(invalid).not.toMatch(/String should/)
    expect(invalid.endsWith('.')).toBe(true)
  })
})

describe('messages merge in order, once each', () => {
  it('keeps older pages when the newest page is loaded again', () => {
    const merged = mergeMessages([message(1), message(2), message(3)], [message(3, 'edited'), message(4)])
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3, 4])
    expect(merged[2].body).toBe('edited')
  })
})

function attachment(filename: string, content_type: string, size = 2048): Attachment {
  return { id: 1, url: 'https://x/1', filename, content_type, size, width: null, height: null, variants: null }
}

describe('an attachment is shown by what it is', () => {
  it('tells pictures from documents by their type, not their sizes', () => {
    expect(isImage(attachment('sink.png', 'image/png'))).toBe(true)
    expect(isImage(attachment('invoice.pdf', 'application/pdf'))).toBe(false)
  })

  it('names the type and size of a file in plain words', () => {
    expect(fileTypeLabel(attachment('invoice.pdf', 'application/pdf'))).toBe('PDF')
    expect(fileTypeLabel(attachment('notes', 'text/plain'))).toBe('PLAIN')
    expect(formatSize(830)).toBe('830 bytes')
    expect(formatSize(12 * 1024)).toBe('12 KB')
    expect(formatSize(1.4 * 1024 * 1024)).toBe('1.4 MB')
  })
})

describe('a staff chat that could not start reads as a sentence', () => {
  it('says what to do, never the validator', () => {
    expect(startChatErrorSentence(new ApiError(404, 'not_found', 'no such colleagues'))).toMatch(/Pick your colleagues again/)
    const invalid = startChatErrorSentence(new ApiError(422, 'validation_error', 'participant_ids: List should have'))
    expect(invalid).not.toMatch(/List should/)
  })
})
