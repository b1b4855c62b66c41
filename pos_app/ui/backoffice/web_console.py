"""Back office → Shop set-up → Fees & web console: invite an owner of this shop to the sync
server's web console. The server emails them a one-time link to choose a password; the request
goes through the register's sync client on the network pool (`register.settings.invite_owner`),
after a manager's approval (the settings permission)."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from pos_app.application.sync import InviteProblem, OwnerInvitation, OwnerInviteFailed
from pos_app.domain.errors import DomainError
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.formatting import format_datetime
from pos_app.ui.session import CounterSession, describe_error
from pos_app.ui.widgets.common import button, label


class WebConsoleSection(QGroupBox):
    def __init__(self, session: CounterSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("WebConsoleSection")
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.tr("Web console"), "Subtitle"))
        explain = label(
            self.tr(
                "The shop's owners see sales, fee statements, registers and chargebacks in a "
                "web browser, on a computer or a phone. Enter an owner's email: the sync server "
                "sends them a link to choose their password (it works once, for 3 days)."
            ),
            "Muted",
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        row = QHBoxLayout()
        self.email = QLineEdit()
        self.email.setObjectName("OwnerEmail")
        self.email.setPlaceholderText(self.tr("owner@example.com"))
        self.email.setAccessibleName(self.tr("Owner's email"))
        self.email.returnPressed.connect(self.invite)
        self.invite_button = button(self.tr("Invite owner"), "primary")
        self.invite_button.setObjectName("InviteOwner")
        self.invite_button.clicked.connect(self.invite)
        row.addWidget(self.email, 1)
        row.addWidget(self.invite_button)
        layout.addLayout(row)
        self.status = label("", "Status")
        self.status.setObjectName("InviteStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

    def invite(self) -> None:
        email = self.email.text().strip()
        if not email:
            self.status.setText(self.tr("Enter the owner's email address."))
            return
        try:
            # A mistyped address is said here, in the register's language, before the owner's
            # PIN is asked for (the server's refusal would come in English, after the PIN).
            email = self.session.register.history.check_email_address(email)
        except DomainError as error:
            self.status.setText(describe_error(error))
            self.email.setFocus()
            return
        if not self.invite_button.isEnabled():
            return  # one invitation at a time
        # An unpaired register is said before the owner's PIN is asked for: the PIN would
        # approve a request that cannot leave.
        self.session.db(self.session.register.paired, lambda paired: self._approve(email, paired))

    def _approve(self, email: str, paired: bool) -> None:
        if not paired:
            self.status.setText(
                self.failure_text(
                    OwnerInviteFailed(InviteProblem.NOT_PAIRED, "this register is not paired")
                )
            )
            return
        with_permission(
            self.session,
            self,
            Permission.MANAGE_SETTINGS,
            lambda granted: self.invite_with(email, granted),
            action_text=self.tr("invite an owner to the web console"),
        )

    def invite_with(self, email: str, authorization: Authorization) -> None:
        settings = self.session.register.settings
        config = self.session.config
        self.invite_button.setEnabled(False)
        self.status.setText(self.tr("Sending the invitation to {email}…").format(email=email))
        # One request to the server (retried with the same key): on the network pool, so the
        # window never waits for it.
        self.session.net(
            lambda: settings.invite_owner(config, email=email, authorization=authorization),
            self._invited,
            self._failed,
        )

    def _invited(self, invited: OwnerInvitation) -> None:
        self.invite_button.setEnabled(True)
        self.email.clear()
        until = format_datetime(
            invited.expires_at, self.session.shop.timezone, self.session.locale_name
        )
        self.status.setText(
            self.tr(
                "Invitation sent to {email}. The link in the email works once, until {until}."
            ).format(email=invited.email, until=until)
        )

    def _failed(self, error: BaseException) -> None:
        self.invite_button.setEnabled(True)
        self.status.setText(self.failure_text(error))

    def failure_text(self, error: BaseException) -> str:
        if not isinstance(error, OwnerInviteFailed):
            return describe_error(error) if isinstance(error, DomainError) else str(error)
        problem = error.problem
        if problem is InviteProblem.NOT_PAIRED:
            return self.tr(
                "This register is not paired with the shop's sync server: pair it first "
                "(Back office → Sync), then invite."
            )
        if problem is InviteProblem.UNPAIRED_ON_SERVER:
            return self.tr(
                "The sync server no longer accepts this register: pair it again, then invite."
            )
        if problem is InviteProblem.OFFLINE:
            return self.tr(
                "The sync server cannot be reached (is the internet down?). Nothing was sent "
                "twice: invite again when the connection is back."
            )
        if problem is InviteProblem.TOO_MANY:
            return self.tr(
                "Too many invitations from this shop for now: wait an hour and try again."
            )
        if problem is InviteProblem.SERVER:
            return self.tr("The sync server failed: try again in a few minutes.")
        return self.tr("The sync server refused the invitation: {reason}").format(
            reason=error.reason
        )
