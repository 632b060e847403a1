"""Support tickets (DOMAIN.md §10.9): what a ticket is, who owns and sees it, how it moves, what it may carry."""
