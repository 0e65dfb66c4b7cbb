import { describe, expect, it } from 'vitest'
import { reportUnread, watchUnread } from './unreadMessages'

function nextMessage<T>(channel: BroadcastChannel): Promise<T> {
  return new Promise((resolve) => {
    channel.onmessage = (event: MessageEvent<T>) => resolve(event.data)
  })
}

describe('the unread message count shared by tabs', () => {
  it('never lets an older count replace a newer one', () => {
    const seen: number[] = []
    const stop = watchUnread(1, (total) => seen.push(total))
    reportUnread(1, 3, 1000)
    reportUnread(1, 0, 2000) // read in some tab
    reportUnread(1, 3, 1500) // a reload that set out before the read came back late
    expect(seen).toEqual([3, 0])
    stop()
  })

  it('tells the other tabs, and follows what they tell', async () => {
    const otherTab = new BroadcastChannel('premier-unread-2')
    const seen: number[] = []
    const stop = watchUnread(2, (total) => seen.push(total))
    const told = nextMessage<{ total: number; at: number }>(otherTab)
    reportUnread(2, 4, 5000)
    expect((await told).total).toBe(4)

    const followed = new Promise<void>((resolve) => {
      const stopToo = watchUnread(2, (total) => {
        if (total === 0) {
          stopToo()
          resolve()
        }
      })
    })
    otherTab.postMessage({ total: 0, at: 6000 })
    await followed
    expect(seen).toEqual([4, 0])
    stop()
    otherTab.close()
  })
})
