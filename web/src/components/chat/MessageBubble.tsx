import type { Attachment, ChatMessage } from '../../api/types'
import { formatDateTime } from '../../lib/dates'
import { fileTypeLabel, formatSize, isImage } from '../../lib/chat'

function AttachmentView({ attachment, index }: { attachment: Attachment; index: number }) {
  if (isImage(attachment)) {
    return (
      <a className="chat-attachment-image" href={attachment.url} target="_blank" rel="noreferrer">
        <img
          src={attachment.variants?.thumbnail ?? attachment.url}
          alt={attachment.filename || `Attached picture ${index + 1}`}
          width={attachment.width ?? undefined}
          height={attachment.height ?? undefined}
          loading="lazy"
        />
      </a>
    )
  }
  return (
    <a
      className="chat-attachment-file"
      href={attachment.url}
      target="_blank"
      rel="noreferrer"
      title={`${attachment.filename} (${fileTypeLabel(attachment)}, ${formatSize(attachment.size)})`}
    >
      {attachment.filename || `Attached document ${index + 1}`}
      <span className="muted"> · {fileTypeLabel(attachment)}</span>
    </a>
  )
}

/** One message; the body is shown as text, never as markup. A note is marked staff-only. */
export function MessageBubble({ message, mine, read }: { message: ChatMessage; mine: boolean; read: boolean }) {
  const note = message.kind === 'note'
  const classes = ['chat-message', mine ? 'chat-mine' : 'chat-theirs', note ? 'chat-note' : '']
  return (
    <li className={classes.filter(Boolean).join(' ')} data-testid="chat-message" data-kind={message.kind}>
      <div className="chat-bubble">
        {note && <div className="chat-note-label">Internal note · only staff see this</div>}
        {!mine && <div className="chat-sender">{message.sender_name}</div>}
        <div className="chat-body">{message.body}</div>
        {message.attachments.length > 0 && (
          <div className="chat-attachments">
            {message.attachments.map((attachment, index) => (
              <AttachmentView key={attachment.id} attachment={attachment} index={index} />
            ))}
          </div>
        )}
        <div className="chat-meta">
          <time dateTime={message.created_at}>{formatDateTime(message.created_at)}</time>
          {mine && !note && (
            <span className="chat-receipt" data-testid="read-receipt">
              {read ? ' · Seen' : ' · Sent'}
            </span>
          )}
        </div>
      </div>
    </li>
  )
}
