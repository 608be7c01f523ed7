"""Issue #20: each tier says how often its key accounts are asked for their satisfaction. The
new column is filled with its default (yearly) on upgrade; the default tiers of the addon, if
still yearly, get the frequencies of a fresh install: strategic quarterly, key half-yearly.

Idempotent: only the two default tiers still yearly are set."""

from odoo.tools import SQL

FREQUENCIES = {"tier_strategic": "quarter", "tier_key": "half"}


def migrate(cr, version):
    for xmlid, frequency in FREQUENCIES.items():
        cr.execute(
            SQL(
                """
                UPDATE key_account_tier t SET survey_frequency = %(frequency)s
                  FROM ir_model_data d
                 WHERE d.module = 'key_account_mgmt' AND d.name = %(name)s AND d.model = 'key.account.tier'
                   AND d.res_id = t.id AND t.survey_frequency = 'year'
                """,
                frequency=frequency,
                name=xmlid,
            )
        )
