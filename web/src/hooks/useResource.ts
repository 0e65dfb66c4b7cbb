import { useCallback, useEffect, useRef, useState } from 'react'
import { subscribe, type Topic } from '../lib/invalidation'

export interface Resource<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  reload: () => void
}

/**
 * Load data for a view. Reloads when `key` changes, when `reload()` is called and when one of
 * `topics` is invalidated (after a mutation or a live update). Keeps showing the previous data
 * while reloading so lists do not flicker. Pass `key = null` to load nothing.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string | null,
  topics: Topic[] = [],
): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(key !== null)
  const [generation, setGeneration] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load

  const reload = useCallback(() => setGeneration((n) => n + 1), [])

  useEffect(() => {
    if (key === null) {
      setLoading(false)
      return
    }
    const controller = new AbortController()
    setLoading(true)
    loadRef
      .current(controller.signal)
      .then((value) => {
        if (controller.signal.aborted) return
        setData(value)
        setError(null)
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return
        setError(err)
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false)
      })
    return () => controller.abort()
  }, [key, generation])

  const topicKey = topics.join(',')
  useEffect(() => {
    const unsubscribers = topicKey
      .split(',')
      .filter(Boolean)
      .map((topic) => subscribe(topic as Topic, reload))
    return () => unsubscribers.forEach((stop) => stop())
  }, [topicKey, reload])

  return { data, error, loading, reload }
}
