/**
 * Image uploads with progress. `fetch` cannot report an upload's progress, so this one
 * request goes through XMLHttpRequest, with the same bearer token and one retry after a
 * refreshed session as the API client's other requests.
 */
import { ApiError, BROWSER_HEADER } from './client'
import type { paths } from './schema'
import type { Upload, UploadPurpose } from './types'
import { apiClient } from '.'
import { sessionTokens } from '../lib/tokens'

export const UPLOAD_PATH = '/api/v1/uploads/image' satisfies keyof paths
/** Images or PDFs (a message's attachments). */
export const FILE_UPLOAD_PATH = '/api/v1/uploads/file' satisfies keyof paths
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif']
export const FILE_TYPES = [...IMAGE_TYPES, 'application/pdf']

export interface UploadRequest {
  file: File
  purpose: UploadPurpose
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

function parseError(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { code?: string; message?: string; details?: unknown } }
    if (body.error?.message) {
      return new ApiError(xhr.status, body.error.code ?? 'http_error', body.error.message, body.error.details ?? null)
    }
  } catch {
    // not our JSON error body: fall through
  }
  return new ApiError(xhr.status, 'http_error', `The server answered ${xhr.status}`)
}

function send({ file, purpose, onProgress, signal }: UploadRequest, path: string): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    const token = sessionTokens.get()?.access_token
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`)
    for (const [name, value] of Object.entries(BROWSER_HEADER)) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText) as Upload)
      else reject(parseError(xhr))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload did not reach the hotel server.'))
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'))
    signal?.addEventListener('abort', () => xhr.abort())
    const form = new FormData()
    form.append('purpose', purpose)
    form.append('file', file)
    xhr.send(form)
  })
}

async function sendWithRefresh(request: UploadRequest, path: string): Promise<Upload> {
  try {
    return await send(request, path)
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && (await apiClient.restoreSession())) {
      return await send(request, path)
    }
    throw error
  }
}

/** Upload one image; a 401 refreshes the session once and tries again. */
export function uploadImage(request: UploadRequest): Promise<Upload> {
  return sendWithRefresh(request, UPLOAD_PATH)
}

/** Upload one image or PDF, as uploadImage does. */
export function uploadFile(request: UploadRequest): Promise<Upload> {
  return sendWithRefresh(request, FILE_UPLOAD_PATH)
}

/** The sentence a person sees when an upload is refused (`what`: "photo", "file"). */
export function uploadErrorSentence(error: unknown, what = 'photo'): string {
  if (!(error instanceof ApiError)) return `The ${what} could not be uploaded. Try again.`
  switch (error.code) {
    case 'network_error':
      return 'The upload did not reach the hotel server. Check your connection and try again.'
    case 'file_too_large':
    case 'unsupported_file':
    case 'bad_image':
    case 'empty_file':
      return error.message.endsWith('.') ? error.message : `${error.message}.`
  }
  if (error.status === 413) return `This ${what} is too large to upload.`
  if (error.status === 415) {
    return what === 'photo'
      ? 'This file is not a photo we accept (JPEG, PNG, WebP or GIF).'
      : 'This file is not one we accept (a PDF, or a JPEG, PNG, WebP or GIF image).'
  }
  if (error.status === 401) return `Your session has ended. Sign in again, then upload the ${what}.`
  if (error.status === 403) return `Your account may not upload ${what}s here.`
  if (error.status === 429) return 'Too many uploads at once. Wait a moment and try again.'
  return `The ${what} could not be uploaded. Try again.`
}
