"""What the administration does, for its routes."""
