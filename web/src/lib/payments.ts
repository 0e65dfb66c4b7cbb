/** What a payment's status means to the pages that show it, said once. */

/** Went through (a receipt exists), refunds or not: as the API's receipts.PAID. */
export const PAID_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'partially_refunded', 'refunded'])

/** Counts towards the bill (net of its refunds), as the front desk counts it. */
export const COUNTED_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'partially_refunded'])
