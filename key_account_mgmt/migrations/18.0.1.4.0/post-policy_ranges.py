"""Issue #8 gave tiers the standard range of preferential policies. The default tiers come
from noupdate data, so an upgrade leaves them with the field defaults: give the three default
tiers the ranges of data/key_account_tier_data.xml, where an administrator has not changed
them yet. (Rename the folder if the release gets another version.)"""

RANGES = {
    "tier_strategic": (10.0, 0.90, 90, True),
    "tier_key": (5.0, 0.95, 60, False),
    "tier_normal": (2.0, 0.98, 30, False),
}


def migrate(cr, version):
    for xmlid, (discount, coefficient, days, priority) in RANGES.items():
        cr.execute(
            """
            UPDATE key_account_tier t
               SET policy_max_discount = %s, policy_min_price_coefficient = %s,
                   policy_max_credit_days = %s, policy_priority_supply = %s
              FROM ir_model_data d
             WHERE d.module = 'key_account_mgmt' AND d.name = %s AND d.model = 'key.account.tier' AND d.res_id = t.id
               AND t.policy_max_discount = 2.0 AND t.policy_min_price_coefficient = 0.98
               AND t.policy_max_credit_days = 30 AND NOT COALESCE(t.policy_priority_supply, FALSE)
            """,
            (discount, coefficient, days, priority, xmlid),
        )
