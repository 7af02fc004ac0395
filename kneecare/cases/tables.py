"""The case store's tables, as SQLAlchemy Core (the Alembic migrations mirror them).

``cases`` holds one row per flagged triage outcome or call-back request, with
the structured answers in columns and the contact details as Fernet tokens
(see ``crypto``); ``case_status_changes`` is each case's history with staff
notes. The staff view's accounts, sessions and audit log live in the same
database so that one migration chain covers everything; the audit log keeps a
case id without a foreign key, so it survives retention and erasure. Times are
stored as naive UTC.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime, nullable=False, index=True),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # triage | callback
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("level", sa.String(16), nullable=True),  # None: a call-back without triage
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("red_flags", sa.JSON, nullable=False),
    sa.Column("pain_duration_days", sa.Float, nullable=True),
    sa.Column("pain_score", sa.Integer, nullable=True),
    sa.Column("limits_activity", sa.Boolean, nullable=True),
    sa.Column("alters_gait", sa.Boolean, nullable=True),
    sa.Column("injury", sa.Boolean, nullable=True),
    sa.Column("age", sa.Integer, nullable=True),
    # the yes/no questions answered "not sure" (counted as yes, shown as "not sure")
    sa.Column("not_sure", sa.JSON, nullable=True),
    # each reason in staff words, with the person's own words behind it
    sa.Column("reasons_explained", sa.JSON, nullable=True),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    # Fernet tokens, never plain text
    sa.Column("contact_name", sa.Text, nullable=True),
    sa.Column("contact_phone", sa.Text, nullable=True),
    sa.Column("contact_email", sa.Text, nullable=True),
    # keyed hashes of the normalised phone and e-mail, for erasure requests
    sa.Column("phone_lookup", sa.String(64), nullable=True, index=True),
    sa.Column("email_lookup", sa.String(64), nullable=True, index=True),
    sa.Column("callback_reason", sa.Text, nullable=True),
    sa.Column("consent_at", sa.DateTime, nullable=True),
    sa.Column("consent_purpose", sa.Text, nullable=True),
    # keyed hash of the client address that filed it: rate limits without storing the address
    sa.Column("client_key", sa.String(64), nullable=True, index=True),
)

case_status_changes = sa.Table(
    "case_status_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "case_id",
        sa.Integer,
        sa.ForeignKey("cases.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("staff_user", sa.String(64), nullable=False),
    sa.Column("from_status", sa.String(16), nullable=False),
    sa.Column("to_status", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)

staff_users = sa.Table(
    "staff_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("role", sa.String(32), nullable=False, server_default="reception"),
)

staff_sessions = sa.Table(
    "staff_sessions",
    metadata,
    # SHA-256 of the cookie's token: a copy of the database cannot sign anyone in
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("last_seen_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    # sign_in | sign_in_failed | sign_in_locked | sign_out | view_queue | view_case
    # | status_change | export
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("case_id", sa.Integer, nullable=True),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("remote_addr", sa.String(64), nullable=False),
)

# messages a provider delivered, by the provider's own id: a request sent again
# (a timeout, a replay) is not processed twice
inbound_messages = sa.Table(
    "inbound_messages",
    metadata,
    sa.Column("provider", sa.String(16), primary_key=True),
    sa.Column("message_id", sa.String(64), primary_key=True),
    sa.Column("seen_at", sa.DateTime, nullable=False, index=True),
)

# SMS and WhatsApp senders who texted STOP, by conversation pseudonym
opt_outs = sa.Table(
    "opt_outs",
    metadata,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("opted_out_at", sa.DateTime, nullable=False),
)
