"""Texts the server writes are read in the reader's language (issue #18).

Up to 18.0.1.7.0 some texts composed by the code were stored as text, in the language of
whoever (or whichever scheduled action) wrote them. They are now stored as facts and rendered
when read: the credit warning of an account, the reason of a row of the credit history, what
moved in a handover, the reason of an annual-review proposal, the monthly report's file (from
its rows, summary and KPI figures) and the annual list of an approved review. Their old columns
are left untouched; this keeps what they say:

- texts written before are kept as they were written (a "text" fact, or the decision's reason);
- a monthly report keeps its rows and summary; its KPI figures, which it did not store, are
  read from the KPI view as "Generate Again" would; its stored file, and the stored annual
  list of an approved review, are rendered from the kept data from now on (their attachments
  are removed).

Idempotent: only rows whose new column is still empty are filled.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

# (table, old text column, new column, shape of the new value: the text, a text fact, a list of one)
TEXTS = [
    ("res_partner", "key_account_credit_flag_reason", "key_account_credit_flag_facts", "list"),
    ("key_account_credit_log", "reason", "reason_text", "text"),
    ("key_account_handover_log", "items", "item_facts", "list"),
    ("key_account_review_line", "reason", "reason_facts", "fact"),
]


def migrate(cr, version):
    if not version:
        return
    for table, old, new, shape in TEXTS:
        if not (column_exists(cr, table, old) and column_exists(cr, table, new)):
            continue
        value = SQL.identifier(old)
        if shape != "text":
            value = SQL("jsonb_build_object('text', %s)", value)
        if shape == "list":
            value = SQL("jsonb_build_array(%s)", value)
        cr.execute(
            SQL(
                "UPDATE %(table)s SET %(new)s = %(value)s WHERE %(new)s IS NULL AND COALESCE(%(old)s, '') != ''",
                table=SQL.identifier(table),
                new=SQL.identifier(new),
                old=SQL.identifier(old),
                value=value,
            )
        )
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    reports = env["key.account.report"].search([("file_name", "!=", False)])
    for report in reports.filtered(lambda r: not r.kpi_figures):
        kpis = report.with_context(allowed_company_ids=report.company_id.ids)._collect_kpis()
        report.kpi_figures = {str(user.id): figures for user, figures in kpis.items()}
    env["ir.attachment"].search(
        [
            "|",
            "&",
            ("res_model", "=", "key.account.report"),
            ("res_field", "=", "file"),
            "&",
            ("res_model", "=", "key.account.review"),
            ("res_field", "=", "list_file"),
        ]
    ).unlink()
    env.flush_all()
