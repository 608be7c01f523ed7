"""Issue #22: a KA Manager checks each filed report (检查报告) before its expenses are approved
and the visit or reception is closed. Reports filed before 18.0.1.9.0 were never checked:

- closed ones, and those with expenses already approved or paid, count as accepted (the
  approval of their expenses was that check; no reviewer is recorded);
- the other filed reports wait for their check (to review), so that their claims are approved
  once a manager has read them.

Idempotent: only reports without a review state are set."""

from odoo.tools import SQL

TABLES = (("key_account_visit", "visit_id"), ("key_account_reception", "reception_id"))


def migrate(cr, version):
    for table, parent in TABLES:
        cr.execute(
            SQL(
                """
                UPDATE %(table)s p
                   SET report_review_state = 'accepted'
                 WHERE p.report_review_state IS NULL
                   AND (p.state = 'closed'
                        OR (p.state = 'done' AND EXISTS (SELECT 1 FROM key_account_visit_expense e
                                                          WHERE e.%(parent)s = p.id AND e.state IN ('approved', 'paid'))))
                """,
                table=SQL.identifier(table),
                parent=SQL.identifier(parent),
            )
        )
        cr.execute(
            SQL(
                "UPDATE %s SET report_review_state = 'pending' WHERE report_review_state IS NULL AND state = 'done'",
                SQL.identifier(table),
            )
        )
