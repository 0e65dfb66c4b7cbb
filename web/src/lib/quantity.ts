import type { MenuItem } from '../api/types'

/** How many of a dish one order may hold: the API's own limit, served with each dish
 * (`max_quantity`, from the server's constant), so the + button stops where the API does. */
export function cappedQuantity(item: Pick<MenuItem, 'max_quantity'>, quantity: number): number {
  return Math.min(quantity, item.max_quantity ?? Number.POSITIVE_INFINITY)
}
