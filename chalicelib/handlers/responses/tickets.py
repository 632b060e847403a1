"""Answers of the support tickets (handlers/tickets.py)."""

from __future__ import annotations

#: How many tickets in each status (every status of TicketStatus, 0 included).
TicketCounts = dict[str, int]
