"""The owner's fee invoices page's words (`billing_pages`)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en_US": {
        "nav_invoices": "Invoices",
        "fees_invoice": "Invoice",
        "invoices_title": "Fee invoices",
        "invoices_intro": "Each closed month's fee is invoiced by Counter POS and charged to "
        "your saved card, or paid on Stripe's page. If a payment fails, or an invoice sent "
        "to you is not paid by its due date, you have {days} days to pay before your registers "
        "show a reminder. Sales are never blocked.",
        "invoices_empty": "No month has been invoiced yet: the first invoice comes when a "
        "month closes.",
        "invoices_past_due": "Your invoice for {month} ({amount}) is past due.",
        "invoice_pay": "Pay it on Stripe's page",
        "invoice_paid_on": "Paid on",
        "invoice_page": "Invoice",
        "invoice_open": "View on Stripe",
        "invoice_open_named": "View the invoice for {month} on Stripe's page",
        "invoice_status_pending": "Being prepared",
        "invoice_status_open": "Awaiting payment",
        "invoice_status_paid": "Paid",
        "invoice_status_void": "Cancelled",
        "invoice_status_uncollectible": "Unpaid",
        "invoice_status_zero": "No fee",
        "invoice_status_carried": "Carried forward",
        "invoice_note_carried": "{amount} moves to a later month (below the minimum charge, "
        "or a credit)",
        "invoice_note_failed": "payment failed ({attempts} attempts)",
        "invoice_note_failed_one": "payment failed (1 attempt)",
        "invoice_note_due": "due on {date}",
        "invoice_note_was_due": "was due on {date}",
        "invoice_note_credited": "{amount} credited",
        "invoice_note_carried_in": "includes {amount} carried from earlier months",
        "invoice_status_past_due": "Past due",
    },
    "pt_BR": {
        "nav_invoices": "Faturas",
        "fees_invoice": "Fatura",
        "invoices_title": "Faturas da taxa",
        "invoices_intro": "A taxa de cada mês fechado é faturada pela Counter POS e cobrada no "
        "seu cartão salvo, ou paga na página da Stripe. Se um pagamento falhar, ou uma fatura "
        "enviada a você não for paga até o vencimento, você tem {days} dias para pagar antes "
        "que seus caixas mostrem um aviso. As vendas nunca são bloqueadas.",
        "invoices_empty": "Nenhum mês foi faturado ainda: a primeira fatura vem quando um mês "
        "fecha.",
        "invoices_past_due": "Sua fatura de {month} ({amount}) está vencida.",
        "invoice_pay": "Pague na página da Stripe",
        "invoice_paid_on": "Paga em",
        "invoice_page": "Fatura",
        "invoice_open": "Ver no Stripe",
        "invoice_open_named": "Ver a fatura de {month} na página da Stripe",
        "invoice_status_pending": "Em preparação",
        "invoice_status_open": "Aguardando pagamento",
        "invoice_status_paid": "Paga",
        "invoice_status_void": "Cancelada",
        "invoice_status_uncollectible": "Não paga",
        "invoice_status_zero": "Sem taxa",
        "invoice_status_carried": "Transferida",
        "invoice_note_carried": "{amount} passa para um mês seguinte (abaixo da cobrança "
        "mínima, ou um crédito)",
        "invoice_note_failed": "pagamento falhou ({attempts} tentativas)",
        "invoice_note_failed_one": "pagamento falhou (1 tentativa)",
        "invoice_note_due": "vence em {date}",
        "invoice_note_was_due": "venceu em {date}",
        "invoice_note_credited": "{amount} creditado",
        "invoice_note_carried_in": "inclui {amount} transferido de meses anteriores",
        "invoice_status_past_due": "Vencida",
    },
}
