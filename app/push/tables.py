"""Tables of the push domain."""
