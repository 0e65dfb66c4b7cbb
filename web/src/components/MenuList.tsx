import type { MenuItem } from '../api/types'
import { cappedQuantity } from '../lib/quantity'
import { Button, Money } from './ui'

interface Props {
  items: MenuItem[]
  quantities: Record<number, number>
  onAdd: (item: MenuItem) => void
}

const COURSE_ORDER = ['breakfast', 'starters', 'mains', 'desserts', 'drinks']

function courseRank(category: string): number {
  const rank = COURSE_ORDER.indexOf(category.toLowerCase())
  return rank === -1 ? COURSE_ORDER.length : rank
}

/** Categories in the order of a meal; unknown ones after, as the API lists them. */
export function groupByCategory(items: MenuItem[]): [string, MenuItem[]][] {
  const groups = new Map<string, MenuItem[]>()
  for (const item of items) {
    const list = groups.get(item.category) ?? []
    list.push(item)
    groups.set(item.category, list)
  }
  return [...groups.entries()].sort(([a], [b]) => courseRank(a) - courseRank(b))
}

export function MenuList({ items, quantities, onAdd }: Props) {
  return (
    <div className="menu">
      {groupByCategory(items).map(([category, dishes]) => (
        <section key={category} className="menu-category">
          <h2>{category}</h2>
          <ul className="menu-items">
            {dishes.map((item) => (
              <li key={item.id} className={item.is_available ? 'menu-item' : 'menu-item unavailable'}>
                {item.image_url && (
                  <img
                    className="menu-item-photo"
                    src={item.photo?.thumbnail_url ?? item.image_url}
                    alt={item.name}
                    loading="lazy"
                  />
                )}
                <div className="menu-item-text">
                  <strong>{item.name}</strong>
                  {item.description && <span className="muted">{item.description}</span>}
                </div>
                <div className="menu-item-buy">
                  <Money amount={item.price} currency={item.currency} />
                  {item.is_available ? (
                    <Button
                      small
                      variant="secondary"
                      onClick={() => onAdd(item)}
                      aria-label={`Add ${item.name}`}
                      disabled={cappedQuantity(item, (quantities[item.id] ?? 0) + 1) === (quantities[item.id] ?? 0)}
                    >
                      {quantities[item.id] ? `Add (${quantities[item.id]})` : 'Add'}
                    </Button>
                  ) : (
                    <span className="muted">unavailable</span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  )
}
