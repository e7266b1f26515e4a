"""The clerk's case workspace: case lists per office, notes, status, assignment, document
requests and encrypted uploads; and the citizen's own view, export and erasure of a case.

Cases, their timeline and tokens belong to `app.cases`; this domain adds what a clerk
works with and writes every read and write of personal data to the audit log.
"""
