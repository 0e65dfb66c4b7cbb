/** Cash at the front desk: what goes towards the bill and the change to hand back. The API
 * takes no more than is due, so cash beyond it is sent as `tendered` and comes back as change. */
export interface CashSplit {
  /** Paid towards the bill (minor units). */
  paid: number
  /** Handed back to the guest (minor units). */
  change: number
}

export function splitCash(received: number, due: number): CashSplit {
  const paid = Math.min(received, Math.max(0, due))
  return { paid, change: received - paid }
}
