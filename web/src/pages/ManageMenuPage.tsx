import { useState } from 'react'
import { api } from '../api'
import type { MenuItem } from '../api/types'
import { MenuItemEditor } from '../components/manage/MenuItemEditor'
import { groupByCategory } from '../components/MenuList'
import { Button, EmptyState, ErrorMessage, Field, Loading, Money, Notice, PageHeader } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useResource } from '../hooks/useResource'
import { fieldErrors, formError } from '../lib/formErrors'
import { invalidate } from '../lib/invalidation'

/** The kitchen and managers keep the room-service menu: dishes, prices, photos, what is on. */
export function ManageMenuPage() {
  const menu = useResource((signal) => api.menu.all(signal), 'menu-all', ['menu'])
  const [editing, setEditing] = useState<number | 'new' | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const [renaming, setRenaming] = useState<{ name: string; value: string } | null>(null)
  const toggle = useAction(async (item: MenuItem) => {
    await api.menu.update(item.id, { is_available: !item.is_available })
    invalidate('menu')
  })
  const rename = useAction(api.menu.renameCategory)
  const items = menu.data ?? []
  const categories = [...new Set(items.map((i) => i.category))]
  const currency = items[0]?.currency ?? 'KES'
  const renameErrors = fieldErrors(rename.error, { new_name: 'Give the category a name of up to 60 characters.' })

  function done(item: MenuItem | null) {
    setEditing(null)
    setSaved(item ? `${item.name} is saved.` : null)
  }

  return (
    <>
      <PageHeader title="Menu">
        <Button onClick={() => { setSaved(null); setEditing('new') }}>New dish</Button>
      </PageHeader>
      {saved && <Notice>{saved}</Notice>}
      {editing === 'new' && <MenuItemEditor categories={categories} currency={currency} onDone={done} />}
      <ErrorMessage error={menu.error} onRetry={menu.reload} />
      {toggle.error ? <div className="alert alert-error" role="alert">{formError(toggle.error, {})}</div> : null}
      {menu.loading && !menu.data && <Loading label="Loading the menu…" />}
      {menu.data && items.length === 0 && <EmptyState title="The menu is empty.">Add the first dish.</EmptyState>}
      {groupByCategory(items).map(([category, dishes]) => (
        <section key={category} className="menu-category" aria-label={category}>
          {renaming?.name === category ? (
            <form
              className="rename-form"
              onSubmit={async (e) => {
                e.preventDefault()
                if (await rename.run(category, renaming.value.trim())) {
                  setRenaming(null)
                  invalidate('menu')
                }
              }}
            >
              <Field label={`Rename ${category}`} error={renameErrors.new_name ?? (rename.error ? formError(rename.error, {}) ?? undefined : undefined)}>
                <input value={renaming.value} maxLength={60} autoFocus
                  onChange={(e) => setRenaming({ name: category, value: e.target.value })} />
              </Field>
              <div className="button-row">
                <Button type="submit" small busy={rename.pending} disabled={!renaming.value.trim()}>Rename</Button>
                <Button small variant="ghost" onClick={() => setRenaming(null)}>Cancel</Button>
              </div>
            </form>
          ) : (
            <div className="category-head">
              <h2>{category}</h2>
              <Button small variant="ghost" onClick={() => { rename.reset(); setRenaming({ name: category, value: category }) }}>
                Rename
              </Button>
            </div>
          )}
          <ul className="manage-dishes">
            {dishes.map((item) =>
              editing === item.id ? (
                <li key={item.id}>
                  <MenuItemEditor item={item} categories={categories} currency={currency} onDone={done} />
                </li>
              ) : (
                <li key={item.id} className={item.is_available ? 'dish-row' : 'dish-row unavailable'} data-testid="dish-row">
                  {item.image_url ? (
                    <img className="dish-thumb" src={item.photo?.thumbnail_url ?? item.image_url} alt="" />
                  ) : (
                    <div className="dish-thumb dish-thumb-empty" aria-hidden="true" />
                  )}
                  <div className="dish-text">
                    <strong>{item.name}</strong>
                    <span className="muted small">
                      <Money amount={item.price} currency={item.currency} />
                      {!item.is_available && ' · not available'}
                    </span>
                  </div>
                  <div className="button-row">
                    <Button small variant="secondary" onClick={() => { setSaved(null); setEditing(item.id) }}>
                      Edit
                    </Button>
                    <Button small variant="ghost" busy={toggle.pending} onClick={() => void toggle.run(item)}>
                      {item.is_available ? 'Mark unavailable' : 'Mark available'}
                    </Button>
                  </div>
                </li>
              ),
            )}
          </ul>
        </section>
      ))}
    </>
  )
}
