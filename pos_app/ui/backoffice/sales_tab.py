"""Back office → Sales: the business day's takings net of refunds, by hour (the shop's clock),
the best sellers, and when the shop's business day ends."""

from __future__ import annotations

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
from PySide6.QtCore import QMargins, Qt, QTime
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QHBoxLayout, QTimeEdit, QVBoxLayout, QWidget

from pos_app.application.reports import DaySales
from pos_app.domain.clock import utcnow
from pos_app.domain.money import currency_exponent
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.formatting import format_hour
from pos_app.ui.widgets.common import button, label

NAME_WIDTH_PX = 90
"""A best seller's name is shortened to this width on the chart's axis (1024×768 screens)."""

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

TOP_PRODUCTS = 8


def local_hours(rows: tuple[tuple[str, int], ...], timezone: str) -> dict[int, int]:
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
        self.sales: DaySales | None = None
        self.by_hour: dict[int, int] = {}
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = label("", "Subtitle")
        self.summary.setObjectName("SalesSummary")
        top.addWidget(self.summary, 1)
        top.addWidget(label(self.tr("Day ends at")))
        self.day_end = QTimeEdit()
        self.day_end.setObjectName("BusinessDayEnd")
        self.day_end.setDisplayFormat("HH:mm")
        self.day_end.setMaximumTime(QTime(11, 59))
        self._show_day_end(session.shop)
        top.addWidget(self.day_end)
        save_day_end = button(self.tr("Save"))
        save_day_end.setObjectName("SaveBusinessDayEnd")
        save_day_end.clicked.connect(self.save_day_end)
        top.addWidget(save_day_end)
        refresh = button(self.tr("Refresh"))
        refresh.setObjectName("RefreshSales")
        refresh.clicked.connect(self.refresh)
        top.addWidget(refresh)
        root.addLayout(top)
        self.figures = label("")
        self.figures.setObjectName("SalesFigures")
        self.figures.setWordWrap(True)
        root.addWidget(self.figures)
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
            # A picture to read, nothing to do by keyboard: no tab stop showing no focus.
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        reports = self.session.register.reports
        self.session.db(lambda: reports.day_sales(top=TOP_PRODUCTS), self.show_sales)

    def _show_day_end(self, shop: Shop) -> None:
        self.day_end.setTime(QTime(*divmod(shop.business_day_ends_minutes, 60)))

    def save_day_end(self) -> None:
        time = self.day_end.time()
        minutes = time.hour() * 60 + time.minute()
        settings = self.session.register.settings

        def save(authorization: Authorization) -> None:
            self.session.db(
                lambda: settings.set_business_day_end(minutes, authorization=authorization),
                self._day_end_saved,
            )

        with_permission(self.session, self, Permission.MANAGE_SETTINGS, save)

    def _day_end_saved(self, shop: Shop) -> None:
        self.session.set_shop(shop)
        self._show_day_end(shop)
        self.session.info(
            self.tr("The business day now ends at {time}.").format(
                time=self.day_end.time().toString("HH:mm")
            )
        )
        self.refresh()

    # --- drawing -----------------------------------------------------------------------------

    def _major(self, amount_minor: int) -> float:
        # Chart axes plot qreal: this float is for drawing only. Every figure a person reads
        # (labels, the summary) is formatted from the integer minor units.
        return float(amount_minor) / float(10 ** currency_exponent(self.session.shop.currency))

    def _axis_font(self) -> QFont:
        font = QFont()
        font.setPixelSize(13)
        return font

    def show_sales(self, sales: DaySales) -> None:
        self.sales = sales
        self.by_hour = local_hours(sales.by_hour, self.session.shop.timezone)
        money = self.session.money
        figures = sales.figures
        self.summary.setText(
            self.tr("Today's sales: {total}").format(total=money(figures.net_total_minor))
            if figures.orders_count or figures.refunds_count
            else self.tr("No sales yet today.")
        )
        self.figures.setText(
            self.tr("Sales {gross} · refunds {refunds} · net {net} · tips {tips}").format(
                gross=money(figures.total_minor),
                refunds=money(figures.refunds_minor),
                net=money(figures.net_total_minor),
                tips=money(figures.tips_minor),
            )
            + "\n"
            + self.tr(
                "Tax {tax} · refunded {refunded_tax} · owed {net_tax} · "
                "voids {voids} · drawer opened without a sale {no_sales}"
            ).format(
                tax=money(figures.tax_minor),
                refunded_tax=money(figures.refunded_tax_minor),
                net_tax=money(figures.net_tax_minor),
                voids=figures.voids_count,
                no_sales=figures.no_sales_count,
            )
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

    def _draw_hours(self, sales: DaySales) -> None:
        chart = self.hour_chart
        self._reset(chart)
        by_hour = self.by_hour
        if not by_hour:
            return
        # A business day that ends after midnight runs on into the small hours: they are drawn
        # after 23:00, in the order they happened.
        ends_hour = self.session.shop.business_day_ends_minutes // 60
        zone = ZoneInfo(self.session.shop.timezone)

        def order_of(hour: int) -> int:
            return (hour - ends_hour) % 24

        now_hour = utcnow().astimezone(zone).hour
        first = min(map(order_of, by_hour))
        last = max(max(map(order_of, by_hour)), min(order_of(now_hour), 23))
        hours = [(ends_hour + step) % 24 for step in range(first, last + 1)]
        bars = QBarSet(self.tr("Sales"))
        bars.setColor(QColor("#0b3d91"))
        for hour in hours:
            bars.append(self._major(by_hour.get(hour, 0)))
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        day = sales.since.astimezone(zone)
        categories.append(
            [format_hour(day.replace(hour=h), zone.key, self.session.locale_name) for h in hours]
        )
        categories.setLabelsFont(self._axis_font())
        categories.setLabelsAngle(0 if len(hours) <= 8 else -90)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        values = self._value_axis(max(by_hour.values()))
        values.setTitleText(self.session.shop.currency)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        values.applyNiceNumbers()

    def _draw_top(self, sales: DaySales) -> None:
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
