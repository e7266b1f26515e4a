"""The queue per office: walk-in and checked-in tickets, numbering, calling, estimated wait."""
