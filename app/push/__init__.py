"""Web push: VAPID keys, subscriptions tied to case tokens, content-free notices, delivery."""
