"""Administration: offices, desks, hours, closures, services; what a change does to bookings."""
