import { lazy, type ComponentType, type ReactNode } from 'react'
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router'
import { Layout } from './components/Layout'
import { Loading } from './components/ui'
import { AuthProvider, useAuth } from './hooks/useAuth'
import { canSee, homePath, type Area } from './lib/access'
import { LoginPage } from './pages/LoginPage'

/** A page's code is fetched when its route is first opened (the sign-in page comes with the
 *  app): a guest's phone does not download the kitchen board. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })))
}

const ActivityPage = page(() => import('./pages/ActivityPage'), 'ActivityPage')
const AnnouncementsPage = page(() => import('./pages/AnnouncementsPage'), 'AnnouncementsPage')
const BookingPage = page(() => import('./pages/BookingPage'), 'BookingPage')
const BookingsPage = page(() => import('./pages/BookingsPage'), 'BookingsPage')
const FindRoomPage = page(() => import('./pages/FindRoomPage'), 'FindRoomPage')
const ForgotPasswordPage = page(() => import('./pages/ForgotPasswordPage'), 'ForgotPasswordPage')
const GuestPage = page(() => import('./pages/GuestPage'), 'GuestPage')
const GuestsPage = page(() => import('./pages/GuestsPage'), 'GuestsPage')
const FrontDeskPage = page(() => import('./pages/FrontDeskPage'), 'FrontDeskPage')
const KitchenBoardPage = page(() => import('./pages/KitchenBoardPage'), 'KitchenBoardPage')
const ManageMenuPage = page(() => import('./pages/ManageMenuPage'), 'ManageMenuPage')
const ManageReviewsPage = page(() => import('./pages/ManageReviewsPage'), 'ManageReviewsPage')
const ManageRoomsPage = page(() => import('./pages/ManageRoomsPage'), 'ManageRoomsPage')
const MyBookingsPage = page(() => import('./pages/MyBookingsPage'), 'MyBookingsPage')
const MessagingStatsPage = page(() => import('./pages/MessagingStatsPage'), 'MessagingStatsPage')
const MessagesPage = page(() => import('./pages/MessagesPage'), 'MessagesPage')
const DeliveryLogPage = page(() => import('./pages/DeliveryLogPage'), 'DeliveryLogPage')
const NotFoundPage = page(() => import('./pages/NotFoundPage'), 'NotFoundPage')
const NotificationPreferencesPage = page(() => import('./pages/NotificationPreferencesPage'), 'NotificationPreferencesPage')
const PaymentResultPage = page(() => import('./pages/PaymentResultPage'), 'PaymentResultPage')
const ProfilePage = page(() => import('./pages/ProfilePage'), 'ProfilePage')
const NotificationsPage = page(() => import('./pages/NotificationsPage'), 'NotificationsPage')
const RegisterPage = page(() => import('./pages/RegisterPage'), 'RegisterPage')
const ResetPasswordPage = page(() => import('./pages/ResetPasswordPage'), 'ResetPasswordPage')
const RoomServicePage = page(() => import('./pages/RoomServicePage'), 'RoomServicePage')
const RoomStatusPage = page(() => import('./pages/RoomStatusPage'), 'RoomStatusPage')
const ServiceDeskPage = page(() => import('./pages/ServiceDeskPage'), 'ServiceDeskPage')
const ServiceRequestPage = page(() => import('./pages/ServiceRequestPage'), 'ServiceRequestPage')
const StaffPage = page(() => import('./pages/StaffPage'), 'StaffPage')
const WalkInBookingPage = page(() => import('./pages/WalkInBookingPage'), 'WalkInBookingPage')

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
            <Route path="/bookings/:id" element={<Guard area="booking-page"><BookingPage /></Guard>} />
            <Route path="/guests" element={<Guard area="guests"><GuestsPage /></Guard>} />
            <Route path="/guests/:id" element={<Guard area="guests"><GuestPage /></Guard>} />
            <Route path="/room-status" element={<Guard area="room-status"><RoomStatusPage /></Guard>} />
            <Route path="/kitchen" element={<Guard area="kitchen"><KitchenBoardPage /></Guard>} />
            <Route path="/service" element={<Guard area="service-desk"><ServiceDeskPage /></Guard>} />
            <Route path="/messages" element={<Guard area="messages"><MessagesPage /></Guard>} />
            <Route path="/delivery" element={<Guard area="delivery"><DeliveryLogPage /></Guard>} />
            <Route path="/outbox" element={<Navigate to="/delivery" replace />} />
            <Route path="/messaging" element={<Guard area="messaging-stats"><MessagingStatsPage /></Guard>} />
            <Route path="/manage/rooms" element={<Guard area="manage-rooms"><ManageRoomsPage /></Guard>} />
            <Route path="/manage/menu" element={<Guard area="manage-menu"><ManageMenuPage /></Guard>} />
            <Route path="/manage/reviews" element={<Guard area="reviews"><ManageReviewsPage /></Guard>} />
            <Route path="/manage/activity" element={<Guard area="audit"><ActivityPage /></Guard>} />
            <Route path="/manage/staff" element={<Guard area="staff-accounts"><StaffPage /></Guard>} />
            <Route path="/announcements" element={<Guard area="announcements"><AnnouncementsPage /></Guard>} />
            <Route path="/notifications" element={<Guard><NotificationsPage /></Guard>} />
            <Route path="/notifications/preferences" element={<Guard><NotificationPreferencesPage /></Guard>} />
            <Route path="/profile" element={<Guard><ProfilePage /></Guard>} />
            <Route path="/payments/:id/result" element={<Guard><PaymentResultPage /></Guard>} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  )
}
