"""What each route accepts: hand-written subsets of Stripe's OpenAPI description (2023-08-16).

Only parameters the emulator implements are listed; anything else is refused as Stripe refuses
an unknown parameter, at every depth. `tests/pos_app/payments/test_stripe_emulator_accepted.py`
reads Stripe's description and holds every table here to it (names, types, enums, lengths,
required keys, where `""` may unset).
"""

from __future__ import annotations

from pos_app.payments.emulator.schema import (
    Arr,
    Bool,
    Int,
    IntOrRange,
    Meta,
    Obj,
    Str,
    body,
    enum,
    obj,
)

LIST = {"limit": Int(), "starting_after": Str(), "ending_before": Str(), "created": IntOrRange()}
PAGE = {"limit": Int(), "starting_after": Str(), "ending_before": Str()}
CAPTURE_METHODS = enum("automatic", "automatic_async", "manual")
CHECKOUT_LOCALES = (
    "auto",
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "en",
    "en-GB",
    "es",
    "es-419",
    "et",
    "fi",
    "fil",
    "fr",
    "fr-CA",
    "hr",
    "hu",
    "id",
    "it",
    "ja",
    "ko",
    "lt",
    "lv",
    "ms",
    "mt",
    "nb",
    "nl",
    "pl",
    "pt",
    "pt-BR",
    "ro",
    "ru",
    "sk",
    "sl",
    "sv",
    "th",
    "tr",
    "vi",
    "zh",
    "zh-HK",
    "zh-TW",
)
"""The languages of Checkout's hosted page (`auto`: the browser's)."""
_LONG_EVIDENCE = (
    "access_activity_log",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "duplicate_charge_explanation",
    "product_description",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "uncategorized_text",
)
_SHORT_EVIDENCE = (
    "billing_address",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "duplicate_charge_id",
    "service_date",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_tracking_number",
)
_FILE_EVIDENCE = (
    "cancellation_policy",
    "customer_communication",
    "customer_signature",
    "duplicate_charge_documentation",
    "receipt",
    "refund_policy",
    "service_documentation",
    "shipping_documentation",
    "uncategorized_file",
)
EVIDENCE = Obj(
    {
        **{name: Str(max_length=20000) for name in _LONG_EVIDENCE},
        **{name: Str() for name in (*_SHORT_EVIDENCE, *_FILE_EVIDENCE)},
    }
)
CARD_PRESENT_OPTIONS = obj(
    unsettable=True,
    request_extended_authorization=Bool(),
    request_incremental_authorization_support=Bool(),
)

