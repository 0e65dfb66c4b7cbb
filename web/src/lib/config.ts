/** The accounts `premier seed --demo` creates; all use DEMO_PASSWORD. */
export const DEMO_PASSWORD = 'premier-demo'
export const DEMO_ACCOUNTS = [
  { email: 'guest@premier.test', label: 'Guest' },
  { email: 'vip@premier.test', label: 'VIP guest' },
  { email: 'frontdesk@premier.test', label: 'Front desk' },
  { email: 'kitchen@premier.test', label: 'Kitchen' },
  { email: 'housekeeping@premier.test', label: 'Housekeeping' },
  { email: 'manager@premier.test', label: 'Manager' },
  { email: 'admin@premier.test', label: 'Admin' },
] as const
