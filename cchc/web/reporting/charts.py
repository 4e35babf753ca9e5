"""Small SVG charts drawn on the server: no script, prints and exports as it shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from cchc.core.numbers import format_number


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    suffix: str = ""


def bar_chart(
    bars: list[Bar], *, title: str, maximum: Decimal | None = None, width: int = 640
) -> str:
    """Horizontal bars, one per unit, with the value written at the end (blank units say so)."""
    row, label_w = 22, 190
    height = 30 + row * len(bars)
    top = (
        maximum
        or max((b.value for b in bars if b.value is not None), default=Decimal(1))
        or Decimal(1)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}" font-family="sans-serif" '
        'font-size="12">',
        f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>',
    ]
    span = width - label_w - 80
    for n, bar in enumerate(bars):
        y = 24 + n * row
        label = escape(bar.label[:28])
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{label}</text>')
        if bar.value is None:
            parts.append(f'<text x="{label_w}" y="{y + 13}" fill="#888">chưa có số liệu</text>')
            continue
        length = max(1, int(span * float(bar.value / top))) if top else 1
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{length}" height="{row - 8}" fill="#8b1a1a"/>'
        )
        text = format_number(bar.value, 2 if bar.suffix == "%" else None) + bar.suffix
        parts.append(f'<text x="{label_w + length + 4}" y="{y + 13}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def completeness_chart(on_time: int, late: int, missing: int, *, width: int = 640) -> str:
    """One stacked bar: submitted on time, late, not yet submitted."""
    total = max(on_time + late + missing, 1)
    colours = (
        ("Đúng hạn", on_time, "#1f7a3a"),
        ("Muộn", late, "#a35d00"),
        ("Chưa gửi", missing, "#cfd6de"),
    )
    x = 0.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="48" '
        f'aria-label="Tình hình nộp báo cáo" font-family="sans-serif" font-size="12">'
    ]
    legend = 0
    for label, count, colour in colours:
        w = width * count / total
        if w:
            parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="20" fill="{colour}"/>')
        x += w
        parts.append(
            f'<rect x="{legend}" y="30" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend + 14}" y="39">{label}: {count}</text>'
        )
        legend += 150
    parts.append("</svg>")
    return "".join(parts)


def trend_chart(
    points: list[tuple[str, Decimal | None]],
    *,
    title: str,
    suffix: str = "",
    width: int = 640,
) -> str:
    """A line over the periods, oldest left; a blank period breaks the line and says so.

    The axis starts at zero (or below, for a negative value) so that a small
    change does not look like a collapse.
    """
    # Side margins of half a period label, so the first and last labels are not cut.
    height, left, right, top, bottom = 210, 80, 80, 34, 160
    known = [v for _, v in points if v is not None]
    low = min([Decimal(0), *known])
    high = max([*known, Decimal(1)]) if not suffix else max([*known, Decimal(100)])
    span = (high - low) or Decimal(1)
    step = (width - left - right) / max(len(points) - 1, 1)

    def xy(n: int, value: Decimal) -> tuple[float, float]:
        x = left + step * n if len(points) > 1 else (left + width - right) / 2
        return x, bottom - (bottom - top) * float((value - low) / span)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}" font-family="sans-serif" '
        'font-size="12">',
        f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="#888"/>',
    ]
    previous: tuple[float, float] | None = None
    for n, (label, value) in enumerate(points):
        x = xy(n, Decimal(0))[0]
        below = bottom + 18 + (14 * (n % 2) if step < 130 else 0)  # crowded: two rows of labels
        parts.append(
            f'<text x="{x:.1f}" y="{below}" text-anchor="middle">{escape(label[:24])}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{x:.1f}" y="{bottom - 6}" text-anchor="middle" fill="#888">'
                "chưa có số liệu</text>"
            )
            previous = None
            continue
        x, y = xy(n, value)
        if previous:
            parts.append(
                f'<line x1="{previous[0]:.1f}" y1="{previous[1]:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                'stroke="#8b1a1a" stroke-width="2"/>'
            )
        text = format_number(value, 2 if suffix == "%" else None) + suffix
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#8b1a1a"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">{escape(text)}</text>'
        )
        previous = (x, y)
    parts.append("</svg>")
    return "".join(parts)
