"""Indicators (DOMAIN.md §7): the service, the computation of each indicator's
rows over the lake, and the tables behind them."""

from chalicelib.services.indicators.computation import Computation
from chalicelib.services.indicators.open_data import MIN_ESTABLISHMENTS, MIN_ISOLATES
from chalicelib.services.indicators.service import IndicatorService
from chalicelib.services.indicators.sources import COLUMNS, LakeTables

__all__ = ["COLUMNS", "MIN_ESTABLISHMENTS", "MIN_ISOLATES", "Computation", "IndicatorService", "LakeTables"]
