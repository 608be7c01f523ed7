"""Small helpers shared by the public methods (input checks) and the models."""

import contextlib
import re
from datetime import date, datetime

import pytz

from odoo.exceptions import UserError, ValidationError
from odoo.models import parse_read_group_spec
from odoo.osv import expression
from odoo.tools.misc import formatLang

# ---------------------------------------------------------------------- input of public methods
# Every public method answers bad input with a translated UserError/ValidationError, never with
# another exception (a server error over RPC): these helpers coerce the usual arguments.
DATE_MIN = date(1970, 1, 1)
DATE_MAX = date(2199, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def ensure_one(records):
    """``records.ensure_one()`` for public actions: a translated UserError instead of the
    ValueError (a server error over RPC) when called on several records or on none."""
    if len(records) != 1:
        raise UserError(
            records.env._(
                "This action works on exactly one %(record)s at a time, not on %(count)s.",
                record=model_label(records),
                count=len(records),
            )
        )
    return records


def clean_text(env, value, what):
    """The stripped text of a text argument (``""`` when empty: None or False); anything else
    than text is refused."""
    if value is None or value is False:
        return ""
    if not isinstance(value, str):
        raise ValidationError(env._("%(field)s must be text.", field=what))
    return value.strip()


def to_date(env, value, what):
    """A date from a date or an ISO string ``YYYY-MM-DD``, refused when missing, unparsable or
    absurd (outside 1970-2199)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        with contextlib.suppress(ValueError):  # an impossible day (2026-02-30) is refused below
            value = datetime.strptime(value.strip(), "%Y-%m-%d").date()
    if not isinstance(value, date):
        raise ValidationError(
            env._("%(field)s: %(value)s is not a date (YYYY-MM-DD).", field=what, value=repr(value)[:40])
        )
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(
            env._(
                "%(field)s: %(date)s is out of range (%(min)s to %(max)s).",
                field=what,
                date=value.isoformat(),
                min=DATE_MIN.isoformat(),
                max=DATE_MAX.isoformat(),
            )
        )
    return value


def format_number(env, value, digits=4):
    """``value`` in the reader's language with the decimals it has, up to ``digits``: 12, 0.925,
    120 where a float field shows 12.0000, 0.9250, 120.0000."""
    decimals = len(f"{value:.{digits}f}".rstrip("0").partition(".")[2])
    return formatLang(env, value, digits=decimals)


def label(env, model, field):
    """The translated label of ``model.field``, to name an argument in a message."""
    return env[model]._fields[field]._description_string(env)


def model_label(records):
    """The name of the model of ``records`` in the reader's language (``_description`` is
    the untranslated source)."""
    return records.env["ir.model"].sudo()._get(records._name).name or records._description


def context_tz(env, user_zone=True):
    """The time zone of the context, else the user's (``user_zone``), else UTC, for SQL
    ``AT TIME ZONE``: an unknown zone (any RPC client sets the context) falls back, as in
    core's context_timestamp."""
    zones = (env.context.get("tz"), env.user.tz if user_zone else None)
    return next((zone for zone in zones if isinstance(zone, str) and zone in pytz.all_timezones_set), "UTC")


def read_group_paths(groupby=(), aggregates=(), having=()):
    """The field paths a _read_group groups, aggregates or filters (having) by."""
    having_specs = [leaf[0] for leaf in having or () if expression.is_leaf(leaf) and isinstance(leaf[0], str)]
    return [parse_read_group_spec(spec)[0] for spec in (*groupby, *aggregates, *having_specs) if spec != "__count"]


def order_paths(order):
    """The field paths of an ORDER BY specification ("name desc, partner_id.name")."""
    return [term.split()[0].split(":")[0] for term in (order or "").split(",") if term.strip()]


# ---------------------------------------------------------------------- texts for people
# The language the server writes in (issue #18): a text is written for whoever reads it.
# - An activity: in the language of its assignee (as core writes its "assigned to you" notice),
#   summary, note and the feedback that closes it.
# - A message the code addresses to people (``partner_ids``): one message per language among
#   them, each notifying those who read that language (one language, one message, usually).
# - A message that records what a person did, posted as that person to nobody in particular:
#   in the author's language, the environment's (nothing to do).
# - A text kept on a record that many people read (a warning, a reason or list composed by the
#   code, a report's name, an XLSX file): the facts are stored, the text is rendered when read
#   (a non-stored compute, ``@api.depends_context("lang")``), in the reader's language.
# - Mail and files sent to people: in each recipient's language.
# Someone without an installed language of their own reads the company's, else English.
def lang_of(person):
    """The installed language ``person`` (res.users or res.partner) reads: theirs, else that
    of the company of the environment, else English."""
    installed = dict(person.env["res.lang"].get_installed())
    for lang in (person.lang, person.env.company.partner_id.lang):
        if lang in installed:
            return lang
    return "en_US"


def in_lang_of(records, person):
    """``records`` in the language of ``person``: what is written through them (``env._``,
    selection labels, translated names, formatted amounts) reads in that language."""
    return records.with_context(lang=lang_of(person))


def by_lang(people):
    """{language: the people (res.users or res.partner) who read it}."""
    groups = {}
    for person in people:
        lang = lang_of(person)
        groups[lang] = groups.get(lang, person.browse()) | person
    return groups


def post_for(record, users, body, **kwargs):
    """Post ``body(record in a language)`` on ``record`` to ``users`` (notified): one message
    per language among them; to nobody, one message in the language of the environment."""
    if not users:
        return record.message_post(body=body(record), **kwargs)
    for lang, readers in by_lang(users).items():
        local = record.with_context(lang=lang)
        local.message_post(body=body(local), partner_ids=readers.partner_id.ids, **kwargs)
