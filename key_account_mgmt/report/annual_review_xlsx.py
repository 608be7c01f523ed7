"""Layout of the annual key-account list (年度重要客户一览表) of an approved annual review: one
row per account, sorted by new tier and score, in the language of the review's environment
(the reader's: the file is rendered when read)."""

# A function, not a method: it binds `_ = review.env._` (the reader's language) and calls it
# as `_()`, the name Odoo's term extractor reads.
# pylint: disable=prefer-env-translation

import io

import xlsxwriter


def write_annual_list(review):
    """Return the .xlsx bytes of the list of ``review`` (a key.account.review)."""
    _ = review.env._
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Annual Key Account List")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    number = workbook.add_format({"num_format": "0.00"})
    sheet.write(
        0,
        0,
        _(
            "Annual Key Account List %(year)s (年度重要客户一览表) - %(company)s",
            year=review.year,
            company=review.company_id.name,
        ),
        title,
    )
    headers = [
        _("No."),
        _("Key Account Code"),
        _("Customer"),
        _("Account Manager"),
        _("Score"),
        _("Grade"),
        _("Share of Annual Sales (%)"),
        _("Old Tier"),
        _("New Tier"),
        _("Change"),
        _("Reason"),
        _("Preliminary Rating"),
        _("Specialist Comment"),
        _("Manager Comment"),
        _("Elimination Candidate"),
    ]
    for col, header in enumerate(headers):
        sheet.write(2, col, header, bold)
    lines = review.line_ids.sorted(lambda line: (line.new_tier_id.sequence, -line.score, line.partner_id.name or ""))
    line_fields = review.env["key.account.review.line"]._fields
    changes = dict(line_fields["change"]._description_selection(review.env))
    grades = dict(line_fields["grade"]._description_selection(review.env))
    yes = _("Yes")
    for row, line in enumerate(lines, start=3):
        partner = line.partner_id
        values = [
            row - 2,
            partner.key_account_code or "",
            partner.name or "",
            partner.key_account_manager_id.name or "",
            line.score,
            grades.get(line.grade, ""),
            line.sales_share,
            line.old_tier_id.name or "",
            line.new_tier_id.name or "",
            changes.get(line.change, ""),
            line.reason or "",
            grades.get(line.preliminary_grade, ""),
            line.specialist_comment or "",
            line.manager_comment or "",
            yes if line.elimination_candidate else "",
        ]
        for col, value in enumerate(values):
            if isinstance(value, float):
                sheet.write_number(row, col, value, number)
            else:
                sheet.write(row, col, value)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 3, 18)
    sheet.set_column(10, 13, 40)
    sheet.freeze_panes(3, 0)
    workbook.close()
    return output.getvalue()
