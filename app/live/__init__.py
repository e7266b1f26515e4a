"""An office's live stream over WebSocket for call displays and clerk screens (queue
events, caught up after a reconnect), and the signed link that opens a call display."""
