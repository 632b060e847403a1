"""Resistance: antibiograms, the laboratories' labels, deduplication and phenotypes (DOMAIN.md §4.5–§7)."""
