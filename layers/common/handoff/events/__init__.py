"""Domain events: the versioned envelope, and the outbox item each committed change writes with it."""
