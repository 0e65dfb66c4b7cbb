import { useEffect, useState } from 'react'

/** The current time, re-read every `everyMs`, so what depends on it (a wait shown in
 * minutes) moves on by itself without a reload. */
export function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), everyMs)
    return () => window.clearInterval(timer)
  }, [everyMs])
  return now
}
