import math
import re
from datetime import date
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

ADDON = "key_account_mgmt"
INT_MAX = 2**31 - 1
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d{1,6})?)?")


class Base(models.AbstractModel):
    """Values written to the fields of this addon (on its own models and on the core models it
    extends) are checked before the ORM converts them: a wrong type, NaN or ±Infinity, an
    integer beyond the column, an unknown selection value or an unparsable date is refused
    with a translated ValidationError, never a server error or a NaN stored. The fields are
    found by introspection (``field._modules``), so every new field is covered. ``base`` comes
    last in every model's hierarchy: an override that reads the values before ``super()``
    calls ``_check_key_account_values`` first (partner, monthly review, target, policy, manual
    score)."""

    _inherit = "base"

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = list(vals_list)  # callers may pass a generator (core's own tests do): read it once
        for vals in vals_list:
            self._check_key_account_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_key_account_values(vals)
        return super().write(vals)

    def _check_key_account_values(self, vals):
        if not isinstance(vals, dict):
            return
        for name, value in vals.items():
            field = self._fields.get(name) if isinstance(name, str) else None
            if field is None or not (self._original_module == ADDON or ADDON in (field._modules or ())):
                continue
            checker = VALUE_CHECKS.get(field.type)
            if checker and not checker(self, field, value):
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(value)s is not a valid value.",
                        field=field._description_string(self.env),
                        value=_shown(value),
                    )
                )


def _is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _check_float(record, field, value):
    return value is False or value is None or (_is_number(value) and math.isfinite(value) and abs(value) < 1e15)


def _check_integer(record, field, value):
    return (
        value is False or value is None or (_is_number(value) and math.isfinite(value) and -INT_MAX <= value <= INT_MAX)
    )


def _check_text(record, field, value):
    return value is False or value is None or isinstance(value, str)


def _check_selection(record, field, value):
    return value is False or value is None or (isinstance(value, str | int) and value in field.get_values(record.env))


def _check_date(record, field, value):
    if value is False or value is None or isinstance(value, date):
        return True
    if not isinstance(value, str) or not DATETIME.fullmatch(value):  # a date field takes the day of a datetime
        return False
    try:
        parsed = (fields.Date.to_date if field.type == "date" else fields.Datetime.to_datetime)(value)
    except ValueError:
        return False
    return parsed is not None and 1900 <= parsed.year <= 9999


def _check_many2one(record, field, value):
    return (
        value is False
        or value is None
        or (isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT_MAX)
        or isinstance(value, models.BaseModel)
    )


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT_MAX


def _check_x2many(record, field, value):
    """A list of ids or of the ORM's commands (Command.create, update, delete, unlink, link,
    clear, set) with ids in range and values as dictionaries."""
    if value is False or value is None or isinstance(value, models.BaseModel):
        return True
    if not isinstance(value, (list, tuple)):
        return False
    for command in value:
        if _is_id(command) or isinstance(command, models.BaseModel):
            continue
        if not (isinstance(command, (list, tuple)) and command and isinstance(command[0], int)):
            return False
        size, operation = len(command), command[0]
        if not (
            operation == 0
            and size == 3
            and isinstance(command[2], dict)
            or operation == 1
            and size == 3
            and _is_id(command[1])
            and isinstance(command[2], dict)
            or operation in (2, 3, 4)
            and size in (2, 3)
            and _is_id(command[1])
            or operation == 5
            and size in (1, 2, 3)
            or operation == 6
            and size == 3
            and (
                isinstance(command[2], models.BaseModel)
                or isinstance(command[2], (list, tuple))
                and all(map(_is_id, command[2]))
            )
        ):
            return False
    return True


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


VALUE_CHECKS = {
    "float": _check_float,
    "monetary": _check_float,
    "integer": _check_integer,
    "char": _check_text,
    "text": _check_text,
    "html": _check_text,
    "selection": _check_selection,
    "date": _check_date,
    "datetime": _check_date,
    "many2one": _check_many2one,
    "one2many": _check_x2many,
    "many2many": _check_x2many,
}
