"""Final results once per run: a unique key on (run_id, section, position).

Two processes resuming the same run used to append the final results twice. Copies already
stored are removed (the first of each position is kept) before the key is added.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "DELETE FROM run_results WHERE id NOT IN ("
        " SELECT keep FROM (SELECT MIN(id) AS keep FROM run_results"
        " GROUP BY run_id, section, position) AS firsts)"
    )
    op.create_index(
        "uq_run_results_run_section_position",
        "run_results",
        ["run_id", "section", "position"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_run_results_run_section_position", table_name="run_results")
