import { useEffect, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react'
import { api } from '../../api'
import type { CannedReply, ChatMessage } from '../../api/types'
import { FILE_TYPES, uploadErrorSentence, uploadFile } from '../../api/upload'
import { useResource } from '../../hooks/useResource'
import { sendErrorSentence, TYPING_EVERY_MS } from '../../lib/chat'
import { SubmissionKey } from '../../lib/idempotency'
import { Button } from '../ui'

const MAX_ATTACHMENTS = 10

interface PendingFile {
  key: string
  name: string
  progress: number
  uploadId?: number
  error?: string
}

interface ComposerProps {
  conversationId: number
  /** Staff get internal notes and canned replies. */
  staff: boolean
  onSent: (message: ChatMessage) => void
}

/** Canned replies offered while the text is "/shortcut" (staff only). */
function useCannedSuggestions(conversationId: number, text: string, enabled: boolean): CannedReply[] {
  const asking = enabled && text.startsWith('/')
  const replies = useResource(
    (signal) => api.messages.cannedReplies(conversationId, signal),
    asking ? `canned-${conversationId}` : null,
  )
  if (!asking) return []
  const typed = text.slice(1).toLowerCase()
  return (replies.data ?? []).filter((reply) => reply.shortcut.startsWith(typed)).slice(0, 6)
}

/**
 * Writing a message: text, attachments (uploaded as soon as they are picked, with progress),
 * an internal-note switch and canned replies for staff. One click sends once: the button
 * locks while the message is in flight, and every retry of one message carries the same
 * client_message_id, so the server stores it once.
 */
export function Composer({ conversationId, staff, onSent }: ComposerProps) {
  const [text, setText] = useState('')
  const [note, setNote] = useState(false)
  const [files, setFiles] = useState<PendingFile[]>([])
  const [sending, setSending] = useState(false)
  const [error, setError] = useState('')
  const [highlight, setHighlight] = useState(0)
  const messageKey = useRef(new SubmissionKey())
  const inFlight = useRef(false)
  const lastTyping = useRef(0)
  const fileInput = useRef<HTMLInputElement>(null)
  const suggestions = useCannedSuggestions(conversationId, text, staff)

  useEffect(() => {
    setText('')
    setFiles([])
    setError('')
    setNote(false)
    messageKey.current = new SubmissionKey()
  }, [conversationId])

  const uploading = files.some((file) => file.uploadId === undefined && !file.error)
  const ready = files.filter((file) => file.uploadId !== undefined)
  const canSend = text.trim().length > 0 && !uploading && !sending

  function changed(value: string) {
    setText(value)
    setHighlight(0)
    if (error) setError('')
    const now = Date.now()
    // Looking up a canned reply ("/…") is not writing to the guest yet.
    if (value.trim() && !(staff && value.startsWith('/')) && now - lastTyping.current >= TYPING_EVERY_MS) {
      lastTyping.current = now
      api.messages.typing(conversationId, note).catch(() => undefined)
    }
  }

  function pick(reply: CannedReply) {
    setText(reply.rendered ?? reply.body)
  }

  async function send() {
    if (inFlight.current || !canSend) return
    inFlight.current = true
    setSending(true)
    setError('')
    try {
      const message = await api.messages.send({
        conversation_id: conversationId,
        body: text,
        client_message_id: messageKey.current.get(),
        attachment_ids: ready.map((file) => file.uploadId!),
        internal: staff && note,
      })
      messageKey.current.settle()
      setText('')
      setFiles([])
      lastTyping.current = 0
      onSent(message)
    } catch (err) {
      messageKey.current.settle(err)
      setError(sendErrorSentence(err))
    } finally {
      inFlight.current = false
      setSending(false)
    }
  }

  function keyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        const step = event.key === 'ArrowDown' ? 1 : -1
        setHighlight((h) => (h + step + suggestions.length) % suggestions.length)
        return
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault()
        pick(suggestions[Math.min(highlight, suggestions.length - 1)])
        return
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      void send()
    }
  }

  function attach(event: ChangeEvent<HTMLInputElement>) {
    const picked = Array.from(event.target.files ?? []).slice(0, MAX_ATTACHMENTS - files.length)
    event.target.value = ''
    for (const file of picked) {
      const key = `${file.name}-${Date.now()}-${Math.random()}`
      const update = (change: Partial<PendingFile>) =>
        setFiles((all) => all.map((f) => (f.key === key ? { ...f, ...change } : f)))
      setFiles((all) => [...all, { key, name: file.name, progress: 0 }])
      if (!FILE_TYPES.includes(file.type)) {
        update({ error: 'Only pictures (JPEG, PNG, WebP, GIF) and PDFs can be attached.' })
        continue
      }
      uploadFile({ file, purpose: 'message', onProgress: (progress) => update({ progress }) })
        .then((upload) => update({ uploadId: upload.id, progress: 1 }))
        .catch((err: unknown) => update({ error: uploadErrorSentence(err, 'file') }))
    }
  }

  return (
    <div className={note ? 'chat-composer chat-composer-note' : 'chat-composer'}>
      {suggestions.length > 0 && (
        <ul className="canned-list" role="listbox" aria-label="Canned replies">
          {suggestions.map((reply, index) => (
            <li key={reply.id} role="option" aria-selected={index === highlight}>
              <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => pick(reply)}>
                <strong>/{reply.shortcut}</strong> <span>{reply.rendered ?? reply.body}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="chat-uploads" aria-label="Attachments">
          {files.map((file) => (
            <li key={file.key} className={file.error ? 'chat-upload-error' : undefined}>
              <span className="chat-upload-name">{file.name}</span>
              {file.error ? (
                <span role="alert">{file.error}</span>
              ) : file.uploadId === undefined ? (
                <progress max={1} value={file.progress} aria-label={`Uploading ${file.name}`} />
              ) : (
                <span className="muted">ready</span>
              )}
              <button
                type="button"
                className="btn btn-ghost btn-small"
                aria-label={`Remove ${file.name}`}
                onClick={() => setFiles((all) => all.filter((f) => f.key !== file.key))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <label className="sr-only" htmlFor={`composer-${conversationId}`}>
        {note ? 'Note for staff' : 'Message'}
      </label>
      <textarea
        id={`composer-${conversationId}`}
        className="chat-input"
        rows={2}
        value={text}
        maxLength={4000}
        placeholder={note ? 'Write a note only staff will see…' : staff ? 'Write a reply (type / for canned replies)…' : 'Write a message…'}
        onChange={(event) => changed(event.target.value)}
        onKeyDown={keyDown}
      />
      <div className="chat-composer-actions">
        <input
          ref={fileInput}
          type="file"
          hidden
          multiple
          accept={FILE_TYPES.join(',')}
          onChange={attach}
          data-testid="attach-input"
        />
        <Button
          variant="ghost"
          small
          disabled={files.length >= MAX_ATTACHMENTS}
          onClick={() => fileInput.current?.click()}
        >
          Attach a file
        </Button>
        {staff && (
          <label className="chat-note-toggle">
            <input type="checkbox" checked={note} onChange={(event) => setNote(event.target.checked)} />
            Internal note (staff only)
          </label>
        )}
        <Button className="chat-send" busy={sending} disabled={!canSend} onClick={() => void send()}>
          {sending ? 'Sending…' : note ? 'Add note' : 'Send'}
        </Button>
      </div>
    </div>
  )
}
