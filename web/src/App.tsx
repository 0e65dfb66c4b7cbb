import type { ReactNode } from 'react'
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router'
import { Layout } from './components/Layout'
import { Loading } from './components/ui'
import { AuthProvider, useAuth } from './hooks/useAuth'
import { canSee, homePath, type Area } from './lib/access'
import { AnnouncementsPage } from './pages/AnnouncementsPage'
import { BookingsPage } from './pages/BookingsPage'
import { FindRoomPage } from './pages/FindRoomPage'
import { ForgotPasswordPage } from './pages/ForgotPasswordPage'
import { FrontDeskPage } from './pages/FrontDeskPage'
import { KitchenBoardPage } from './pages/KitchenBoardPage'
import { LoginPage } from './pages/LoginPage'
import { ManageMenuPage } from './pages/ManageMenuPage'
import { ManageRoomsPage } from './pages/ManageRoomsPage'
import { MyBookingsPage } from './pages/MyBookingsPage'
import { MessagingStatsPage } from './pages/MessagingStatsPage'
import { MessagesPage } from './pages/MessagesPage'
import { DeliveryLogPage } from './pages/DeliveryLogPage'
import { NotFoundPage } from './pages/NotFoundPage'
import { NotificationPreferencesPage } from './pages/NotificationPreferencesPage'
import { NotificationsPage } from './pages/NotificationsPage'
import { RegisterPage } from './pages/RegisterPage'
import { ResetPasswordPage } from './pages/ResetPasswordPage'
import { RoomServicePage } from './pages/RoomServicePage'
import { ServiceDeskPage } from './pages/ServiceDeskPage'
import { ServiceRequestPage } from './pages/ServiceRequestPage'
import { StaffPage } from './pages/StaffPage'
import { WalkInBookingPage } from './pages/WalkInBookingPage'

/** Only for signed-in users allowed into this area; others go to sign-in or their home page. */
function Guard({ area, children }: { area?: Area; children: ReactNode }) {
  const { status, user } = useAuth()
  const location = useLocation()
  if (status === 'loading') return <Loading label="Signing you in…" />
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname }} />
  if (area && !canSee(user, area)) return <Navigate to={homePath(user)} replace />
  return <>{children}</>
}

function Home() {
  const { user } = useAuth()
  return <Navigate to={user ? homePath(user) : '/login'} replace />
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/register" element={<RegisterPage />} />
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/reset-password" element={<ResetPasswordPage />} />
            <Route path="/" element={<Guard><Home /></Guard>} />
            <Route path="/rooms" element={<Guard area="find-room"><FindRoomPage /></Guard>} />
            <Route path="/my-bookings" element={<Guard area="my-bookings"><MyBookingsPage /></Guard>} />
            <Route path="/room-service" element={<Guard area="room-service"><RoomServicePage /></Guard>} />
            <Route path="/requests" element={<Guard area="my-requests"><ServiceRequestPage /></Guard>} />
            <Route path="/desk" element={<Guard area="front-desk"><FrontDeskPage /></Guard>} />
            <Route path="/desk/new-booking" element={<Guard area="bookings"><WalkInBookingPage /></Guard>} />
            <Route path="/desk/bookings" element={<Guard area="bookings"><BookingsPage /></Guard>} />
            <Route path="/kitchen" element={<Guard area="kitchen"><KitchenBoardPage /></Guard>} />
            <Route path="/service" element={<Guard area="service-desk"><ServiceDeskPage /></Guard>} />
            <Route path="/messages" element={<Guard area="messages"><MessagesPage /></Guard>} />
            <Route path="/delivery" element={<Guard area="delivery"><DeliveryLogPage /></Guard>} />
            <Route path="/outbox" element={<Navigate to="/delivery" replace />} />
            <Route path="/messaging" element={<Guard area="messaging-stats"><MessagingStatsPage /></Guard>} />
            <Route path="/manage/rooms" element={<Guard area="manage-rooms"><ManageRoomsPage /></Guard>} />
            <Route path="/manage/menu" element={<Guard area="manage-menu"><ManageMenuPage /></Guard>} />
            <Route path="/manage/staff" element={<Guard area="staff-accounts"><StaffPage /></Guard>} />
            <Route path="/announcements" element={<Guard area="announcements"><AnnouncementsPage /></Guard>} />
            <Route path="/notifications" element={<Guard><NotificationsPage /></Guard>} />
            <Route path="/notifications/preferences" element={<Guard><NotificationPreferencesPage /></Guard>} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  )
}
