import { Link } from 'react-router'
import { EmptyState } from '../components/ui'

export function NotFoundPage() {
  return (
    <EmptyState title="There is nothing at this address.">
      <Link to="/">Go to the start page</Link>
    </EmptyState>
  )
}
