import { useEffect, useRef, useState } from 'react'
import { useUnreadCount } from '../hooks/useHotel'
import { NotificationBell } from './NotificationBell'
import { NotificationDropdown } from './NotificationDropdown'

/** The notification centre in the header: the bell with its unread badge, the dropdown,
 *  and the unread count in the tab's title. Everything reloads on live events. */
export function NotificationCenter() {
  const [open, setOpen] = useState(false)
  const count = useUnreadCount(true)
  const unread = count.data?.unread ?? 0
  const wrap = useRef<HTMLDivElement>(null)
  const baseTitle = useRef(document.title.replace(/^\(\d+\+?\) /, ''))

  useEffect(() => {
    document.title = unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${baseTitle.current}` : baseTitle.current
  }, [unread])
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
