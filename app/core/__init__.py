"""Cross-cutting pieces that know no domain: errors, tokens, translation, database, clock."""
