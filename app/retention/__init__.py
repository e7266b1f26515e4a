"""Deletion schedules: periodic background rows that delete personal data on time.

Each schedule is a job row due at the next multiple of its period; when it has run it
books its next run, and the dedupe key (kind + due time) makes every process that starts
book the same row, so N processes keep one schedule. Each run writes one summary entry to
the audit log (system actor, counts only, no personal data).

Figures (environment variables; defaults in brackets):

- `APP_RETENTION_HOLD_MINUTES` [60]: rows of holds that lapsed unconfirmed are deleted
  this long after they lapsed (booking itself expires holds at once and frees the slot).
- `APP_RETENTION_APPOINTMENT_DAYS` [30]: the contact (e-mail and its keyed hash) of an
  appointment is erased this long after it ended; office, service, channel, times and
  state stay for anonymous statistics. Waitlist entries no longer served likewise.
- `APP_RETENTION_CLOSED_CASE_DAYS` [365]: a completed or cancelled case is deleted with
  its timeline, tokens, appointments, document requests, files and mails this long after
  it was closed; `APP_RETENTION_CLOSED_CASE_DAYS_BY_SERVICE` overrides it per service
  slug, e.g. `personalausweis=3650,anmeldung=180`.
- `APP_RETENTION_IP_DAYS` [7]: client addresses in the audit log are blanked after this
  (the only table that stores them; the hash chain does not cover them).
- `APP_RETENTION_MAIL_DAYS` [30]: the recipient of a sent (or failed) mail is blanked.
"""
