/** What a payment's status means to the pages that show it, said once. */
import type { PaymentStatus } from '../api/types'

/**
 * Every status the API declares, decided: `paid` went through (a receipt exists), refunds or
 * not, as the API's receipts.PAID; `counted` counts towards the bill (net of its refunds), as
 * the front desk counts it. A status the server adds fails the type check until it is here.
 */
const MEANING: Record<PaymentStatus, { paid: boolean; counted: boolean }> = {
  pending: { paid: false, counted: false },
  processing: { paid: false, counted: false },
  succeeded: { paid: true, counted: true },
  failed: { paid: false, counted: false },
  cancelled: { paid: false, counted: false },
  refunded: { paid: true, counted: false },
  partially_refunded: { paid: true, counted: true },
  voided: { paid: false, counted: false },
}

function statusesWhere(test: (meaning: { paid: boolean; counted: boolean }) => boolean): ReadonlySet<PaymentStatus> {
  return new Set((Object.keys(MEANING) as PaymentStatus[]).filter((status) => test(MEANING[status])))
}

export const PAID_STATUSES = statusesWhere((m) => m.paid)

export const COUNTED_STATUSES = statusesWhere((m) => m.counted)