_CUSTOMER_FIELDS = {
    "email": Str(max_length=512),
    "name": Str(max_length=256),
    "description": Str(),
    "phone": Str(max_length=20),
    "balance": Int(),
    "metadata": Meta(),
    "invoice_settings": obj(default_payment_method=Str()),
}
_SEARCH = {"query": Str(), "limit": Int(), "page": Str()}
_COLLECTION = enum("charge_automatically", "send_invoice")
_INVOICE_FIELDS = {
    "auto_advance": Bool(),
    "collection_method": _COLLECTION,
    "days_until_due": Int(),
    "due_date": Int(),
    "default_payment_method": Str(),
    "description": Str(max_length=1500),
    "footer": Str(),
    "metadata": Meta(),
    "statement_descriptor": Str(max_length=22),
}
_CREDIT_NOTE_LINE = obj(
    ("type",),
    type=enum("custom_line_item", "invoice_line_item"),
    invoice_line_item=Str(),
    amount=Int(),
    quantity=Int(),
    unit_amount=Int(),
    description=Str(),
)
BILLING: dict[tuple[str, str], Obj] = {
    ("POST", "/v1/customers"): body(**_CUSTOMER_FIELDS, payment_method=Str()),
    ("GET", "/v1/customers"): body(**LIST, email=Str(max_length=512)),
    ("GET", "/v1/customers/search"): body(("query",), **_SEARCH),
    ("GET", "/v1/customers/{customer}"): body(),
    ("POST", "/v1/customers/{customer}"): body(**_CUSTOMER_FIELDS),
    ("GET", "/v1/customers/{customer}/payment_methods"): body(**PAGE, type=enum("card")),
    ("POST", "/v1/payment_methods"): body(
        type=enum("card"),
        card=obj(("token",), token=Str()),
        metadata=Meta(unsettable=False),
    ),
    ("GET", "/v1/payment_methods"): body(**PAGE, customer=Str(), type=enum("card")),
    ("GET", "/v1/payment_methods/{payment_method}"): body(),
    ("POST", "/v1/payment_methods/{payment_method}/attach"): body(("customer",), customer=Str()),
    ("POST", "/v1/payment_methods/{payment_method}/detach"): body(),
    ("POST", "/v1/invoiceitems"): body(
        ("customer",),
        customer=Str(),
        amount=Int(),
        unit_amount=Int(),
        quantity=Int(),
        currency=Str(max_length=None),
        description=Str(),
        invoice=Str(),
        metadata=Meta(),
        period=obj(("end", "start"), end=Int(), start=Int()),
    ),
    ("GET", "/v1/invoiceitems"): body(**LIST, customer=Str(), invoice=Str(), pending=Bool()),
    ("GET", "/v1/invoiceitems/{invoiceitem}"): body(),
    ("POST", "/v1/invoiceitems/{invoiceitem}"): body(
        amount=Int(), description=Str(), metadata=Meta()
    ),
    ("DELETE", "/v1/invoiceitems/{invoiceitem}"): Obj({}),
    ("POST", "/v1/invoices"): body(
        **_INVOICE_FIELDS,
        customer=Str(),
        currency=Str(max_length=None),
        pending_invoice_items_behavior=enum("exclude", "include", "include_and_require"),
    ),
    ("GET", "/v1/invoices"): body(
        **LIST,
        customer=Str(),
        status=enum("draft", "open", "paid", "uncollectible", "void"),
        collection_method=_COLLECTION,
    ),
    ("GET", "/v1/invoices/search"): body(("query",), **_SEARCH),
    ("GET", "/v1/invoices/{invoice}"): body(),
    ("POST", "/v1/invoices/{invoice}"): body(**_INVOICE_FIELDS),
    ("DELETE", "/v1/invoices/{invoice}"): Obj({}),
    ("GET", "/v1/invoices/{invoice}/lines"): body(**PAGE),
    ("POST", "/v1/invoices/{invoice}/finalize"): body(auto_advance=Bool()),
    ("POST", "/v1/invoices/{invoice}/pay"): body(
        payment_method=Str(), paid_out_of_band=Bool(), off_session=Bool()
    ),
    ("POST", "/v1/invoices/{invoice}/void"): body(),
    ("POST", "/v1/invoices/{invoice}/mark_uncollectible"): body(),
    ("POST", "/v1/invoices/{invoice}/send"): body(),
    ("POST", "/v1/credit_notes"): body(
        ("invoice",),
        invoice=Str(),
        amount=Int(),
        credit_amount=Int(),
        refund_amount=Int(),
        out_of_band_amount=Int(),
        lines=Arr(_CREDIT_NOTE_LINE),
        memo=Str(),
        metadata=Meta(unsettable=False),
        reason=enum("duplicate", "fraudulent", "order_change", "product_unsatisfactory"),
    ),
    ("GET", "/v1/credit_notes"): body(**PAGE, customer=Str(), invoice=Str()),
    ("GET", "/v1/credit_notes/{id}"): body(),
    ("POST", "/v1/credit_notes/{id}"): body(memo=Str(), metadata=Meta(unsettable=False)),
    ("POST", "/v1/credit_notes/{id}/void"): body(),
    ("GET", "/v1/credit_notes/{credit_note}/lines"): body(**PAGE),
    # Checkout in setup mode (saving a customer's card) and its SetupIntents
    ("POST", "/v1/checkout/sessions"): body(
        ("success_url",),
        mode=enum("payment", "setup", "subscription"),
        customer=Str(),
        success_url=Str(),
        cancel_url=Str(),
        currency=Str(max_length=None),
        payment_method_types=Arr(enum("card")),
        metadata=Meta(unsettable=False),
        client_reference_id=Str(max_length=200),
        expires_at=Int(),
        setup_intent_data=obj(description=Str(max_length=1000), metadata=Meta(unsettable=False)),
        locale=enum(*CHECKOUT_LOCALES),
    ),
    ("GET", "/v1/checkout/sessions"): body(**PAGE, customer=Str()),
    ("GET", "/v1/checkout/sessions/{session}"): body(),
    ("POST", "/v1/checkout/sessions/{session}/expire"): body(),
    ("GET", "/v1/setup_intents/{intent}"): body(),
}

