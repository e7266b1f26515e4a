"""Notifications to citizens: e-mail through the city's own SMTP relay, ICS calendar files.

A mail is rendered once, in the recipient's language, and stored as a row together with
the background job that sends it (one transaction): a crash loses none, a retry sends the
same bytes, and two worker processes never both send it. Without an SMTP host, mail is
written to the outbox folder and announced on the console. Push is a later second channel.
"""
