"""Kiosk devices: enrolment by a one-time code, the device credential, revocation."""
