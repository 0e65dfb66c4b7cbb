import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { hotel, loadHotel } from './lib/hotel'
import './styles.css'

void loadHotel().then(() => {
  document.title = hotel().name
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
})
