"""The owner's pages beyond sales: fee statements, devices, disputes, problems (refused sync
changes and reconciliation flags)."""

from __future__ import annotations

EN: dict[str, str] = {
    "nav_statements": "Fees",
    "nav_devices": "Registers",
    "nav_disputes": "Disputes",
    "nav_problems": "Problems",
    "when": "{date}, {year} at {time}",
    "never": "Never",
    # statements
    "statements_title": "Fee statements",
    "statements_intro": "What the platform charges each month: a share of your product "
    "revenue after refunds and lost chargebacks. Tax and tips are never charged.",
    "statements_empty": "No fees yet. Once a register syncs a sale, this month's statement "
    "appears here and grows until the month is closed.",
    "month": "Month",
    "status": "Status",
    "state_open": "Open",
    "state_closed": "Closed",
    "state_open_long": "Open: the figures can still change until the month is closed.",
    "state_closed_long": "Closed: these figures are final. Anything that arrives late is "
    "counted in the first open month, as an adjustment.",
    "net_revenue": "Revenue charged",
    "fee": "Fee",
    "view": "View {month}",
    "statement_title": "Fee statement, {month}",
    "statement_rate": "Fee rate {rate} of revenue after refunds and lost chargebacks.",
    "statement_currency": "Amounts in {currency}",
    "product": "Product",
    "revenue": "Revenue",
    "refunds": "Refunds",
    "chargebacks": "Lost chargebacks",
    "chargebacks_short": "Chargebacks",
    "net": "Net",
    "summary": "Summary",
    "sum_revenue": "Product revenue (tax excluded)",
    "sum_refunds": "Refunds",
    "sum_chargebacks": "Lost chargebacks",
    "sum_net": "Revenue charged",
    "sum_adjustments": "of which late items from closed months",
    "sum_fee": "Fee at {rate}",
    "chargeback_product": "Chargebacks (lost disputes)",
    "no_sku": "–",
    "statement_empty": "Nothing in this month yet: sales synced from your registers appear "
    "here as they arrive.",
    "statement_empty_closed": "Nothing was sold in this month. It is closed: no fee is due "
    "for it, and a late sale is billed in the next open month.",
    "download_csv": "Download CSV",
    "download_pdf": "Download PDF",
    "downloads": "Downloads",
    "all_statements": "All statements",
    "pdf_footer": "{shop} · fee statement {period}",
    "pdf_generated": "Figures as of {when} ({timezone})",
    # devices
    "devices_title": "Registers",
    "devices_intro": "Each register paired with your shop. Revoke one you lost or replaced: "
    "it stops syncing at once.",
    "devices_empty": "No register paired yet. Make a pairing code below and type it on the "
    "register's pairing screen.",
    "device_name": "Register",
    "last_seen": "Last seen",
    "paired_on": "Paired",
    "device_state": "State",
    "device_active": "Active",
    "device_revoked": "Revoked {when}",
    "revoke": "Revoke",
    "revoke_named": "Revoke {name}",
    "revoke_title": "Revoke {name}?",
    "revoke_explain": "{name} stops syncing at once: its sales not yet synced stay on it "
    "until it is paired again. This cannot be undone; pair it again with a new code to use "
    "it.",
    "revoke_confirm": "Yes, revoke {name}",
    "revoke_already": "{name} is already revoked (since {when}): it can no longer sync. "
    "Nothing more to do.",
    "back_to_registers": "Back to the registers",
    "cancel": "Cancel",
    "device_revoked_notice": "The register is revoked: it can no longer sync.",
    "pairing_title": "Pair a register",
    "pairing_intro": "A code works once, for 15 minutes. Type it on the register's pairing screen.",
    "new_code": "Make a pairing code",
    "code_shown_once": "Pairing code (shown once):",
    "code_expires": "Works once, until {when}.",
    # disputes
    "disputes_title": "Disputes",
    "disputes_intro": "A customer asked their card issuer for money back. Answer in Stripe "
    "before the due date, with the receipt and anything that shows the sale was right.",
    "disputes_empty": "No disputes. If a customer disputes a card payment, it appears here "
    "with its due date and what to do.",
    "reason": "Reason",
    "amount": "Amount",
    "due": "Evidence due",
    "evidence": "Evidence",
    "next_step": "What to do",
    "no_due_date": "No date",
    "overdue": "{when} (past)",
    "evidence_needed": "Needed",
    "evidence_late": "Too late",
    "evidence_under_review": "Sent, under review",
    "evidence_closed": "Closed",
    "status_warning_needs_response": "Inquiry: needs an answer",
    "status_warning_under_review": "Inquiry: under review",
    "status_warning_closed": "Inquiry closed",
    "status_needs_response": "Needs an answer",
    "status_under_review": "Under review",
    "status_won": "Won",
    "status_lost": "Lost",
    "status_prevented": "Prevented",
    "next_needs_response": "Send evidence in Stripe's dashboard before the due date: the "
    "receipt, what was sold and any signature or message from the customer.",
    "next_late": "The due date has passed: the dispute will most likely be lost. Check Stripe's "
    "dashboard.",
    "next_under_review": "Nothing to do: the card issuer is reviewing your evidence.",
    "next_won": "Nothing to do: the money stays with you.",
    "next_lost": "Nothing to do: the amount was taken back and is left out of your fees.",
    "next_closed": "Nothing to do.",
    "reason_fraudulent": "Customer says they did not make the payment",
    "reason_duplicate": "Charged twice",
    "reason_product_not_received": "Customer did not receive it",
    "reason_product_unacceptable": "Customer unhappy with what was sold",
    "reason_subscription_canceled": "Subscription cancelled",
    "reason_credit_not_processed": "Refund promised but not given",
    "reason_unrecognized": "Customer does not recognise the payment",
    "reason_general": "Other",
    # problems
    "problems_title": "Problems",
    "problems_intro": "What needs your attention: changes the server refused from a register, "
    "and differences between Stripe and your registers.",
    "refused_title": "Refused changes",
    "refused_intro": "A register sent something the server could not accept. It was kept "
    "aside, not counted in your sales or fees; the register shows it too.",
    "refused_empty": "No refused changes. If a register ever sends something the server "
    "cannot accept, it appears here with the reason and what to do.",
    "refused_more": "The newest {count} are shown.",
    "received": "When",
    "what": "What",
    "register": "Register",
    "why": "Why",
    "unknown_register": "A register no longer listed",
    "entity_order": "Order",
    "entity_refund": "Refund",
    "entity_payment": "Payment",
    "entity_product": "Product",
    "entity_category": "Category",
    "entity_customer": "Customer",
    "entity_staff": "Staff member",
    "entity_stock_movement": "Stock movement",
    "entity_shift": "Shift",
    "entity_cash_movement": "Cash movement",
    "entity_other": "{entity}",
    "refused_malformed": "The register sent it in a form the server does not understand. "
    "Update the register's app; if it persists, contact support with this line.",
    "refused_money_mismatch": "Its figures do not add up. Check the sale on the register "
    "and ring it up again if it was wrong.",
    "refused_currency": "It is not in your shop's currency. Check the register's shop settings.",
    "refused_out_of_range": "The amount is larger than any sale can be. Check it on the register.",
    "refused_time_window": "Its time is wrong (before your shop existed or in the future). "
    "Set the register's clock right and ring it up again if needed.",
    "refused_structure": "Its parts do not fit together. Contact support with this line.",
    "refused_id_reused": "It reuses the identity of another sale. Contact support with this line.",
    "refused_unknown_order": "It refers to a sale the server does not have. Sync the register "
    "that made the sale, then refund again if needed.",
    "refused_depends_on_refused": "It belongs to a sale that was itself refused: fix that one "
    "first.",
    "refused_over_refund": "It gives back more than is left of the sale. Check the refunds "
    "already made on it (on every register and in Stripe).",
    "refused_other": "Contact support with this line.",
    "why_malformed": "Sent in a form the server does not understand.",
    "why_money_mismatch": "Its amounts do not add up.",
    "why_currency": "It is in another currency than your shop's.",
    "why_out_of_range": "An amount is over the limit a sale can have.",
    "why_time_window": "Its date is before your shop existed or in the future.",
    "why_structure": "Its parts do not fit together.",
    "why_id_reused": "It reuses the identity of another record.",
    "why_unknown_order": "It refers to a sale the server does not have.",
    "why_depends_on_refused": "The sale it belongs to was refused.",
    "why_over_refund": "It gives back more than is left of the sale.",
    "why_other": "The server could not accept it.",
    "why_detail": "For support: {field}: {reason} ({code})",
    "flags_title": "Stripe and your registers",
    "flags_intro": "Differences the daily check found between Stripe and what your registers "
    "synced. Each clears itself once fixed.",
    "flags_empty": "Nothing to check. If Stripe and your registers ever disagree, it appears "
    "here with what to do.",
    "first_seen": "Since",
    "flag_uncaptured_authorization": "A card payment was authorised but never taken: the "
    "customer's money is held and you have not received it. Finish or cancel it on the "
    "register.",
    "flag_unsynced_payment": "Stripe took a card payment no register has synced. Bring the "
    "register that made it online; if it was made in Stripe's dashboard, ring up the sale.",
    "flag_external_refund": "A refund was made in Stripe's dashboard, not at a register. It "
    "is counted; check that it was meant.",
    "flag_unmatched_refund": "A refund was made in Stripe for a sale not synced yet. Bring "
    "the register that made the sale online.",
    "flag_failed_refund": "A card refund failed at the customer's bank: the customer is still "
    "owed the money. Refund them another way (cash) and note it.",
    "flag_over_refund": "More money went back than the sale allows (a refund in Stripe and "
    "one at the register, or a dispute after a refund). Check with the customer.",
    "flag_card_amount_mismatch": "Stripe took a different card amount than the register "
    "recorded. Check the sale and the card payment.",
    "flag_other": "Check this in Stripe's dashboard.",
    "flag_title_uncaptured_authorization": "Card payment not taken",
    "flag_title_unsynced_payment": "Card payment no register synced",
    "flag_title_external_refund": "Refund made in Stripe",
    "flag_title_unmatched_refund": "Refund in Stripe for a sale not synced yet",
    "flag_title_failed_refund": "Card refund failed",
    "flag_title_over_refund": "More given back than the sale",
    "flag_title_card_amount_mismatch": "Card amount differs from the register",
    "flag_title_other": "{kind}",
    "amount_none": "–",
}

