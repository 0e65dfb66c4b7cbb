/* The service worker of the web UI: shows the hotel's push messages and opens what a
   message is about when it is clicked. Messages arrive encrypted (RFC 8291); the browser
   has decrypted them by the time `push` fires. */

self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))

self.addEventListener('push', (event) => {
  let message = {}
  try {
    message = event.data ? event.data.json() : {}
  } catch {
    message = { title: event.data ? event.data.text() : '' }
  }
  const title = message.title || 'Premier Hotel'
  const options = {
    body: message.body || '',
    tag: message.tag || undefined,
    renotify: Boolean(message.tag),
    requireInteraction: message.priority === 'urgent',
    data: { url: typeof message.url === 'string' && message.url.startsWith('/') ? message.url : '/notifications' },
  }
  event.waitUntil(self.registration.showNotification(title, options))
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const target = new URL(event.notification.data?.url || '/notifications', self.location.origin).href
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin)
      if (open) return open.focus().then((client) => client.navigate(target))
      return self.clients.openWindow(target)
    }),
  )
})
