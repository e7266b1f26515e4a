"""The hash-chained audit log of every access to personal data by staff, and its check."""
