"""Confidential texts leave the partner (issue #16).

Up to 18.0.1.6.0 the loss analyses, the special meetings of escalations (with the downgrade's
explanation and remedy plan), their conclusions, the credit warnings (amounts, credit limit),
the state-confirmation reminders, the codes of approved nominations and the handover notes
were messages and activities of res.partner, which every internal user reads. Move them, rows
kept (only res_model / res_id change), to the confidential record that owns them:

- activities by type: special meeting → the escalated state-log row nearest in time; state
  confirmation → the account's latest state-log row; credit warning → a warning row of the
  credit history (made for it when the account has none before the activity);
- messages of those activities (done, with the original note) likewise;
- notes written by the actions, recognised by their text in English or Chinese: escalation
  conclusion → escalated state-log row (its conclusion is kept on the row too), loss → loss
  row, approved nomination → the nomination, handover → a row of the handover history made for
  it (from, to and what moved read from the note).

Idempotent: only rows still on res.partner are looked at; a row without an owner is left
where it is (and counted in the log).
"""

import logging
import re

from odoo import SUPERUSER_ID, api
from odoo.tools import html2plaintext

_logger = logging.getLogger(__name__)

SPECIAL_MEETING = "key_account_mgmt.mail_activity_type_special_meeting"
STATE_CONFIRMATION = "key_account_mgmt.mail_activity_type_state_confirmation"
CREDIT_WATCH = "key_account_mgmt.mail_activity_type_credit_watch"

# (kind, SQL LIKE patterns of the body, English and Chinese)
NOTES = [
    ("conclusion", ["%Escalation closed. Conclusion: %", "%升级处理已关闭。结论：%"]),
    ("loss", ["%Retired as a key account: %", "%已作为流失大客户退出：%"]),
    ("nomination", ["%Key account since nomination %, approved. Code: %", "%开发申请 %已批准，成为大客户。编码：%"]),
    ("handover", ["%Handover from % to %: %", "%由 % 交接给 %：%"]),
]
CONCLUSION_PREFIXES = ("Escalation closed. Conclusion: ", "升级处理已关闭。结论：")
HANDOVER = re.compile(
    r"(?:Handover from (?P<old>.+?) to (?P<new>.+?)(?: \(.*?\))?: |由 (?P<old_zh>.+?) 交接给 (?P<new_zh>.+?)(?: \(.*?\))?：)"
    r"(?P<items>.*)",
    re.S,
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False, "tracking_disable": True})
    _activity_types(env)
    moved, left = _activities(env)
    moved_messages, left_messages = _messages(env)
    _close_past_escalations(env)
    env.invalidate_all()
    _logger.info(
        "key_account_mgmt: moved %s activities and %s messages off res.partner (%s and %s without an owner left)",
        moved,
        moved_messages,
        left,
        left_messages,
    )


def _close_past_escalations(env):
    """Escalations closed before 18.0.1.7.0 left no trace on their rows: a row is closed when
    its account is no longer escalated, or when a later escalation of it was closed."""
    env.flush_all()
    env.cr.execute(
        """UPDATE key_account_state_log l SET escalation_closed_date = l.date
            WHERE l.escalated AND l.escalation_closed_date IS NULL
              AND (NOT COALESCE((SELECT p.key_account_escalated FROM res_partner p WHERE p.id = l.partner_id), false)
                   OR EXISTS (SELECT 1 FROM key_account_state_log c
                               WHERE c.partner_id = l.partner_id AND c.escalation_closed_date IS NOT NULL
                                 AND c.date > l.date))"""
    )


def _activity_types(env):
    """The types were data with noupdate: point them at the records they live on now."""
    for xmlid, model in (
        (SPECIAL_MEETING, "key.account.state.log"),
        (STATE_CONFIRMATION, "key.account.state.log"),
        (CREDIT_WATCH, "key.account.credit.log"),
    ):
        activity_type = env.ref(xmlid, raise_if_not_found=False)
        if activity_type and activity_type.res_model != model:
            env.cr.execute("UPDATE mail_activity_type SET res_model = %s WHERE id = %s", [model, activity_type.id])


def _state_log(env, partner_id, date, escalated=False, before=False):
    """The state-log row of the account nearest to ``date`` (escalated rows first when asked;
    only rows up to ``date`` with ``before``, plus the minute the action took)."""
    conditions = ["partner_id = %(partner)s"]
    if before:
        conditions.append("date <= %(date)s + interval '1 minute'")
    env.cr.execute(
        f"""SELECT id FROM key_account_state_log WHERE {" AND ".join(conditions)}
             ORDER BY {"escalated DESC NULLS LAST," if escalated else ""}
                      abs(extract(epoch FROM date - %(date)s)), id DESC LIMIT 1""",
        {"partner": partner_id, "date": date},
    )
    row = env.cr.fetchone()
    return env["key.account.state.log"].browse(row[0]) if row else None


def _credit_warning(env, partner_id, date, reason, user_id):
    """The warning row of the credit history for a warning of ``date``: the last one up to
    that date, else one made now with the warning's text."""
    env.cr.execute(
        """SELECT id FROM key_account_credit_log
            WHERE partner_id = %s AND action = 'warning' AND date <= %s + interval '1 minute'
            ORDER BY date DESC, id DESC LIMIT 1""",
        [partner_id, date],
    )
    row = env.cr.fetchone()
    if row:
        return env["key.account.credit.log"].browse(row[0])
    return (
        env["key.account.credit.log"]
        .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        .create(
            {
                "partner_id": partner_id,
                "date": date,
                "action": "warning",
                "reason": reason or "-",
                "user_id": user_id or SUPERUSER_ID,
            }
        )
    )


