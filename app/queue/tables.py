"""Tables of the queue domain."""
