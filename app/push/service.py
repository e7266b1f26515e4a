"""What the push domain does, for routes and for other domains."""
