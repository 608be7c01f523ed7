"""Layout of the monthly key-account report workbook (大客户信息月报): a summary sheet and a
sheet with one row per key account, in the reader's language, frozen header rows, widths and
number formats for a manager. Rendered when read from what the report froze when generated
(its rows, summary and KPI figures). Written row by row (xlsxwriter constant_memory)."""

# These writers are functions, not methods: each binds `_ = report.env._` (the report's language)
# and calls it as `_()`, the name Odoo's term extractor reads.
# pylint: disable=prefer-env-translation

import io
from collections import defaultdict

import xlsxwriter

MONEY = "#,##0.00"
PERCENT = "0.0%"
# the columns of key.account.report.line the workbook shows
ROW_COLUMNS = (
    "partner_id",
    "key_account_code",
    "tier_id",
    "manager_id",
    "grade",
    "score",
    "score_change",
    "cooperation_state",
    "state_change",
    "revenue_month",
    "revenue_ytd",
    "revenue_ytd_previous",
    "yoy_percent",
    "target_year",
    "target_completion",
    "overdue_amount",
    "visits_planned",
    "visits_done",
    "receptions_done",
    "news_count",
    "satisfaction",
    "commentary",
)


def write_monthly_report(report):
    """Return the .xlsx bytes of ``report`` (a key.account.report, in the language of its
    environment) from its rows, summary and KPI figures as generated."""
    rows = report.env["key.account.report.line"]._rows_of(report, ROW_COLUMNS)
    figures = {int(uid): values for uid, values in (report.kpi_figures or {}).items()}
    kpis = {user: figures[user.id] for user in report.env["res.users"].browse(list(figures)).exists()}
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": True})
    styles = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "vcenter"}
        ),
        "bold": workbook.add_format({"bold": True}),
        "money": workbook.add_format({"num_format": MONEY}),
        "percent": workbook.add_format({"num_format": PERCENT}),
        "int": workbook.add_format({"num_format": "0"}),
        "score": workbook.add_format({"num_format": "0.00"}),
        "text": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    _write_summary(workbook.add_worksheet(report.env._("Summary")), report, rows, kpis, styles)
    _write_accounts(workbook.add_worksheet(report.env._("Key Accounts")), report, rows, styles)
    workbook.close()
    return output.getvalue()


def _labels(report, model, field):
    return dict(report.env[model]._fields[field]._description_selection(report.env))


def _write_row(sheet, row, values, styles):
    for col, (value, style) in enumerate(values):
        if value is None or value is False:
            sheet.write_blank(row, col, None, styles.get(style))
        elif style == "percent":
            sheet.write_number(row, col, value / 100.0, styles["percent"])
        elif isinstance(value, (int, float)):
            sheet.write_number(row, col, value, styles.get(style))
        else:
            sheet.write_string(row, col, str(value), styles.get(style))


def _account_columns(report):
    _ = report.env._
    return [
        (_("Code"), 11, "text"),
        (_("Key Account"), 30, "text"),
        (_("Tier"), 12, "text"),
        (_("Account Manager"), 16, "text"),
        (_("Grade"), 7, "text"),
        (_("Score"), 8, "score"),
        (_("Score Change"), 8, "score"),
        (_("Cooperation State"), 16, "text"),
        (_("State Change"), 12, "text"),
        (_("Revenue of the Month"), 16, "money"),
        (_("Revenue Year to Date"), 16, "money"),
        (_("Same Period Last Year"), 16, "money"),
        (_("Year on Year"), 11, "percent"),
        (_("Target of the Year"), 16, "money"),
        (_("Target Completion"), 11, "percent"),
        (_("Overdue Receivables"), 16, "money"),
        (_("Visits Planned"), 9, "int"),
        (_("Visits Done"), 9, "int"),
        (_("Receptions"), 9, "int"),
        (_("News"), 8, "int"),
        (_("Satisfaction"), 10, "score"),
        (_("Commentary"), 50, "text"),
    ]


def _write_accounts(sheet, report, rows, styles):
    columns = _account_columns(report)
    for col, (_title, width, _style) in enumerate(columns):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 2)
    sheet.set_row(0, 32)
    _write_row(sheet, 0, [(title, "header") for title, _w, _s in columns], styles)
    states = _labels(report, "key.account.report.line", "cooperation_state")
    grades = _labels(report, "key.account.report.line", "grade")
    changes = _labels(report, "key.account.report.line", "state_change")
    env = report.env
    partners = env["res.partner"].browse([row["partner_id"] for row in rows])
    tiers = {
        tier.id: tier.display_name
        for tier in env["key.account.tier"].browse({row["tier_id"] for row in rows if row["tier_id"]})
    }
    users = {
        user.id: user.name for user in env["res.users"].browse({row["manager_id"] for row in rows if row["manager_id"]})
    }
    names = dict(zip(partners.ids, partners.mapped("name"), strict=True))
    for index, row in enumerate(rows, start=1):
        values = [
            row["key_account_code"],
            names[row["partner_id"]],
            tiers.get(row["tier_id"]),
            users.get(row["manager_id"]),
            grades.get(row["grade"]),
            row["score"],
            row["score_change"],
            states.get(row["cooperation_state"]),
            changes.get(row["state_change"]),
            row["revenue_month"],
            row["revenue_ytd"],
            row["revenue_ytd_previous"],
            row["yoy_percent"],
            row["target_year"],
            row["target_completion"],
            row["overdue_amount"],
            row["visits_planned"],
            row["visits_done"],
            row["receptions_done"],
            row["news_count"],
            row["satisfaction"],
            row["commentary"],
        ]
        _write_row(
            sheet, index, [(value, style) for value, (_t, _w, style) in zip(values, columns, strict=True)], styles
        )
    if rows:
        sheet.autofilter(0, 0, len(rows), len(columns) - 1)


