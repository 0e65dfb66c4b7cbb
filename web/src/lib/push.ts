/**
 * Web Push on this device: the permission is asked only when the person turns push on (a
 * click), and their choice is remembered for this device (localStorage), together with a
 * device id the server keeps one subscription under.
 */
import type { Endpoints } from '../api/endpoints'

const DEVICE_KEY = 'premier.device-id'
const CHOICE_KEY = 'premier.push'

export type PushState = 'unsupported' | 'denied' | 'off' | 'on'

export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY)
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(12))
    id = 'dev-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
    localStorage.setItem(DEVICE_KEY, id)
  }
  return id
}

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window
}

export function pushState(): PushState {
  if (!pushSupported()) return 'unsupported'
  if (Notification.permission === 'denied') return 'denied'
  return localStorage.getItem(CHOICE_KEY) === 'on' && Notification.permission === 'granted' ? 'on' : 'off'
}

/** The base64url key as the bytes `applicationServerKey` wants. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const padded = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/')
  const raw = atob(padded)
  const bytes = new Uint8Array(new ArrayBuffer(raw.length))
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i)
  return bytes
}

async function subscribeHere(api: Endpoints): Promise<void> {
  const registration = await navigator.serviceWorker.register('/sw.js')
  await navigator.serviceWorker.ready
  const { public_key } = await api.push.publicKey()
  const existing = await registration.pushManager.getSubscription()
  const subscription =
    existing ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(public_key) }))
  const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } }
  await api.push.subscribe({
    endpoint: json.endpoint,
    keys: json.keys,
    device_id: deviceId(),
    user_agent: navigator.userAgent.slice(0, 300),
  })
}

/** Turn push on for this device; call it from a click (browsers ask only then). */
export async function enablePush(api: Endpoints): Promise<PushState> {
  if (!pushSupported()) return 'unsupported'
  const permission = await Notification.requestPermission()
  if (permission !== 'granted') {
    localStorage.setItem(CHOICE_KEY, 'off')
    return permission === 'denied' ? 'denied' : 'off'
  }
  await subscribeHere(api)
  localStorage.setItem(CHOICE_KEY, 'on')
  return 'on'
}

export async function disablePush(api: Endpoints): Promise<PushState> {
  localStorage.setItem(CHOICE_KEY, 'off')
  if (pushSupported()) {
    const registration = await navigator.serviceWorker.getRegistration('/sw.js')
    const subscription = await registration?.pushManager.getSubscription()
    await subscription?.unsubscribe()
  }
  await api.push.unsubscribe({ device_id: deviceId() })
  return pushState()
}

/** At sign-in: a device that has push on tells the server its current subscription (the
 *  browser may have renewed it). Never asks for permission. */
export async function resumePush(api: Endpoints): Promise<void> {
  if (pushState() !== 'on') return
  try {
    await subscribeHere(api)
  } catch {
    // offline or the push service unreachable: tried again at the next sign-in
  }
}
