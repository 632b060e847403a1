"""The standard report of an establishment and year (DOMAIN.md §10.8): what it says, as pure data."""