def _write_summary(sheet, report, rows, kpis, styles):
    _ = report.env._
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 18, 15)
    sheet.freeze_panes(1, 0)
    line = 0
    sheet.write_string(line, 0, report.name, styles["title"])
    line += 2
    figures = [
        (_("Key Accounts"), report.key_account_count, "int"),
        (_("Key Accounts' Revenue of the Month"), report.revenue_month, "money"),
        (_("Company Revenue of the Month"), report.company_revenue_month, "money"),
        (_("Key Accounts' Share of the Month"), report.share_month, "percent"),
        (_("Key Accounts' Revenue Year to Date"), report.revenue_ytd, "money"),
        (_("Company Revenue Year to Date"), report.company_revenue_ytd, "money"),
        (_("Key Accounts' Share Year to Date"), report.share_ytd, "percent"),
        (_("Overdue Receivables"), report.overdue_amount, "money"),
        (_("Upgrades"), report.upgrade_count, "int"),
        (_("Downgrades"), report.downgrade_count, "int"),
        (_("Escalations"), report.escalation_count, "int"),
        (_("New Key Accounts"), report.new_count, "int"),
        (_("Lost Key Accounts"), report.lost_count, "int"),
    ]
    for label, value, style in figures:
        _write_row(sheet, line, [(label, "bold"), (value, style)], styles)
        line += 1

    line += 1
    _write_row(
        sheet,
        line,
        [(_("By Tier"), "header"), (_("Key Accounts"), "header"), (_("Revenue of the Month"), "header")],
        styles,
    )
    line += 1
    by_tier = defaultdict(lambda: [0, 0.0])
    for row in rows:
        by_tier[row["tier_id"]][0] += 1
        by_tier[row["tier_id"]][1] += row["revenue_month"]
    tiers = report.env["key.account.tier"].search([("id", "in", [tier for tier in by_tier if tier])])
    for tier_id, label in [(tier.id, tier.display_name) for tier in tiers] + [(False, _("No Tier"))]:
        if tier_id in by_tier:
            _write_row(
                sheet, line, [(label, "text"), (by_tier[tier_id][0], "int"), (by_tier[tier_id][1], "money")], styles
            )
            line += 1

    line += 1
    _write_row(sheet, line, [(_("By Cooperation State"), "header"), (_("Key Accounts"), "header")], styles)
    line += 1
    by_state = defaultdict(int)
    for row in rows:
        by_state[row["cooperation_state"]] += 1
    for state, label in list(_labels(report, "key.account.report.line", "cooperation_state").items()) + [
        (False, _("Not Set"))
    ]:
        if state in by_state:
            _write_row(sheet, line, [(label, "text"), (by_state[state], "int")], styles)
            line += 1

    line += 1
    headers = [
        _("KPIs per Specialist"),
        _("Sales Target"),
        _("Actual Sales"),
        _("Sales Completion"),
        _("Lost Key Accounts"),
        _("New Key Accounts Planned"),
        _("New Key Accounts"),
        _("Development Completion"),
        _("Visits Planned"),
        _("Visits Done"),
        _("Visit Rate"),
        _("Service Budget"),
        _("Service Cost"),
        _("Cost against Budget"),
        _("Valid Complaints"),
        _("Feedback on Time"),
        _("Resolved on Time"),
        _("Archive Completeness"),
    ]
    sheet.set_row(line, 32)
    _write_row(sheet, line, [(header, "header") for header in headers], styles)
    line += 1
    for user, figures in sorted(kpis.items(), key=lambda item: item[0].name or ""):
        _write_row(
            sheet,
            line,
            [
                (user.name, "text"),
                (figures["sales_target"], "money"),
                (figures["sales_actual"], "money"),
                (figures["sales_completion"], "percent"),
                (figures["lost_count"], "int"),
                (figures["new_accounts_target"], "money"),
                (figures["new_accounts_actual"], "int"),
                (figures["development_completion"], "percent"),
                (figures["visits_planned"], "int"),
                (figures["visits_done"], "int"),
                (figures["visit_rate"], "percent"),
                (figures["service_budget"], "money"),
                (figures["service_cost"], "money"),
                (figures["cost_ratio"], "percent"),
                (figures["complaint_valid"], "int"),
                (figures["feedback_on_time"], "percent"),
                (figures["resolution_on_time"], "percent"),
                (figures["archive_completeness"], "percent"),
            ],
            styles,
        )
        line += 1
