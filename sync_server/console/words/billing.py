"""The owner's fee invoices and payment method pages' words (`billing_pages`)."""

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
        "invoices_save_card": "Save a card to pay it",
        "invoices_or": ", or",
        "invoices_save_card_after": "save a card to pay it",
        "nav_payment_method": "Payment method",
        "payment_method_title": "Payment method",
        "payment_method_intro": "Each month's fee invoice is charged to the card saved here. "
        "You enter the card on Stripe's page: Counter POS never sees its number.",
        "card_current": "Saved card",
        "card_none": "No card saved: invoices are emailed and paid on Stripe's page.",
        "card_saved": "{brand} ending in {last4}, expires {expires}",
        "card_saved_short": "{brand} ending in {last4}",
        "card_unreachable": "Stripe did not answer in time, so the saved card cannot be shown "
        "now. Try again in a moment.",
        "card_not_configured": "Paying the fee by card is not set up on this server.",
        "card_save": "Save a card",
        "card_change": "Change the card",
        "card_save_or_change": "Save or change the card",
        "card_stripe_page": "You enter the card on Stripe's page, then come back here.",
        "card_past_due": "Your invoice for {month} ({amount}) is past due: saving a card "
        "charges it at once.",
        "card_setup_failed": "Stripe could not be reached: nothing changed. Try again in a moment.",
        "card_setup_old": "This page was out of date: nothing changed. Press the button again.",
        "card_done_saved": "Card saved: your invoices are charged to the {card} from now on.",
        "card_done_paid": "{month} ({amount}): paid with the new card.",
        "card_done_declined": "{month} ({amount}): the new card was declined. Stripe will try "
        "again; you can also pay it on the Invoices page.",
        "card_done_failed": "{month} ({amount}): not charged now; see the Invoices page.",
        "card_done_nothing_due": "No unpaid invoice needed charging.",
        "card_done_replaced": "The {card} was saved, but a card saved after it is the one "
        "your invoices are charged to: this page changed nothing.",
        "card_done_cancelled": "Nothing changed: no card was saved.",
        "card_done_open": "Nothing changed: the card was not saved on Stripe's page.",
        "card_done_expired": "Nothing changed: Stripe's page expired. Start again.",
        "card_done_refused": "Nothing changed: this card setup is not for your shop.",
        "card_done_incomplete": "Nothing changed: this link is incomplete (it does not name "
        "a card setup). Start again from the Payment method page.",
        "card_done_not_configured": "Nothing changed: paying the fee by card is not set up on "
        "this server.",
        "card_done_unreachable": "Stripe did not answer, so we cannot tell yet whether the card "
        "was saved. Reload this page in a moment.",
        "card_back": "Back to the payment method",
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
        "invoices_save_card": "Salve um cartão para pagá-la",
        "invoices_or": ", ou",
        "invoices_save_card_after": "salve um cartão para pagá-la",
        "nav_payment_method": "Forma de pagamento",
        "payment_method_title": "Forma de pagamento",
        "payment_method_intro": "A fatura da taxa de cada mês é cobrada no cartão salvo aqui. "
        "Você informa o cartão na página da Stripe: a Counter POS nunca vê o número dele.",
        "card_current": "Cartão salvo",
        "card_none": "Nenhum cartão salvo: as faturas são enviadas por email e pagas na página "
        "da Stripe.",
        "card_saved": "{brand} com final {last4}, validade {expires}",
        "card_saved_short": "{brand} com final {last4}",
        "card_unreachable": "A Stripe não respondeu a tempo, então o cartão salvo não pode ser "
        "mostrado agora. Tente de novo em instantes.",
        "card_not_configured": "O pagamento da taxa por cartão não está configurado neste "
        "servidor.",
        "card_save": "Salvar um cartão",
        "card_change": "Trocar o cartão",
        "card_save_or_change": "Salvar ou trocar o cartão",
        "card_stripe_page": "Você informa o cartão na página da Stripe e depois volta para cá.",
        "card_past_due": "Sua fatura de {month} ({amount}) está vencida: salvar um cartão a "
        "cobra na hora.",
        "card_setup_failed": "Não foi possível falar com a Stripe: nada mudou. Tente de novo em "
        "instantes.",
        "card_setup_old": "Esta página estava desatualizada: nada mudou. Aperte o botão de novo.",
        "card_done_saved": "Cartão salvo: suas faturas passam a ser cobradas no {card}.",
        "card_done_paid": "{month} ({amount}): paga com o novo cartão.",
        "card_done_declined": "{month} ({amount}): o novo cartão foi recusado. A Stripe tentará "
        "de novo; você também pode pagá-la na página Faturas.",
        "card_done_failed": "{month} ({amount}): não cobrada agora; veja a página Faturas.",
        "card_done_nothing_due": "Nenhuma fatura em aberto precisava ser cobrada.",
        "card_done_replaced": "O {card} foi salvo, mas as suas faturas são cobradas num "
        "cartão salvo depois dele: esta página não mudou nada.",
        "card_done_cancelled": "Nada mudou: nenhum cartão foi salvo.",
        "card_done_open": "Nada mudou: o cartão não foi salvo na página da Stripe.",
        "card_done_expired": "Nada mudou: a página da Stripe expirou. Comece de novo.",
        "card_done_refused": "Nada mudou: este cadastro de cartão não é da sua loja.",
        "card_done_incomplete": "Nada mudou: este link está incompleto (não indica um "
        "cadastro de cartão). Comece de novo na página Forma de pagamento.",
        "card_done_not_configured": "Nada mudou: o pagamento da taxa por cartão não está "
        "configurado neste servidor.",
        "card_done_unreachable": "A Stripe não respondeu, então ainda não sabemos se o cartão "
        "foi salvo. Recarregue esta página em instantes.",
        "card_back": "Voltar à forma de pagamento",
    },
}
