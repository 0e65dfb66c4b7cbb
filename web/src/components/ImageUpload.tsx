/**
 * Photos for one thing (a room type's gallery, a dish): drop files, paste them or pick them,
 * watch each upload's progress, then reorder or remove. The parent owns the list of photos
 * (upload ids with a preview URL) and saves it; this component only uploads.
 */
import { useRef, useState, type ClipboardEvent, type DragEvent } from 'react'
import type { UploadPurpose } from '../api/types'
import { IMAGE_TYPES, uploadErrorSentence, uploadImage } from '../api/upload'

export interface Photo {
  upload_id: number
  url: string
}

interface Pending {
  key: number
  name: string
  preview: string
  progress: number
  error?: string
}

interface Props {
  purpose: UploadPurpose
  photos: Photo[]
  onChange: (photos: Photo[]) => void
  /** One photo (a dish) or a gallery. */
  multiple?: boolean
  max?: number
  label?: string
  disabled?: boolean
  /** A gallery's first photo is its cover; a review's photos have none. */
  cover?: boolean
}

let nextKey = 1

export function ImageUpload({
  purpose,
  photos,
  onChange,
  multiple = true,
  max = 20,
  label = 'Photos',
  disabled,
  cover = true,
}: Props) {
  const [pending, setPending] = useState<Pending[]>([])
  const [dragging, setDragging] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const photosRef = useRef(photos)
  photosRef.current = photos

  function update(key: number, change: Partial<Pending>) {
    setPending((list) => list.map((p) => (p.key === key ? { ...p, ...change } : p)))
  }

  async function start(files: File[]) {
    setNotice(null)
    const images = files.filter((f) => IMAGE_TYPES.includes(f.type))
    if (images.length < files.length) {
      setNotice('Only photos can be added here (JPEG, PNG, WebP or GIF).')
    }
    const room = multiple ? max - photosRef.current.length : 1
    if (room <= 0) {
      setNotice(`A gallery holds at most ${max} photos. Remove one to add another.`)
      return
    }
    const chosen = images.slice(0, room)
    if (images.length > chosen.length) setNotice(`Only ${room} more photo${room === 1 ? '' : 's'} fit; the rest were left out.`)
    await Promise.all(
      chosen.map(async (file) => {
        const key = nextKey++
        const preview = URL.createObjectURL(file)
        setPending((list) => [...list, { key, name: file.name || 'pasted photo', preview, progress: 0 }])
        try {
          const upload = await uploadImage({ file, purpose, onProgress: (f) => update(key, { progress: f }) })
          const url = upload.variants?.medium ?? upload.url
          const current = photosRef.current.filter((p) => p.upload_id !== upload.id)
          onChange(multiple ? [...current, { upload_id: upload.id, url }] : [{ upload_id: upload.id, url }])
          setPending((list) => list.filter((p) => p.key !== key))
          URL.revokeObjectURL(preview)
        } catch (error) {
          update(key, { error: uploadErrorSentence(error), progress: 0 })
        }
      }),
    )
  }

  function move(index: number, by: number) {
    const next = [...photos]
    const [photo] = next.splice(index, 1)
    next.splice(index + by, 0, photo)
    onChange(next)
  }

  function onDrop(event: DragEvent) {
    event.preventDefault()
    setDragging(false)
    if (!disabled) void start(Array.from(event.dataTransfer.files))
  }

  function onPaste(event: ClipboardEvent) {
    const files = Array.from(event.clipboardData.files)
    if (files.length && !disabled) {
      event.preventDefault()
      void start(files)
    }
  }

  return (
    <div className="image-upload" data-testid="image-upload">
      <span className="field-label">{label}</span>
      {photos.length > 0 && (
        <ol className="photo-grid" aria-label={label}>
          {photos.map((photo, index) => (
            <li key={photo.upload_id} className="photo-tile" data-testid="photo-tile">
              <img src={photo.url} alt={`Photo ${index + 1}`} />
              {multiple && cover && index === 0 && <span className="photo-cover">Cover</span>}
              <div className="photo-actions">
                {multiple && (
                  <>
                    <button type="button" className="icon-button" disabled={index === 0} onClick={() => move(index, -1)}
                      aria-label={`Move photo ${index + 1} earlier`}>←</button>
                    <button type="button" className="icon-button" disabled={index === photos.length - 1}
                      onClick={() => move(index, 1)} aria-label={`Move photo ${index + 1} later`}>→</button>
                  </>
                )}
                <button type="button" className="icon-button danger" aria-label={`Remove photo ${index + 1}`}
                  onClick={() => onChange(photos.filter((p) => p.upload_id !== photo.upload_id))}>×</button>
              </div>
            </li>
          ))}
        </ol>
      )}
      {pending.length > 0 && (
        <ul className="upload-list">
          {pending.map((p) => (
            <li key={p.key} className={p.error ? 'upload-item upload-failed' : 'upload-item'}>
              <img src={p.preview} alt="" />
              <div className="upload-item-body">
                <span className="upload-name">{p.name}</span>
                {p.error ? (
                  <span className="field-error" role="alert">{p.error}</span>
                ) : (
                  <progress max={1} value={p.progress} aria-label={`Uploading ${p.name}`} />
                )}
              </div>
              {p.error && (
                <button type="button" className="icon-button" aria-label="Dismiss"
                  onClick={() => setPending((list) => list.filter((x) => x.key !== p.key))}>×</button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div
        className={`drop-zone${dragging ? ' drop-zone-active' : ''}`}
        role="button"
        tabIndex={0}
        aria-disabled={disabled}
        onClick={() => !disabled && input.current?.click()}
        onKeyDown={(e) => {
          if ((e.key === 'Enter' || e.key === ' ') && !disabled) {
            e.preventDefault()
            input.current?.click()
          }
        }}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        onPaste={onPaste}
      >
        <strong>{multiple ? 'Add photos' : photos.length ? 'Replace the photo' : 'Add a photo'}</strong>
        <span className="muted small">Drop them here, paste, or click to choose · JPEG, PNG, WebP or GIF</span>
        <input
          ref={input}
          type="file"
          accept={IMAGE_TYPES.join(',')}
          multiple={multiple}
          hidden
          data-testid="photo-input"
          onChange={(e) => {
            void start(Array.from(e.target.files ?? []))
            e.target.value = ''
          }}
        />
      </div>
      {notice && <span className="field-hint">{notice}</span>}
    </div>
  )
}
