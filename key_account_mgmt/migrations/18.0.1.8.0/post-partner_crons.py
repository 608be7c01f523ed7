"""Issue #17 moved the monthly state confirmation from res.partner to the state history
(key.account.state.log) and the credit watch to key.account.credit. The scheduled actions
come from noupdate data, so an upgrade leaves them calling the old model: point each to the
model that now holds its method, where it still calls the old one. Idempotent. (Rename the
folder if the release gets another version.)"""

# scheduled action (xml id) -> (old model, new model, code)
CRONS = {
    "ir_cron_state_confirmation": ("res.partner", "key.account.state.log", "model._cron_state_confirmation()"),
    "ir_cron_credit_watch": ("res.partner", "key.account.credit", "model._cron_credit_watch()"),
}


def migrate(cr, version):
    for xmlid, (old_model, new_model, code) in CRONS.items():
        cr.execute(
            """
            UPDATE ir_act_server a
               SET model_id = m_new.id, model_name = m_new.model, code = %s
              FROM ir_cron c, ir_model_data d, ir_model m_old, ir_model m_new
             WHERE d.module = 'key_account_mgmt' AND d.name = %s AND d.model = 'ir.cron' AND d.res_id = c.id
               AND a.id = c.ir_actions_server_id AND a.model_id = m_old.id
               AND m_old.model = %s AND m_new.model = %s
            """,
            (code, xmlid, old_model, new_model),
        )
