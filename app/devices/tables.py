"""Tables of the devices domain."""
