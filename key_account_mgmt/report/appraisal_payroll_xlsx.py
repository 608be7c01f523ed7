"""The approved quarterly appraisals for payroll (考核结果与薪酬挂钩, seed 001 §1.2.1): one row per
specialist and quarter with the KPIs, the score and the verbal warning, in the language of the
environment (the reader's)."""

# A function, not a method: it binds `_ = appraisals.env._` (the reader's language) and calls it
# as `_()`, the name Odoo's term extractor reads.
# pylint: disable=prefer-env-translation

import io

import xlsxwriter


def write_payroll_list(appraisals):
    """Return the .xlsx bytes of ``appraisals`` (key.account.appraisal)."""
    _ = appraisals.env._
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Appraisals")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    number = workbook.add_format({"num_format": "0.00"})
    headers = [
        _("Reference"),
        _("Specialist"),
        _("Company"),
        _("Quarter"),
        _("Sales Plan Completion (%)"),
        _("Churn Rate (%)"),
        _("Development Rate (%)"),
        _("Archive Completeness (%)"),
        _("Visit Rate (%)"),
        _("Feedback on Time (%)"),
        _("Cost to Budget (%)"),
        _("State Upgrades"),
        _("State Downgrades"),
        _("Score"),
        _("Verbal Warning"),
        _("Manager's Comment"),
    ]
    for col, header in enumerate(headers):
        sheet.write(0, col, header, bold)
    yes, no = _("Yes"), _("No")
    rows = appraisals.sorted(lambda a: (a.date_from, a.company_id.name or "", a.user_id.name or ""))
    for row, appraisal in enumerate(rows, start=1):
        values = [
            appraisal.name,
            appraisal.user_id.name,
            appraisal.company_id.name,
            appraisal._quarter_label(),
            appraisal.sales_completion,
            appraisal.churn_rate,
            appraisal.development_rate,
            appraisal.archive_completeness,
            appraisal.visit_rate,
            appraisal.feedback_on_time,
            appraisal.cost_ratio,
            appraisal.upgrades,
            appraisal.downgrades,
            appraisal.score,
            yes if appraisal.verbal_warning else no,
            appraisal.manager_comment or "",
        ]
        for col, value in enumerate(values):
            if isinstance(value, float):
                sheet.write_number(row, col, value, number)
            else:
                sheet.write(row, col, value)
    sheet.set_column(0, 3, 18)
    sheet.set_column(4, 14, 12)
    sheet.set_column(15, 15, 40)
    workbook.close()
    return output.getvalue()
