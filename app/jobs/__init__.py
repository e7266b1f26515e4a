"""Background work as rows: mails, reminders, pushes, deletions — each a row with a due time.

A worker loop inside every app process claims due rows with a conditional UPDATE, so N
processes share the work without a broker, two never run the same row at once, and a
crash loses nothing: a claimed row whose lease runs out is claimed again.
"""
