"""What the queue domain does, for routes and for other domains."""
