"""What the devices domain does, for routes and for other domains."""
