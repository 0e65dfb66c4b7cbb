"""Web Push: a delivery channel of `notify()` to the browsers people allowed to notify them."""
