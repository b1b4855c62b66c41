"""Back office → Sales: today's takings by hour (the shop's clock) and the best sellers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from pos_app.domain.clock import utcnow
from pos_app.domain.money import currency_exponent
from pos_app.services.history import start_of_day_utc
from pos_app.ui.formatting import format_hour
from pos_app.ui.widgets.common import button, label

NAME_WIDTH_PX = 90
"""A best seller's name is shortened to this width on the chart's axis (1024×768 screens)."""

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

TOP_PRODUCTS = 8


@dataclass(frozen=True, slots=True)
class TodaysSales:
    by_hour: dict[int, int]
    """Local hour (0–23) → total in minor units."""
    top: list[tuple[str, int, int]]
    """(name, quantity, net in minor units), best first."""
    day_start: datetime


def local_hours(rows: list[tuple[str, int]], timezone: str) -> dict[int, int]:
    """UTC hour buckets (``YYYY-MM-DDTHH``) re-bucketed by the shop's local hour."""
    zone = ZoneInfo(timezone)
    by_hour: dict[int, int] = {}
    for hour_text, total in rows:
        start = datetime.fromisoformat(f"{hour_text}:00:00+00:00")
        local = start.astimezone(zone).hour
        by_hour[local] = by_hour.get(local, 0) + total
    return by_hour


class SalesTab(QWidget):
    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.sales: TodaysSales | None = None
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = label("", "Subtitle")
        self.summary.setObjectName("SalesSummary")
        top.addWidget(self.summary, 1)
        refresh = button(self.tr("Refresh"))
        refresh.setObjectName("RefreshSales")
        refresh.clicked.connect(self.refresh)
        top.addWidget(refresh)
        root.addLayout(top)
        charts = QHBoxLayout()
        self.hour_chart = self._chart(self.tr("Sales by hour today"))
        self.top_chart = self._chart(self.tr("Best sellers today (before tax)"))
        self.hour_view = QChartView(self.hour_chart)
        self.hour_view.setObjectName("HourChart")
        self.top_view = QChartView(self.top_chart)
        self.top_view.setObjectName("TopChart")
        for view in (self.hour_view, self.top_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(300)
        charts.addWidget(self.hour_view, 1)
        charts.addWidget(self.top_view, 1)
        root.addLayout(charts, 1)

    def _chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        font = QFont()
        font.setPixelSize(17)
        font.setBold(True)
        chart.setTitleFont(font)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(4)
        return chart

    def refresh(self) -> None:
        db = self.session.register.db
        timezone = self.session.shop.timezone

        def fetch() -> TodaysSales:
            since = start_of_day_utc(utcnow(), timezone)
            with db.read() as uow:
                rows = uow.shifts.sales_by_hour(since)
                top = uow.shifts.top_products(since, TOP_PRODUCTS)
            return TodaysSales(local_hours(rows, timezone), top, since)

        self.session.db(fetch, self.show_sales)

    # --- drawing -----------------------------------------------------------------------------

    def _major(self, amount_minor: int) -> float:
        # Chart axes plot qreal: this float is for drawing only. Every figure a person reads
        # (labels, the summary) is formatted from the integer minor units.
        return float(amount_minor) / float(10 ** currency_exponent(self.session.shop.currency))

    def _axis_font(self) -> QFont:
        font = QFont()
        font.setPixelSize(13)
        return font

    def show_sales(self, sales: TodaysSales) -> None:
        self.sales = sales
        money = self.session.money
        total = sum(sales.by_hour.values())
        self.summary.setText(
            self.tr("Today's sales: {total}").format(total=money(total))
            if total
            else self.tr("No sales yet today.")
        )
        self._draw_hours(sales)
        self._draw_top(sales)

    def _value_axis(self, highest_minor: int) -> QValueAxis:
        axis = QValueAxis()
        axis.setLabelFormat("%.0f")
        axis.setLabelsFont(self._axis_font())
        axis.setRange(0.0, max(1.0, self._major(highest_minor) * 1.1))
        return axis

    def _reset(self, chart: QChart) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    def _draw_hours(self, sales: TodaysSales) -> None:
        chart = self.hour_chart
        self._reset(chart)
        if not sales.by_hour:
            return
        now_hour = utcnow().astimezone(ZoneInfo(self.session.shop.timezone)).hour
        first = min(sales.by_hour)
        last = max(max(sales.by_hour), min(now_hour, 23))
        hours = list(range(first, last + 1))
        bars = QBarSet(self.tr("Sales"))
        bars.setColor(QColor("#0b3d91"))
        for hour in hours:
            bars.append(self._major(sales.by_hour.get(hour, 0)))
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        zone = self.session.shop.timezone
        day = sales.day_start.astimezone(ZoneInfo(zone))
        categories.append(
            [format_hour(day.replace(hour=h), zone, self.session.locale_name) for h in hours]
        )
        categories.setLabelsFont(self._axis_font())
        categories.setLabelsAngle(0 if len(hours) <= 8 else -90)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        values = self._value_axis(max(sales.by_hour.values()))
        values.setTitleText(self.session.shop.currency)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        values.applyNiceNumbers()

    def _draw_top(self, sales: TodaysSales) -> None:
        chart = self.top_chart
        self._reset(chart)
        if not sales.top:
            return
        best_last = list(reversed(sales.top))  # a horizontal chart draws from the bottom up
        bars = QBarSet(self.tr("Net sales"))
        bars.setColor(QColor("#0b6b2f"))
        for _name, _quantity, net in best_last:
            bars.append(self._major(net))
        series = QHorizontalBarSeries()
        series.append(bars)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        # The chart elides a long label at its end, which would cut the amount off: shorten
        # the name instead, so quantity and amount always show.
        metrics = QFontMetrics(self._axis_font())
        names.append(
            [
                f"{metrics.elidedText(name, Qt.TextElideMode.ElideRight, NAME_WIDTH_PX)}"
                f" ×{quantity}  {self.session.money(net)}"
                for name, quantity, net in best_last
            ]
        )
        names.setLabelsFont(self._axis_font())
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        values = self._value_axis(max(net for _n, _q, net in sales.top))
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
        values.applyNiceNumbers()
