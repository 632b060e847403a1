"""The report's charts, drawn with reportlab.graphics (vector, text as text)."""

from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import cm

from chalicelib.adapters.pdf_report.fonts import BOLD, REGULAR
from chalicelib.domain.reports import french
from chalicelib.domain.reports.model import Bars, Lines, Positions

WIDTH = 17 * cm
INK = colors.HexColor("#1f2937")
GRID = colors.HexColor("#d1d5db")
MAIN = colors.HexColor("#1d4ed8")
LIGHT = colors.HexColor("#93c5fd")
PALETTE = (MAIN, colors.HexColor("#b91c1c"), colors.HexColor("#047857"), colors.HexColor("#b45309"))


def _title(drawing: Drawing, text: str, y: float) -> None:
    drawing.add(String(0, y, text, fontName=BOLD, fontSize=9, fillColor=INK))


def _nice_top(value: float) -> float:
    """An axis end above ``value``: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def bars(chart: Bars) -> Drawing:
    """Horizontal bars with their values; a lighter reference bar (the category's median) beside each."""
    count = len(chart.labels)
    with_reference = chart.reference is not None and any(v is not None for v in chart.reference)
    row = 0.75 * cm if with_reference else 0.55 * cm
    plot_height = row * count
    legend = 0.6 * cm if with_reference else 0
    height = plot_height + 1.6 * cm + legend
    drawing = Drawing(WIDTH, height)
    _title(drawing, chart.title, height - 0.4 * cm)
    plot = HorizontalBarChart()
    plot.x, plot.y = 6.2 * cm, 0.8 * cm + legend
    plot.width, plot.height = WIDTH - plot.x - 1.4 * cm, plot_height
    values = [list(reversed(chart.values))]
    if with_reference and chart.reference is not None:
        values.append([v if v is not None else 0 for v in reversed(chart.reference)])
    plot.data = values
    plot.categoryAxis.categoryNames = list(reversed(chart.labels))
    plot.categoryAxis.labels.fontName = REGULAR
    plot.categoryAxis.labels.fontSize = 8
    plot.categoryAxis.labels.boxAnchor = "e"
    plot.categoryAxis.labels.dx = -4
    plot.categoryAxis.strokeColor = GRID
    top = _nice_top(max([0.0, *chart.values, *(v for v in (chart.reference or ()) if v is not None)]) * 1.12)
    plot.valueAxis.valueMin, plot.valueAxis.valueMax = 0, top
    plot.valueAxis.valueStep = top / 5
    plot.valueAxis.labels.fontName = REGULAR
    plot.valueAxis.labels.fontSize = 7
    plot.valueAxis.labelTextFormat = lambda v: french.decimal(v, 0 if top >= 10 or chart.digits == 0 else 1)
    plot.valueAxis.visibleGrid = True
    plot.valueAxis.gridStrokeColor = GRID
    plot.valueAxis.strokeColor = GRID
    plot.bars[0].fillColor = MAIN
    plot.bars[0].strokeColor = None
    if len(values) > 1:
        plot.bars[1].fillColor = LIGHT
        plot.bars[1].strokeColor = None
    plot.barLabelFormat = lambda v: french.decimal(v, chart.digits) if v else ""
    plot.barLabels.fontName = REGULAR
    plot.barLabels.fontSize = 7
    plot.barLabels.boxAnchor = "w"
    plot.barLabels.dx = 3
    plot.groupSpacing = 4
    drawing.add(plot)
    if with_reference:
        _legend(drawing, [(MAIN, "Établissement"), (LIGHT, chart.reference_label)], 0.1 * cm)
    return drawing


def _legend(drawing: Drawing, items: list[tuple[colors.Color, str]], y: float) -> None:
    legend = Legend()
    legend.x, legend.y = 6.2 * cm, y + 0.3 * cm
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = REGULAR
    legend.fontSize = 8
    legend.dx, legend.dy = 8, 8
    legend.deltax = 5 * cm
    legend.colorNamePairs = items
    drawing.add(legend)


def lines(chart: Lines) -> Drawing | None:
    """Values year by year, one line per series; None when no series has a value."""
    data = []
    names = []
    for series in chart.series:
        points = [(year, value) for year, value in zip(chart.years, series.values, strict=True) if value is not None]
        if points:
            data.append(points)
            names.append(series.name)
    if not data:
        return None
    height = 6.6 * cm
    drawing = Drawing(WIDTH, height)
    _title(drawing, chart.title, height - 0.4 * cm)
    plot = LinePlot()
    plot.x, plot.y = 1.6 * cm, 1.9 * cm
    plot.width, plot.height = WIDTH - 2.4 * cm, height - 2.9 * cm
    plot.data = data
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = chart.years[0] - 0.3, chart.years[-1] + 0.3
    plot.xValueAxis.valueSteps = list(chart.years)
    plot.xValueAxis.labelTextFormat = lambda v: str(round(v))
    plot.xValueAxis.labels.fontName = REGULAR
    plot.xValueAxis.labels.fontSize = 8
    plot.xValueAxis.strokeColor = GRID
    top = _nice_top(max(v for points in data for _, v in points) * 1.15)
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, top, top / 5
    plot.yValueAxis.labelTextFormat = lambda v: french.decimal(v, 0 if top >= 10 else 1)
    plot.yValueAxis.labels.fontName = REGULAR
    plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = GRID
    plot.yValueAxis.strokeColor = GRID
    for index in range(len(data)):
        plot.lines[index].strokeColor = PALETTE[index % len(PALETTE)]
        plot.lines[index].strokeWidth = 1.6
        plot.lines[index].symbol = makeMarker("FilledCircle", size=4, fillColor=PALETTE[index % len(PALETTE)])
    if len(data) == 1:  # values written beside the points of a single line (several would overlap)
        plot.lineLabelFormat = lambda v: french.decimal(v, 2 if top < 10 else 1)
        plot.lineLabels.fontName = REGULAR
        plot.lineLabels.fontSize = 7
        plot.lineLabels.dy = 6
    drawing.add(plot)
    _legend(drawing, [(PALETTE[i % len(PALETTE)], name) for i, name in enumerate(names)], 0.2 * cm)
    drawing.contents[-1].x = 1.6 * cm
    return drawing


def positions(chart: Positions) -> Drawing:
    """Each value on its category's distribution: a line P10–P90, a box P25–P75, the median, the value."""
    row = 1.0 * cm
    height = row * len(chart.placements) + 2.6 * cm
    drawing = Drawing(WIDTH, height)
    _title(drawing, chart.title, height - 0.4 * cm)
    left, right = 4.2 * cm, WIDTH - 0.6 * cm
    top = _nice_top(max(max(p.percentiles[4], p.value or 0) for p in chart.placements) * 1.08)

    def x(value: float) -> float:
        return float(left + (right - left) * min(value, top) / top)

    base = 1.5 * cm
    for step in range(6):
        at = x(top * step / 5)
        drawing.add(Line(at, base - 0.15 * cm, at, height - 0.9 * cm, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(String(at, base - 0.5 * cm, french.decimal(top * step / 5, 0 if top >= 10 else 1), fontName=REGULAR,
                           fontSize=7, textAnchor="middle", fillColor=INK))  # fmt: skip
    for index, placement in enumerate(reversed(chart.placements)):
        y = base + row * index + row / 2
        p10, p25, p50, p75, p90 = placement.percentiles
        drawing.add(String(left - 0.3 * cm, y - 3, placement.label, fontName=REGULAR, fontSize=8, textAnchor="end",
                           fillColor=INK))  # fmt: skip
        drawing.add(Line(x(p10), y, x(p90), y, strokeColor=colors.HexColor("#6b7280"), strokeWidth=1))
        drawing.add(Rect(x(p25), y - 0.18 * cm, max(x(p75) - x(p25), 0.5), 0.36 * cm, fillColor=LIGHT,
                         strokeColor=colors.HexColor("#6b7280"), strokeWidth=0.5))  # fmt: skip
        drawing.add(Line(x(p50), y - 0.25 * cm, x(p50), y + 0.25 * cm, strokeColor=INK, strokeWidth=1.5))
        if placement.value is not None:
            drawing.add(Circle(x(placement.value), y, 3.2, fillColor=colors.HexColor("#b91c1c"), strokeColor=colors.white))
            drawing.add(String(x(placement.value), y + 0.3 * cm, french.decimal(placement.value), fontName=BOLD,
                               fontSize=7, textAnchor="middle", fillColor=colors.HexColor("#b91c1c")))  # fmt: skip
    drawing.add(String(left, 0.15 * cm,
                       f"Trait : P10 à P90 ; boîte : P25 à P75 ; barre : médiane ; point rouge : {chart.point} ({chart.unit})",
                       fontName=REGULAR, fontSize=7, fillColor=INK))  # fmt: skip
    return drawing
