"""Push and pull between the registers and the platform.

Refunds are capped from what the server stores, never from what a register says is left
(`refund_caps`): per order (register refunds, refunds made outside the register and lost
disputes together), per line and per tender; a refund that does not fit is acknowledged
without being applied, with a reason code. Every writer of an order's refunds takes its locks
in one order (the pushing device, the fee period lock shared, the order's advisory lock in
order-id order, then the refund, dispute and Stripe refund rows), so two registers refunding
the same order at once run one after the other and exactly one wins. The full rule and the
locking order are in `refund_caps`' docstring.
"""
