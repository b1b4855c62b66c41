"""The owner's sales report and report settings pages' words (`report_pages`)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en_US": {
        "nav_settings": "Settings",
        "today_title": "Sales",
        "today_heading": "Today, {date}",
        "period_heading": "Last 30 days, {first} to {last}",
        "cash": "Cash",
        "card": "Card",
        "total": "Total",
        "row_sales": "Sales",
        "row_tips": "Tips",
        "row_refunds": "Refunds",
        "row_net": "Net",
        "row_voids": "Voided orders (not in net)",
        "row_discounts": "Discounts given (already off sales)",
        "figure": "Figure",
        "paid_orders": "Paid orders: {count} · refunds: {refunds} · voided: {voids}",
        "today_note": "Amounts in {currency}. A business day runs from {ends} to {ends} the "
        "next day in {timezone}, and is named after the date it starts.",
        "payout_heading": "Card, as Stripe will pay it out",
        "payout_card_sales": "Card sales",
        "payout_card_tips": "Card tips",
        "payout_card_refunds": "Card refunds (tips included)",
        "payout_disputes_withdrawn": "Disputed amounts Stripe withdrew",
        "payout_disputes_returned": "Disputed amounts Stripe gave back (won)",
        "payout_total": "Card money to expect in the bank",
        "payout_note": "Before Stripe's processing fees, which the platform does not know: "
        "your Stripe dashboard shows them.",
        "column_today": "Today",
        "column_period": "Last 30 days",
        "chart_hours_heading": "Sales by hour, today",
        "chart_days_heading": "Sales by day, last 30 days",
        "chart_hours_label": "Bar chart of today's sales by hour: {total} in {orders} orders; "
        "busiest hour {best} with {best_amount}.",
        "chart_days_label": "Bar chart of sales by day over the last 30 days: {total} in "
        "{orders} orders; best day {best} with {best_amount}.",
        "chart_empty_label": "Bar chart with no sales yet.",
        "chart_table": "The chart's figures as a table",
        "tick_date": "{month}/{day}",
        "hour": "Hour",
        "day": "Day",
        "orders": "Orders",
        "items": "Items",
        "by_product_heading": "By product",
        "by_register_heading": "By register",
        "by_staff_heading": "By staff member",
        "staff_member": "Staff member",
        "other_products": "Other products",
        "not_recorded": "Not recorded",
        "today_items": "Today: items",
        "today_orders": "Today: orders",
        "today_amount": "Today: amount",
        "period_items": "30 days: items",
        "period_orders": "30 days: orders",
        "period_amount": "30 days: amount",
        "no_sales": "No sales in the last 30 days.",
        "breakdown_note": "By product, register and staff member count paid orders' totals "
        "(tips, refunds and voids apart, see above). An order a register sent without a staff "
        "member is under \u201cNot recorded\u201d. The server does not store who gave a discount "
        "or why, nor what a product cost you, so there is no breakdown of those.",
        "glossary_title": "What the figures count",
        "glossary_sales": "Sales: what paid orders kept, by tender (cash after change), tax "
        "included, tips apart, after discounts.",
        "glossary_tips": "Tips: added by customers on top of the sale.",
        "glossary_refunds": "Refunds: money given back (tips included), on the day of the refund.",
        "glossary_net": "Net: sales plus tips minus refunds; what the drawer and the card "
        "payouts should hold.",
        "glossary_discounts": "Discounts: taken off orders and lines before payment; shown for "
        "information, already out of sales.",
        "glossary_voids": "Voided orders: cancelled before payment; no money moved.",
        "glossary_payout": "Card money to expect: card sales plus card tips minus card refunds "
        "minus disputed amounts Stripe withdrew (on the day it withdrew them) plus those it gave "
        "back. Stripe's processing fees and dispute fees are not known to the platform and are "
        "not taken off: the bank receives less by those fees.",
        "glossary_day": "A day: the shop's business day, from its day end time to the same "
        "time the next day (set it on the Settings page).",
        "settings_title": "Shop settings",
        "settings_intro": "These settings change how the reports count days and which language "
        "and money format the console uses for your shop.",
        "day_ends_label": "Business day ends at",
        "day_ends_hint": "24-hour time between 00:00 and 11:59, on the shop's clock ({timezone})."
        " A bar open until 2 in the morning enters 02:00: a sale at 00:30 then counts on the "
        "day before.",
        "locale_label": "Language and money format",
        "locale_en_US": "English (United States)",
        "locale_pt_BR": "Português (Brasil)",
        "save_settings": "Save settings",
        "settings_saved": "Settings saved.",
        "settings_errors": "The settings were not saved: fix what is marked below.",
        "day_ends_format": "Enter a time as HH:MM, for example 02:00.",
        "day_ends_range": "The business day must end between 00:00 and 11:59.",
        "locale_unknown": "Choose one of the languages listed.",
    },
    "pt_BR": {
        "nav_settings": "Configurações",
        "today_title": "Vendas",
        "today_heading": "Hoje, {date}",
        "period_heading": "Últimos 30 dias, de {first} a {last}",
        "cash": "Dinheiro",
        "card": "Cartão",
        "total": "Total",
        "row_sales": "Vendas",
        "row_tips": "Gorjetas",
        "row_refunds": "Reembolsos",
        "row_net": "Líquido",
        "row_voids": "Pedidos cancelados (fora do líquido)",
        "row_discounts": "Descontos dados (já fora das vendas)",
        "figure": "Valor",
        "paid_orders": "Pedidos pagos: {count} · reembolsos: {refunds} · cancelados: {voids}",
        "today_note": "Valores em {currency}. Um dia de trabalho vai das {ends} às {ends} do dia "
        "seguinte em {timezone} e leva a data em que começa.",
        "payout_heading": "Cartão, como o Stripe vai repassar",
        "payout_card_sales": "Vendas no cartão",
        "payout_card_tips": "Gorjetas no cartão",
        "payout_card_refunds": "Reembolsos no cartão (com gorjetas)",
        "payout_disputes_withdrawn": "Valores contestados que o Stripe retirou",
        "payout_disputes_returned": "Valores contestados que o Stripe devolveu (ganhas)",
        "payout_total": "Dinheiro de cartão a esperar no banco",
        "payout_note": "Antes das taxas de processamento do Stripe, que a plataforma não "
        "conhece: o painel do Stripe mostra essas taxas.",
        "column_today": "Hoje",
        "column_period": "Últimos 30 dias",
        "chart_hours_heading": "Vendas por hora, hoje",
        "chart_days_heading": "Vendas por dia, últimos 30 dias",
        "chart_hours_label": "Gráfico de barras das vendas de hoje por hora: {total} em "
        "{orders} pedidos; hora de mais movimento {best} com {best_amount}.",
        "chart_days_label": "Gráfico de barras das vendas por dia nos últimos 30 dias: {total} "
        "em {orders} pedidos; melhor dia {best} com {best_amount}.",
        "chart_empty_label": "Gráfico de barras ainda sem vendas.",
        "chart_table": "Os valores do gráfico em uma tabela",
        "tick_date": "{day}/{month}",
        "hour": "Hora",
        "day": "Dia",
        "orders": "Pedidos",
        "items": "Itens",
        "by_product_heading": "Por produto",
        "by_register_heading": "Por caixa",
        "by_staff_heading": "Por funcionário",
        "staff_member": "Funcionário",
        "other_products": "Outros produtos",
        "not_recorded": "Não registrado",
        "today_items": "Hoje: itens",
        "today_orders": "Hoje: pedidos",
        "today_amount": "Hoje: valor",
        "period_items": "30 dias: itens",
        "period_orders": "30 dias: pedidos",
        "period_amount": "30 dias: valor",
        "no_sales": "Nenhuma venda nos últimos 30 dias.",
        "breakdown_note": "Por produto, caixa e funcionário contam os totais dos pedidos pagos "
        "(gorjetas, reembolsos e cancelamentos à parte, veja acima). Um pedido que o caixa "
        "enviou sem funcionário fica em \u201cNão registrado\u201d. O servidor não guarda quem "
        "deu um desconto nem por quê, nem quanto um produto lhe custou, então não há "
        "detalhamento disso.",
        "glossary_title": "O que cada valor conta",
        "glossary_sales": "Vendas: o que os pedidos pagos receberam, por forma de pagamento "
        "(dinheiro já sem o troco), com impostos, sem gorjetas, depois dos descontos.",
        "glossary_tips": "Gorjetas: acrescentadas pelos clientes além da venda.",
        "glossary_refunds": "Reembolsos: dinheiro devolvido (gorjetas incluídas), no dia do "
        "reembolso.",
        "glossary_net": "Líquido: vendas mais gorjetas menos reembolsos; o que o caixa e os "
        "repasses de cartão devem conter.",
        "glossary_discounts": "Descontos: tirados dos pedidos e itens antes do pagamento; "
        "mostrados para informação, já fora das vendas.",
        "glossary_voids": "Pedidos cancelados: cancelados antes do pagamento; nenhum dinheiro "
        "entrou.",
        "glossary_payout": "Dinheiro de cartão a esperar: vendas no cartão mais gorjetas no "
        "cartão menos reembolsos no cartão menos valores contestados que o Stripe retirou (no "
        "dia da retirada) mais os que ele devolveu. As taxas de processamento e de contestação "
        "do Stripe não são conhecidas pela plataforma e não foram descontadas: o banco recebe "
        "menos por essas taxas.",
        "glossary_day": "Um dia: o dia de trabalho da loja, do horário de fim do dia até o "
        "mesmo horário do dia seguinte (defina na página Configurações).",
        "settings_title": "Configurações da loja",
        "settings_intro": "Estas configurações mudam como os relatórios contam os dias e o "
        "idioma e o formato de dinheiro que o console usa para a sua loja.",
        "day_ends_label": "O dia de trabalho termina às",
        "day_ends_hint": "Horário de 24 horas entre 00:00 e 11:59, no relógio da loja "
        "({timezone}). Um bar aberto até as 2 da manhã informa 02:00: uma venda às 00:30 conta "
        "então no dia anterior.",
        "locale_label": "Idioma e formato de dinheiro",
        "locale_en_US": "English (United States)",
        "locale_pt_BR": "Português (Brasil)",
        "save_settings": "Salvar configurações",
        "settings_saved": "Configurações salvas.",
        "settings_errors": "As configurações não foram salvas: corrija o que está marcado abaixo.",
        "day_ends_format": "Informe um horário no formato HH:MM, por exemplo 02:00.",
        "day_ends_range": "O dia de trabalho deve terminar entre 00:00 e 11:59.",
        "locale_unknown": "Escolha um dos idiomas da lista.",
    },
}