PT_BR: dict[str, str] = {
    "nav_statements": "Taxas",
    "nav_devices": "Caixas",
    "nav_disputes": "Disputas",
    "nav_problems": "Problemas",
    "when": "{date} de {year}, {time}",
    "never": "Nunca",
    "statements_title": "Extratos de taxas",
    "statements_intro": "O que a plataforma cobra a cada mês: uma parte da receita dos "
    "produtos depois de reembolsos e contestações perdidas. Impostos e gorjetas nunca são "
    "cobrados.",
    "statements_empty": "Ainda não há taxas. Quando um caixa sincronizar uma venda, o extrato "
    "deste mês aparece aqui e cresce até o mês ser fechado.",
    "month": "Mês",
    "status": "Situação",
    "state_open": "Aberto",
    "state_closed": "Fechado",
    "state_open_long": "Aberto: os valores ainda podem mudar até o mês ser fechado.",
    "state_closed_long": "Fechado: estes valores são finais. O que chegar atrasado entra no "
    "primeiro mês aberto, como ajuste.",
    "net_revenue": "Receita cobrada",
    "fee": "Taxa",
    "view": "Ver {month}",
    "statement_title": "Extrato de taxas, {month}",
    "statement_rate": "Taxa de {rate} sobre a receita após reembolsos e contestações perdidas.",
    "statement_currency": "Valores em {currency}",
    "product": "Produto",
    "revenue": "Receita",
    "refunds": "Reembolsos",
    "chargebacks": "Contestações perdidas",
    "chargebacks_short": "Contestações",
    "net": "Líquido",
    "summary": "Resumo",
    "sum_revenue": "Receita dos produtos (sem impostos)",
    "sum_refunds": "Reembolsos",
    "sum_chargebacks": "Contestações perdidas",
    "sum_net": "Receita cobrada",
    "sum_adjustments": "dos quais itens atrasados de meses fechados",
    "sum_fee": "Taxa de {rate}",
    "chargeback_product": "Contestações (disputas perdidas)",
    "no_sku": "–",
    "statement_empty": "Nada neste mês ainda: as vendas sincronizadas dos seus caixas "
    "aparecem aqui conforme chegam.",
    "statement_empty_closed": "Nada foi vendido neste mês. Ele está fechado: não há taxa a "
    "pagar, e uma venda atrasada entra no próximo mês aberto.",
    "download_csv": "Baixar CSV",
    "download_pdf": "Baixar PDF",
    "downloads": "Downloads",
    "all_statements": "Todos os extratos",
    "pdf_footer": "{shop} · extrato de taxas {period}",
    "pdf_generated": "Valores de {when} ({timezone})",
    "devices_title": "Caixas",
    "devices_intro": "Cada caixa pareado com a sua loja. Revogue um caixa perdido ou "
    "substituído: ele para de sincronizar na hora.",
    "devices_empty": "Nenhum caixa pareado ainda. Gere um código de pareamento abaixo e "
    "digite-o na tela de pareamento do caixa.",
    "device_name": "Caixa",
    "last_seen": "Visto por último",
    "paired_on": "Pareado",
    "device_state": "Situação",
    "device_active": "Ativo",
    "device_revoked": "Revogado {when}",
    "revoke": "Revogar",
    "revoke_named": "Revogar {name}",
    "revoke_title": "Revogar {name}?",
    "revoke_explain": "{name} para de sincronizar na hora: as vendas ainda não sincronizadas "
    "ficam nele até ser pareado de novo. Não dá para desfazer; para usá-lo, pareie de novo "
    "com um novo código.",
    "revoke_confirm": "Sim, revogar {name}",
    "revoke_already": "{name} já está revogado (desde {when}): não sincroniza mais. "
    "Não há mais nada a fazer.",
    "back_to_registers": "Voltar aos caixas",
    "cancel": "Cancelar",
    "device_revoked_notice": "O caixa foi revogado: ele não sincroniza mais.",
    "pairing_title": "Parear um caixa",
    "pairing_intro": "Um código funciona uma vez, por 15 minutos. Digite-o na tela de "
    "pareamento do caixa.",
    "new_code": "Gerar código de pareamento",
    "code_shown_once": "Código de pareamento (mostrado uma vez):",
    "code_expires": "Funciona uma vez, até {when}.",
    "disputes_title": "Disputas",
    "disputes_intro": "Um cliente pediu o dinheiro de volta à operadora do cartão. Responda "
    "no Stripe antes do prazo, com o recibo e o que mostre que a venda estava certa.",
    "disputes_empty": "Nenhuma disputa. Se um cliente contestar um pagamento com cartão, ela "
    "aparece aqui com o prazo e o que fazer.",
    "reason": "Motivo",
    "amount": "Valor",
    "due": "Prazo das provas",
    "evidence": "Provas",
    "next_step": "O que fazer",
    "no_due_date": "Sem prazo",
    "overdue": "{when} (vencido)",
    "evidence_needed": "Necessárias",
    "evidence_late": "Prazo vencido",
    "evidence_under_review": "Enviadas, em análise",
    "evidence_closed": "Encerrada",
    "status_warning_needs_response": "Consulta: precisa de resposta",
    "status_warning_under_review": "Consulta: em análise",
    "status_warning_closed": "Consulta encerrada",
    "status_needs_response": "Precisa de resposta",
    "status_under_review": "Em análise",
    "status_won": "Ganha",
    "status_lost": "Perdida",
    "status_prevented": "Evitada",
    "next_needs_response": "Envie as provas no painel do Stripe antes do prazo: o recibo, o "
    "que foi vendido e qualquer assinatura ou mensagem do cliente.",
    "next_late": "O prazo passou: a disputa provavelmente será perdida. Confira no painel do "
    "Stripe.",
    "next_under_review": "Nada a fazer: a operadora está analisando as suas provas.",
    "next_won": "Nada a fazer: o dinheiro fica com você.",
    "next_lost": "Nada a fazer: o valor foi devolvido e fica fora das suas taxas.",
    "next_closed": "Nada a fazer.",
    "reason_fraudulent": "O cliente diz que não fez o pagamento",
    "reason_duplicate": "Cobrado duas vezes",
    "reason_product_not_received": "O cliente não recebeu",
    "reason_product_unacceptable": "O cliente não ficou satisfeito com o que comprou",
    "reason_subscription_canceled": "Assinatura cancelada",
    "reason_credit_not_processed": "Reembolso prometido e não feito",
    "reason_unrecognized": "O cliente não reconhece o pagamento",
    "reason_general": "Outro",
    "problems_title": "Problemas",
    "problems_intro": "O que precisa da sua atenção: alterações que o servidor recusou de um "
    "caixa e diferenças entre o Stripe e os seus caixas.",
    "refused_title": "Alterações recusadas",
    "refused_intro": "Um caixa enviou algo que o servidor não pôde aceitar. Ficou separado, "
    "fora das suas vendas e taxas; o caixa também mostra.",
    "refused_empty": "Nenhuma alteração recusada. Se um caixa enviar algo que o servidor não "
    "possa aceitar, aparece aqui com o motivo e o que fazer.",
    "refused_more": "Mostrando as {count} mais recentes.",
    "received": "Quando",
    "what": "O quê",
    "register": "Caixa",
    "why": "Por quê",
    "unknown_register": "Um caixa que não está mais na lista",
    "entity_order": "Pedido",
    "entity_refund": "Reembolso",
    "entity_payment": "Pagamento",
    "entity_product": "Produto",
    "entity_category": "Categoria",
    "entity_customer": "Cliente",
    "entity_staff": "Funcionário",
    "entity_stock_movement": "Movimento de estoque",
    "entity_shift": "Turno",
    "entity_cash_movement": "Movimento de caixa",
    "entity_other": "{entity}",
    "refused_malformed": "O caixa enviou num formato que o servidor não entende. Atualize o "
    "aplicativo do caixa; se continuar, fale com o suporte com esta linha.",
    "refused_money_mismatch": "Os valores não fecham. Confira a venda no caixa e registre de "
    "novo se estiver errada.",
    "refused_currency": "Não está na moeda da sua loja. Confira as configurações de loja do caixa.",
    "refused_out_of_range": "O valor é maior do que qualquer venda pode ser. Confira no caixa.",
    "refused_time_window": "O horário está errado (antes de a loja existir ou no futuro). "
    "Acerte o relógio do caixa e registre de novo se preciso.",
    "refused_structure": "As partes não combinam. Fale com o suporte com esta linha.",
    "refused_id_reused": "Reusa a identidade de outra venda. Fale com o suporte com esta linha.",
    "refused_unknown_order": "Refere-se a uma venda que o servidor não tem. Sincronize o caixa "
    "que fez a venda e reembolse de novo se preciso.",
    "refused_depends_on_refused": "Pertence a uma venda que também foi recusada: resolva "
    "aquela primeiro.",
    "refused_over_refund": "Devolve mais do que resta da venda. Confira os reembolsos já "
    "feitos nela (em todos os caixas e no Stripe).",
    "refused_other": "Fale com o suporte com esta linha.",
    "why_malformed": "Enviado num formato que o servidor não entende.",
    "why_money_mismatch": "Os valores não fecham.",
    "why_currency": "Está numa moeda diferente da moeda da sua loja.",
    "why_out_of_range": "Um valor passa do limite que uma venda pode ter.",
    "why_time_window": "A data é anterior à criação da loja ou está no futuro.",
    "why_structure": "As partes não combinam.",
    "why_id_reused": "Reusa a identidade de outro registro.",
    "why_unknown_order": "Refere-se a uma venda que o servidor não tem.",
    "why_depends_on_refused": "A venda a que pertence foi recusada.",
    "why_over_refund": "Devolve mais do que resta da venda.",
    "why_other": "O servidor não pôde aceitar.",
    "why_detail": "Para o suporte: {field}: {reason} ({code})",
    "flags_title": "Stripe e os seus caixas",
    "flags_intro": "Diferenças que a verificação diária encontrou entre o Stripe e o que os "
    "seus caixas sincronizaram. Cada uma some sozinha quando resolvida.",
    "flags_empty": "Nada a conferir. Se o Stripe e os seus caixas discordarem, aparece aqui "
    "com o que fazer.",
    "first_seen": "Desde",
    "flag_uncaptured_authorization": "Um pagamento com cartão foi autorizado e nunca "
    "capturado: o dinheiro do cliente está retido e você não recebeu. Conclua ou cancele no "
    "caixa.",
    "flag_unsynced_payment": "O Stripe recebeu um pagamento com cartão que nenhum caixa "
    "sincronizou. Conecte o caixa que o fez; se foi feito no painel do Stripe, registre a venda.",
    "flag_external_refund": "Um reembolso foi feito no painel do Stripe, não num caixa. Ele "
    "foi contado; confira se era para ser feito.",
    "flag_unmatched_refund": "Um reembolso foi feito no Stripe para uma venda ainda não "
    "sincronizada. Conecte o caixa que fez a venda.",
    "flag_failed_refund": "Um reembolso no cartão falhou no banco do cliente: o cliente ainda "
    "deve receber o dinheiro. Devolva de outro jeito (dinheiro) e anote.",
    "flag_over_refund": "Voltou mais dinheiro do que a venda permite (um reembolso no Stripe e "
    "outro no caixa, ou uma disputa após um reembolso). Confira com o cliente.",
    "flag_card_amount_mismatch": "O Stripe cobrou no cartão um valor diferente do que o caixa "
    "registrou. Confira a venda e o pagamento.",
    "flag_other": "Confira no painel do Stripe.",
    "flag_title_uncaptured_authorization": "Pagamento com cartão não capturado",
    "flag_title_unsynced_payment": "Pagamento com cartão que nenhum caixa sincronizou",
    "flag_title_external_refund": "Reembolso feito no Stripe",
    "flag_title_unmatched_refund": "Reembolso no Stripe de uma venda ainda não sincronizada",
    "flag_title_failed_refund": "Reembolso no cartão falhou",
    "flag_title_over_refund": "Devolvido mais do que a venda",
    "flag_title_card_amount_mismatch": "Valor no cartão diferente do caixa",
    "flag_title_other": "{kind}",
    "amount_none": "–",
}

WORDS: dict[str, dict[str, str]] = {"en_US": EN, "pt_BR": PT_BR}
