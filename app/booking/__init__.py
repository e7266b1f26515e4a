"""Booking: appointments in district offices and by video, from triage to the kept visit.

The domain owns availability (computed on request from the catalogue), holds and their
confirmation, managing a booking by its link, the waitlist and lottery releases. Capacity
is one row per desk and time unit (`DeskUnit`); a unique index on it is what makes a
double booking impossible, on SQLite and PostgreSQL alike.
"""
