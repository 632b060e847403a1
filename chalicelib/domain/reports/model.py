"""The report as a document: a cover, then sections of blocks (paragraphs, key figures, tables,
charts). Every text is final French; every number is already formatted, except the values a chart
draws. A renderer (``adapters/pdf_report``) lays it out; nothing here knows about pages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str
    #: body | note (small, grey) | notice (framed: a figure suppressed or missing, and why)
    style: str = "body"


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section (listed in the table of contents under it)."""

    text: str


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str  # formatted, with its unit
    position: str  # among the category's establishments, or why not
    trend: str  # against the previous year


@dataclass(frozen=True)
class KeyFigures:
    items: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    #: Columns from this index on are numbers (right-aligned)...
    numeric_from: int = 1
    #: ...except these, text among the numbers.
    text_columns: tuple[int, ...] = ()
    #: Relative column widths (None: equal).
    widths: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, one per label; ``reference`` draws a second, lighter bar beside each (e.g. the median)."""

    title: str
    unit: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    reference: tuple[float | None, ...] | None = None
    reference_label: str = ""
    #: Digits of the values written at the bars' ends (0: counts).
    digits: int = 1


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per year of the chart, None where there is no value


@dataclass(frozen=True)
class Lines:
    """Values year by year."""

    title: str
    unit: str
    years: tuple[int, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Placement:
    """One value placed on its category's distribution (P10, P25, median, P75, P90)."""

    label: str
    value: float | None
    percentiles: tuple[float, float, float, float, float]


@dataclass(frozen=True)
class Positions:
    """The establishment's values against its category, one line per scope (overall, each sector)."""

    title: str
    unit: str
    placements: tuple[Placement, ...]
    #: What the red point is.
    point: str = "l'établissement"


Block = Paragraph | Heading | KeyFigures | Table | Bars | Lines | Positions


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    #: Starts on a new page.
    new_page: bool = True


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]  # (label, value) lines
    note: str = ""


@dataclass(frozen=True)
class Report:
    title: str  # the PDF's title
    subject: str
    author: str
    cover: Cover
    sections: tuple[Section, ...] = field(default_factory=tuple)
    language: str = "fr-FR"
    #: A line at the foot of every page (before "Page n / N").
    footer: str = ""
