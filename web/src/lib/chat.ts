/** Words and sentences the messaging views share. */
import { ApiError } from '../api/client'
import type { Attachment, Inbox } from '../api/types'

export const INBOX_LABELS: Record<Inbox, string> = {
  front_desk: 'Front desk',
  concierge: 'Concierge',
  housekeeping: 'Housekeeping',
  kitchen: 'Kitchen',
}

export function inboxLabel(inbox: Inbox | null | undefined): string {
  return inbox ? INBOX_LABELS[inbox] : 'Team chat'
}

/** The sentence a person sees when a message could not be sent (never a validator's words). */
export function sendErrorSentence(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The message could not be sent. Try again.'
  if (error.status === 0 || error.code === 'network_error') {
    return 'The message did not reach the hotel. Check your connection and send it again.'
  }
  if (error.status === 429) return 'You are sending messages very fast. Wait a minute, then send it again.'
  if (error.status === 422) return 'A message needs some text, at most 4,000 characters.'
  if (error.status === 404) return 'This conversation is no longer open to you.'
  if (error.status === 403) return 'Your account may not send this here.'
  if (error.status === 409) return 'This message was already sent elsewhere. Write it again to send it here.'
  if (error.status === 401) return 'Your session has ended. Sign in again, then send the message.'
  return 'The message could not be sent. Try again in a moment.'
}

/** The sentence when a staff chat could not be started. */
export function startChatErrorSentence(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The chat could not be started. Try again.'
  if (error.status === 0 || error.code === 'network_error') {
    return 'The hotel server could not be reached. Check your connection and try again.'
  }
  if (error.status === 404) return 'Someone you picked can no longer be added. Pick your colleagues again.'
  if (error.status === 422) return 'Pick at least one colleague, at most 50; a subject has at most 200 characters.'
  if (error.status === 403) return 'Your account may not start chats.'
  if (error.status === 401) return 'Your session has ended. Sign in again, then start the chat.'
  return 'The chat could not be started. Try again in a moment.'
}

/** The sentence for a refused assign, close or reopen. */
export function actionErrorSentence(error: unknown): string {
  if (!(error instanceof ApiError)) return 'That did not work. Try again.'
  if (error.status === 0) return 'The hotel server could not be reached. Check your connection and try again.'
  if (error.status === 404) return 'This conversation is no longer open to you.'
  if (error.status === 403) return 'Your account may not do that here.'
  if (error.status === 409 || error.status === 422) return 'That colleague cannot take this conversation.'
  return 'That did not work. Try again in a moment.'
}

/** A picture shows as a thumbnail; anything else (a PDF) as a link named after the file. */
export function isImage(attachment: Attachment): boolean {
  return attachment.content_type.startsWith('image/')
}

/** A short word for a file's type, shown beside its name: "PDF", "PNG"… */
export function fileTypeLabel(attachment: Attachment): string {
  if (attachment.content_type === 'application/pdf') return 'PDF'
  const extension = attachment.filename.includes('.') ? attachment.filename.split('.').pop() : ''
  return (extension || attachment.content_type.split('/').pop() || 'file').toUpperCase()
}

/** A file's size for people: "830 bytes", "12 KB", "1.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** How often a typing signal goes out while someone keeps typing. */
export const TYPING_EVERY_MS = 4000
