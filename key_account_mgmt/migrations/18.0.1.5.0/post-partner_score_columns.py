"""The partner's score, grade and scored month are now read from the latest snapshot
(key.account.score) instead of being copied onto every partner by the monthly run: drop the
columns the ORM no longer fills, so nobody reads stale figures from them."""


def migrate(cr, version):
    cr.execute(
        "ALTER TABLE res_partner DROP COLUMN IF EXISTS key_account_score, "
        "DROP COLUMN IF EXISTS key_account_grade, DROP COLUMN IF EXISTS key_account_score_period"
    )
