"""Initial schema: organisations, subjects, audit, jobs, parameters, work calendar.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 10:14:48.116168
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column(
            "before", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column("after", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_record")),
    )
    with op.batch_alter_table("change_record", schema=None) as batch_op:
        batch_op.create_index("ix_change_record_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index("ix_job_due", ["status", "run_at"], unique=False)

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=True),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        # fk_organisation_subject_id_subject is added once subject exists (the two tables
        # refer to each other; PostgreSQL checks the referred table at creation).
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
        sa.UniqueConstraint("uscc", name=op.f("uq_organisation_uscc")),
    )
    op.create_table(
        "parameter",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column(
            "value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_parameter")),
    )
    op.create_table(
        "personal_data_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column(
            "fields", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_access")),
    )
    with op.batch_alter_table("personal_data_access", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_personal_data_access_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "schedule_state",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_schedule_state")),
    )
    op.create_table(
        "subject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("merchant_form", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_pinyin", sa.String(length=800), nullable=False),
        sa.Column("name_initials", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("id_number_sealed", sa.Text(), nullable=True),
        sa.Column("id_number_index", sa.String(length=64), nullable=True),
        sa.Column("phone_sealed", sa.Text(), nullable=True),
        sa.Column("phone_index", sa.String(length=64), nullable=True),
        sa.Column("legal_representative", sa.String(length=80), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("verification_status", sa.String(length=40), nullable=False),
        sa.Column("verification_method", sa.String(length=40), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["subject.id"], name=op.f("fk_subject_employer_id_subject")
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["organisation.id"],
            name=op.f("fk_subject_registered_by_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["verified_by_id"],
            ["organisation.id"],
            name=op.f("fk_subject_verified_by_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject")),
        sa.UniqueConstraint("id_number_index", name=op.f("uq_subject_id_number_index")),
        sa.UniqueConstraint("uscc", name=op.f("uq_subject_uscc")),
    )
    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subject_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(
            "ix_subject_kind_status", ["kind", "verification_status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_subject_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_subject_name_initials"), ["name_initials"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_subject_phone_index"), ["phone_index"], unique=False)

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_organisation_subject_id_subject"), "subject", ["subject_id"], ["id"]
        )

    op.create_table(
        "timeline_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_event")),
    )
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.create_index("ix_timeline_event_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "workday_override",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_workday", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_workday_override")),
    )
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "scopes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_api_key_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_key_key_hash")),
    )
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_key_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_api_key_prefix"), ["prefix"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column(
            "roles", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_app_user_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_app_user_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "domain_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("token", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_domain_claim_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain_claim")),
        sa.UniqueConstraint("subject_id", "domain", name=op.f("uq_domain_claim_subject_id_domain")),
    )
    with op.batch_alter_table("domain_claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_domain_claim_domain"), ["domain"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_domain_claim_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "domain_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("resembles", sa.String(length=253), nullable=False),
        sa.Column("resembles_subject_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("distance", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resembles_subject_id"],
            ["subject.id"],
            name=op.f("fk_domain_flag_resembles_subject_id_subject"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain_flag")),
        sa.UniqueConstraint("domain", "resembles", name=op.f("uq_domain_flag_domain_resembles")),
    )
    with op.batch_alter_table("domain_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_domain_flag_domain"), ["domain"], unique=False)

    op.create_table(
        "parameter_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column(
            "value", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("changed_by", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["key"], ["parameter.key"], name=op.f("fk_parameter_revision_key_parameter")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parameter_revision")),
        sa.UniqueConstraint("key", "revision", name=op.f("uq_parameter_revision_key_revision")),
    )
    with op.batch_alter_table("parameter_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parameter_revision_key"), ["key"], unique=False)

    op.create_table(
        "shop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("merchant_id", sa.Integer(), nullable=False),
        sa.Column("shop_code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_id"], ["subject.id"], name=op.f("fk_shop_merchant_id_subject")
        ),
        sa.ForeignKeyConstraint(
            ["platform_id"], ["subject.id"], name=op.f("fk_shop_platform_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop")),
        sa.UniqueConstraint("platform_id", "shop_code", name=op.f("uq_shop_platform_id_shop_code")),
    )
    with op.batch_alter_table("shop", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shop_merchant_id"), ["merchant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shop_platform_id"), ["platform_id"], unique=False)

    op.create_table(
        "verification_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=40), nullable=False),
        sa.Column("to_status", sa.String(length=40), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("evidence_ref", sa.String(length=300), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_verification_event_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_verification_event_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_event")),
    )
    with op.batch_alter_table("verification_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_event_subject_id"), ["subject_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("verification_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_event_subject_id"))

    op.drop_table("verification_event")
    with op.batch_alter_table("shop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shop_platform_id"))
        batch_op.drop_index(batch_op.f("ix_shop_merchant_id"))

    op.drop_table("shop")
    with op.batch_alter_table("parameter_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parameter_revision_key"))

    op.drop_table("parameter_revision")
    with op.batch_alter_table("domain_flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_domain_flag_domain"))

    op.drop_table("domain_flag")
    with op.batch_alter_table("domain_claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_domain_claim_subject_id"))
        batch_op.drop_index(batch_op.f("ix_domain_claim_domain"))

    op.drop_table("domain_claim")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_organisation_id"))

    op.drop_table("app_user")
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_key_prefix"))
        batch_op.drop_index(batch_op.f("ix_api_key_organisation_id"))

    op.drop_table("api_key")
    op.drop_table("workday_override")
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.drop_index("ix_timeline_event_entity")

    op.drop_table("timeline_event")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_organisation_subject_id_subject"), type_="foreignkey"
        )

    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_phone_index"))
        batch_op.drop_index(batch_op.f("ix_subject_name_initials"))
        batch_op.drop_index(batch_op.f("ix_subject_name"))
        batch_op.drop_index("ix_subject_kind_status")
        batch_op.drop_index(batch_op.f("ix_subject_employer_id"))

    op.drop_table("subject")
    op.drop_table("schedule_state")
    with op.batch_alter_table("personal_data_access", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_data_access_subject_id"))

    op.drop_table("personal_data_access")
    op.drop_table("parameter")
    op.drop_table("organisation")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("ix_job_due")

    op.drop_table("job")
    with op.batch_alter_table("change_record", schema=None) as batch_op:
        batch_op.drop_index("ix_change_record_entity")

    op.drop_table("change_record")
