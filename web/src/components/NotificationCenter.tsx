import { useEffect, useRef, useState } from 'react'
import { useUnreadCount } from '../hooks/useHotel'
import { NotificationBell } from './NotificationBell'
import { NotificationDropdown } from './NotificationDropdown'

/** The notification centre in the header: the bell with its unread badge, the dropdown,
 *  and the unread count in the tab's title: unread notifications plus `unreadMessages`
 *  (the messaging inbox), so the title has one count. Everything reloads on live events. */
export function NotificationCenter({ unreadMessages = 0 }: { unreadMessages?: number }) {
  const [open, setOpen] = useState(false)
  const count = useUnreadCount(true)
  const unread = count.data?.unread ?? 0
  const inTitle = unread + unreadMessages
  const wrap = useRef<HTMLDivElement>(null)
  const baseTitle = useRef(document.title.replace(/^\(\d+\+?\) /, ''))

  useEffect(() => {
    document.title = inTitle > 0 ? `(${inTitle > 99 ? '99+' : inTitle}) ${baseTitle.current}` : baseTitle.current
  }, [inTitle])
  useEffect(() => {
    const title = baseTitle.current
    return () => {
      document.title = title
    }
  }, [])

  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !wrap.current?.contains(event.target as Node)) {
        setOpen(false)
      }
    }
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', close)
    }
  }, [open])

  return (
    <div className="bell" ref={wrap}>
      <NotificationBell unread={unread} open={open} onToggle={() => setOpen((o) => !o)} />
      {open && <NotificationDropdown unread={unread} onClose={() => setOpen(false)} />}
    </div>
  )
}