ACCEPTED: dict[tuple[str, str], Obj] = {
    ("POST", "/v1/payment_intents"): body(
        ("amount", "currency"),
        amount=Int(),
        currency=Str(max_length=None),
        payment_method_types=Arr(Str()),
        capture_method=CAPTURE_METHODS,
        confirmation_method=enum("automatic", "manual"),
        metadata=Meta(unsettable=False),
        description=Str(max_length=1000),
        statement_descriptor=Str(max_length=22),
        statement_descriptor_suffix=Str(max_length=22),
        receipt_email=Str(max_length=None),
        transfer_group=Str(max_length=None),
        automatic_payment_methods=obj(
            ("enabled",), enabled=Bool(), allow_redirects=enum("always", "never")
        ),
        payment_method_options=obj(
            card_present=CARD_PRESENT_OPTIONS,
            interac_present=obj(unsettable=True),
        ),
    ),
    ("GET", "/v1/payment_intents"): body(**LIST, customer=Str()),
    ("GET", "/v1/payment_intents/search"): body(("query",), query=Str(), limit=Int(), page=Str()),
    ("GET", "/v1/payment_intents/{intent}"): body(client_secret=Str()),
    ("POST", "/v1/payment_intents/{intent}"): body(
        amount=Int(),
        capture_method=CAPTURE_METHODS,
        metadata=Meta(),
        description=Str(max_length=1000),
        statement_descriptor=Str(max_length=22),
        statement_descriptor_suffix=Str(max_length=22),
        receipt_email=Str(max_length=None, unsettable=True),
        payment_method_types=Arr(Str()),
        transfer_group=Str(max_length=None),
    ),
    ("POST", "/v1/payment_intents/{intent}/capture"): body(
        amount_to_capture=Int(), metadata=Meta()
    ),
    ("POST", "/v1/payment_intents/{intent}/cancel"): body(
        cancellation_reason=enum("abandoned", "duplicate", "fraudulent", "requested_by_customer")
    ),
    ("GET", "/v1/charges"): body(**LIST, payment_intent=Str()),
    ("GET", "/v1/charges/{charge}"): body(),
    ("POST", "/v1/refunds"): body(
        payment_intent=Str(),
        charge=Str(),
        amount=Int(),
        reason=enum("duplicate", "fraudulent", "requested_by_customer"),
        metadata=Meta(),
    ),
    ("GET", "/v1/refunds"): body(**LIST, payment_intent=Str(), charge=Str(max_length=None)),
    ("GET", "/v1/refunds/{refund}"): body(),
    ("POST", "/v1/refunds/{refund}"): body(metadata=Meta()),
    ("GET", "/v1/balance_transactions/{id}"): body(),
    ("POST", "/v1/terminal/locations"): body(
        ("address", "display_name"),
        address=obj(
            ("country",),
            city=Str(),
            country=Str(),
            line1=Str(),
            line2=Str(),
            postal_code=Str(),
            state=Str(),
        ),
        display_name=Str(max_length=1000),
        metadata=Meta(),
        configuration_overrides=Str(max_length=1000),
    ),
    ("GET", "/v1/terminal/locations"): body(**PAGE),
    ("GET", "/v1/terminal/locations/{location}"): body(),
    ("POST", "/v1/terminal/readers"): body(
        ("registration_code",),
        registration_code=Str(),
        label=Str(),
        location=Str(),
        metadata=Meta(),
    ),
    ("GET", "/v1/terminal/readers"): body(
        **PAGE,
        device_type=enum(
            "bbpos_chipper2x",
            "bbpos_wisepad3",
            "bbpos_wisepos_e",
            "simulated_wisepos_e",
            "stripe_m2",
            "verifone_P400",
        ),
        location=Str(),
        serial_number=Str(),
        status=enum("offline", "online"),
    ),
    ("GET", "/v1/terminal/readers/{reader}"): body(),
    ("POST", "/v1/terminal/readers/{reader}"): body(label=Str(unsettable=True), metadata=Meta()),
    ("DELETE", "/v1/terminal/readers/{reader}"): Obj({}),
    ("POST", "/v1/terminal/readers/{reader}/process_payment_intent"): body(
        ("payment_intent",),
        payment_intent=Str(),
        process_config=obj(skip_tipping=Bool(), tipping=obj(amount_eligible=Int())),
    ),
    ("POST", "/v1/terminal/readers/{reader}/cancel_action"): body(),
    ("POST", "/v1/terminal/readers/{reader}/set_reader_display"): body(
        ("type",),
        type=enum("cart"),
        cart=obj(
            ("currency", "line_items", "total"),
            currency=Str(max_length=None),
            line_items=Arr(
                obj(
                    ("amount", "description", "quantity"),
                    amount=Int(),
                    description=Str(),
                    quantity=Int(),
                )
            ),
            tax=Int(),
            total=Int(),
        ),
    ),
    ("POST", "/v1/test_helpers/terminal/readers/{reader}/present_payment_method"): body(
        type=enum("card_present", "interac_present"),
        card_present=obj(number=Str()),
        interac_present=obj(number=Str()),
        amount_tip=Int(),
    ),
    ("GET", "/v1/disputes"): body(**LIST, charge=Str(), payment_intent=Str()),
    ("GET", "/v1/disputes/{dispute}"): body(),
    ("POST", "/v1/disputes/{dispute}"): body(evidence=EVIDENCE, metadata=Meta(), submit=Bool()),
    ("POST", "/v1/disputes/{dispute}/close"): body(),
    ("GET", "/v1/events"): body(
        **LIST,
        type=Str(),
        types=Arr(Str()),
        delivery_success=Bool(),
    ),
    ("GET", "/v1/events/{id}"): body(),
    **BILLING,
}
