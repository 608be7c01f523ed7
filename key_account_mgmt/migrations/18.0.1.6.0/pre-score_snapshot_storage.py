"""Score snapshots (key_account_score) are written 20,000 at a time by the monthly run:

- the columns of fields that are no longer stored (company, tier then, create/write user and
  date, dropped in 18.0.1.5.0) are still in upgraded databases, with their foreign keys and an
  index that every insert paid for: drop them;
- account, scorecard and suggested tier are kept without foreign keys (SnapshotMany2one): drop
  the constraints and their reflection;
- the breakdown is JSON text instead of jsonb: convert it here, before the ORM would move the
  jsonb column aside for a new empty one.

The view of the score lines (key_account_score_line) reads these columns (the company of
18.0.1.4.0, the breakdown): it is dropped first, and key.account.score.line.init() makes it again
when the module is loaded.
"""

FOREIGN_KEYS = [
    "key_account_score_partner_id_fkey",
    "key_account_score_scorecard_id_fkey",
    "key_account_score_suggested_tier_id_fkey",
]
STALE_COLUMNS = ["company_id", "tier_id", "create_uid", "write_uid", "create_date", "write_date"]


def migrate(cr, version):
    cr.execute("SELECT to_regclass('key_account_score')")
    if not cr.fetchone()[0]:
        return  # upgraded from before the scoring engine: the ORM creates the table as it is now
    cr.execute("DROP VIEW IF EXISTS key_account_score_line")
    cr.execute(
        "ALTER TABLE key_account_score "
        + ", ".join(f"DROP COLUMN IF EXISTS {column}" for column in STALE_COLUMNS)
        + ", "
        + ", ".join(f"DROP CONSTRAINT IF EXISTS {name}" for name in FOREIGN_KEYS)
    )
    cr.execute(
        "DELETE FROM ir_model_constraint WHERE type = 'f' AND name = ANY(%s)",
        [FOREIGN_KEYS + [f"key_account_score_{column}_fkey" for column in STALE_COLUMNS]],
    )
    cr.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'key_account_score' AND column_name = 'breakdown'"
    )
    row = cr.fetchone()
    if row and row[0] == "jsonb":
        cr.execute("ALTER TABLE key_account_score ALTER COLUMN breakdown TYPE text USING breakdown::text")
