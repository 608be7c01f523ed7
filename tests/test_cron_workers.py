"""Scheduled actions with several workers (SPEC §10, issue #25).

A server with several workers runs a cron in whichever cron worker acquires it first: Odoo's
runner locks the job's row (FOR NO KEY UPDATE SKIP LOCKED) for the whole run, so a second
worker skips it, and "Run Manually" is refused while it runs. Between batches the runner
commits and may hand the rest to another worker: each of our crons keeps its place in the data
(a pass number, a cursor, flags set once), so the batches of two workers add up to one run.

Every scheduled action of the addon is covered (found by its xml id's module), real
PostgreSQL connections stand for the workers.
"""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KeyAccountCase


@tagged("post_install", "-at_install")
class TestCronWorkers(KeyAccountCase):
    def _our_crons(self):
        data = self.env["ir.model.data"].search([("module", "=", "key_account_mgmt"), ("model", "=", "ir.cron")])
        crons = self.env["ir.cron"].browse(data.mapped("res_id")).exists()
        self.assertGreaterEqual(len(crons), 10, "every scheduled action of the addon")
        return crons

    def _worker(self):
        """A connection of its own, as a cron worker has."""
        return self.registry.cursor()

    def test_a_running_cron_is_skipped_by_another_worker(self):
        IrCron = type(self.env["ir.cron"])
        crons = self._our_crons()
        with self._worker() as setup:
            setup.execute("SELECT id, nextcall FROM ir_cron WHERE id IN %s", [tuple(crons.ids)])
            nextcalls = dict(setup.fetchall())
            setup.execute(
                "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' - interval '1 minute' WHERE id IN %s",
                [tuple(crons.ids)],
            )
            setup.commit()
        skipped, refused = [], []
        try:
            for cron in crons:
                with self._worker() as first, self._worker() as second:
                    job = IrCron._acquire_one_job(first, cron.id)
                    self.assertTrue(job, f"{cron.name}: the first worker acquires the job")
                    if IrCron._acquire_one_job(second, cron.id) is None:
                        skipped.append(cron.name)
                    env = self.env(cr=second)
                    try:
                        second.execute("SET LOCAL lock_timeout = '2s'")
                        env["ir.cron"].browse(cron.id).method_direct_trigger()
                    except UserError:
                        refused.append(cron.name)
                    first.rollback()
                    second.rollback()
        finally:
            with self._worker() as setup:
                for cron_id, nextcall in nextcalls.items():
                    setup.execute("UPDATE ir_cron SET nextcall = %s WHERE id = %s", [nextcall, cron_id])
                setup.commit()
        self.assertEqual(sorted(skipped), sorted(crons.mapped("name")), "the second worker skips every running job")
        self.assertEqual(sorted(refused), sorted(crons.mapped("name")), "Run Manually is refused while it runs")

    def test_a_free_cron_is_acquired_once(self):
        """Once the first worker is done (its transaction ended), the job is not due anymore:
        the second worker has nothing to run (Odoo reschedules it when it ends fully done)."""
        IrCron = type(self.env["ir.cron"])
        cron = self.env.ref("key_account_mgmt.ir_cron_credit_watch")
        with self._worker() as setup:
            setup.execute("SELECT nextcall FROM ir_cron WHERE id = %s", [cron.id])
            (nextcall,) = setup.fetchone()
            setup.execute(
                "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' - interval '1 minute' WHERE id = %s", [cron.id]
            )
            setup.commit()
        try:
            with self._worker() as first:
                job = IrCron._acquire_one_job(first, cron.id)
                self.assertTrue(job)
                env = self.env(cr=first, user=job["user_id"])
                env["ir.cron"].browse(cron.id)._reschedule_later(job)
                first.commit()
            with self._worker() as second:
                self.assertIsNone(IrCron._acquire_one_job(second, cron.id), "not due anymore")
        finally:
            with self._worker() as setup:
                setup.execute("UPDATE ir_cron SET nextcall = %s WHERE id = %s", [nextcall, cron.id])
                setup.commit()

    def test_policy_check_takes_turns_with_check_now(self):
        """The policy check moves its cursors: while a worker runs it, "Check Now" is refused with
        a message and a second worker's scheduled run leaves them alone."""
        Deviation = self.env["key.account.policy.deviation"]
        params = self.env["ir.config_parameter"].sudo()
        since = "key_account_mgmt.policy_check_policies_since"
        params.set_param(since, "2026-01-01 00:00:00")
        with self._worker() as first:
            first.execute("SELECT pg_advisory_xact_lock(%s)", [2023_0001])
            with self.assertRaises(UserError):
                Deviation.with_user(self.ka_manager).action_check_now()
            Deviation._cron_check_policy_deviations()
            self.assertEqual(params.get_param(since), "2026-01-01 00:00:00")
            first.rollback()
        Deviation._cron_check_policy_deviations()
        self.assertGreater(params.get_param(since), "2026-01-01 00:00:00", "its turn once the other is done")
