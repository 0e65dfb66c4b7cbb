import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { hotel, loadHotel } from './lib/hotel'
import { restoreSessionOnce } from './lib/session'
import './styles.css'

// The session and the hotel's profile are asked for at once, before the app renders.
void restoreSessionOnce().catch(() => undefined)
void loadHotel().then(() => {
  document.title = hotel().name
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
})