def _activity_owner(env, kind, partner_id, date, text, user_id):
    if kind == SPECIAL_MEETING:
        return _state_log(env, partner_id, date, escalated=True)
    if kind == STATE_CONFIRMATION:
        return _state_log(env, partner_id, date, before=True) or _state_log(env, partner_id, date)
    return _credit_warning(env, partner_id, date, text, user_id)


def _type_ids(env):
    types = {}
    for xmlid in (SPECIAL_MEETING, STATE_CONFIRMATION, CREDIT_WATCH):
        record = env.ref(xmlid, raise_if_not_found=False)
        if record:
            types[record.id] = xmlid
    return types


def _activities(env):
    types = _type_ids(env)
    moved = left = 0
    if not types:
        return moved, left
    activities = (
        env["mail.activity"]
        .with_context(active_test=False)
        .search([("res_model", "=", "res.partner"), ("activity_type_id", "in", list(types))], order="id")
    )
    for activity in activities:
        owner = _activity_owner(
            env,
            types[activity.activity_type_id.id],
            activity.res_id,
            activity.create_date,
            html2plaintext(activity.note or "").strip(),
            activity.create_uid.id,
        )
        if not owner:
            left += 1
            continue
        model = env["ir.model"]._get(owner._name)
        activity.write({"res_model_id": model.id, "res_id": owner.id})
        if activity.user_id:
            owner.message_subscribe(partner_ids=activity.user_id.partner_id.ids)
        moved += 1
    return moved, left


def _move_message(env, message_id, owner):
    env.cr.execute(
        "UPDATE mail_message SET model = %s, res_id = %s WHERE id = %s",
        [owner._name, owner.id, message_id],
    )


def _messages(env):
    moved = left = 0
    types = _type_ids(env)
    if types:
        env.cr.execute(
            """SELECT id, res_id, date, mail_activity_type_id, body, author_id FROM mail_message
                WHERE model = 'res.partner' AND mail_activity_type_id = ANY(%s) ORDER BY id""",
            [list(types)],
        )
        for message_id, partner_id, date, type_id, body, _author in env.cr.fetchall():
            owner = _activity_owner(
                env, types[type_id], partner_id, date, html2plaintext(body or "").strip(), SUPERUSER_ID
            )
            if owner:
                _move_message(env, message_id, owner)
                moved += 1
            else:
                left += 1
    for kind, patterns in NOTES:
        env.cr.execute(
            """SELECT id, res_id, date, body, author_id FROM mail_message
                WHERE model = 'res.partner' AND message_type IN ('comment', 'notification')
                  AND mail_activity_type_id IS NULL AND body::text LIKE ANY(%s) ORDER BY id""",
            [patterns],
        )
        for message_id, partner_id, date, body, author_id in env.cr.fetchall():
            owner = _note_owner(env, kind, partner_id, date, html2plaintext(body or "").strip(), author_id)
            if owner:
                _move_message(env, message_id, owner)
                moved += 1
            else:
                left += 1
    return moved, left


def _note_owner(env, kind, partner_id, date, text, author_id):
    if kind == "conclusion":
        log = _state_log(env, partner_id, date, escalated=True, before=True)
        if log and log.escalated and not log.conclusion:
            conclusion = text
            for prefix in CONCLUSION_PREFIXES:
                if prefix in text:
                    conclusion = text.split(prefix, 1)[1].strip()
            log.write({"conclusion": conclusion, "escalation_closed_date": date})
        return log
    if kind == "loss":
        env.cr.execute(
            """SELECT id FROM key_account_loss WHERE partner_id = %s
                ORDER BY abs(extract(epoch FROM create_date - %s)), id DESC LIMIT 1""",
            [partner_id, date],
        )
        row = env.cr.fetchone()
        return env["key.account.loss"].browse(row[0]) if row else None
    if kind == "nomination":
        applications = env["key.account.application"].search([("partner_id", "=", partner_id)], order="id desc")
        named = applications.filtered(lambda a: a.name and re.search(re.escape(a.name), text))
        return named[:1] or applications.filtered(lambda a: a.state == "approved")[:1] or None
    return _handover_log(env, partner_id, date, text, author_id)


def _handover_log(env, partner_id, date, text, author_id):
    """A row of the handover history for a handover note (users found by their names)."""
    match = HANDOVER.search(text)
    users = env["res.users"].with_context(active_test=False)

    def user(*groups):
        name = next((match.group(g) for g in groups if match and match.group(g)), None)
        return users.search([("name", "=", name.strip())], limit=1).id if name else False

    author = users.search([("partner_id", "=", author_id)], limit=1) if author_id else users
    return (
        env["key.account.handover.log"]
        .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        .create(
            {
                "partner_id": partner_id,
                "date": date,
                "from_user_id": user("old", "old_zh"),
                "to_user_id": user("new", "new_zh"),
                "user_id": author.id,
                "items": (match and match.group("items") or text).strip() or "-",
            }
        )
    )
