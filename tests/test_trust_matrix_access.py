"""The trust matrix (issue #16, see test_trust_matrix.py): every confidential model × every
role × every way of reading it, writing or deleting it, and creating it for another team's
account, allowed or denied as SPEC §1 says."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_trust_matrix import EXPORT_FREE, TrustMatrixCase, _is_confidential

# who writes / deletes what, beyond the ACL: roles whose rule is read-only on the model
READ_ONLY_RULES = {
    "key.account.application": ("clerk",),
    "key.account.application.line": ("clerk",),
    "key.account.archive.grant": ("ka_user", "ka_user_off", "clerk"),
}
# creating a record for another team's account is how these work
CREATE_FOR_OTHERS = {
    "key.account.news": "any salesperson reports news of any account (SPEC §7)",
    "key.account.archive.grant": "access to another team's archive is requested with a grant",
    "key.account.application": "any user nominates any company",
    "key.account.application.line": "lines of one's own nomination",
}
# models written only by the actions that own them, never created over RPC as a record
# the team itself may not create these (so only the refusal for the other team is checked)
OWN_CREATE_REFUSED = {
    "key.account.manual.score": "rated by the criterion's scorer group (SPEC §4), not by the team",
    "key.account.development.progress": "reported on an approved plan in development only; the matrix's plans are drafts",
    "key.account.development.signoff": "named on an approved plan in development only; the matrix's plans are drafts",
}
NO_DIRECT_CREATE = {
    "key.account.kpi",
    "key.account.order.board",
    "key.account.policy.deviation",
    "key.account.receivable.report",
    "key.account.score.line",
}
# a person's own records (no account): the other side's record is another specialist's, kept so
OWN_RECORDS = {"key.account.trip": "a specialist's business trip"}
PATHS = ("search", "search_count", "read", "read_group", "web_search_read", "web_read", "name_search", "export_data")


@tagged("post_install", "-at_install")
class TestTrustMatrixAccess(TrustMatrixCase):
    # ------------------------------------------------------------------ the matrix
    def _read_outcome(self, name, user, path):
        """The sides (mine / other) the user reaches through ``path``; None when refused."""
        pair = self._pair(name)
        model = self.env[name].with_user(user)
        domain = [("id", "in", [record.id for record in pair.values()])]
        by_id = {record.id: side for side, record in pair.items()}
        try:
            with self.env.cr.savepoint():
                if path == "search":
                    return {by_id[record.id] for record in model.search(domain)}
                if path == "search_count":
                    return model.search_count(domain)
                if path == "read_group":
                    groups = model.read_group(domain, ["__count"], ["id"])
                    return {
                        by_id[group["id"][0] if isinstance(group["id"], (list, tuple)) else group["id"]]
                        for group in groups
                    }
                if path == "web_search_read":
                    result = model.web_search_read(domain, {"display_name": {}})
                    return {by_id[row["id"]] for row in result["records"]}
                if path == "name_search":
                    return {by_id[record_id] for record_id, _name in model.name_search("", domain, limit=None)}
                reached = set()
                for side, record in pair.items():
                    try:
                        with self.env.cr.savepoint():
                            if path == "read":
                                record.with_user(user).read(["display_name"])
                            elif path == "web_read":
                                record.with_user(user).web_read({"display_name": {}})
                            elif path == "export_data":
                                record.with_user(user).export_data(["display_name"])
                            reached.add(side)
                    except AccessError:
                        pass
                return reached
        except AccessError:
            return None

    def test_read_matrix(self):
        """Every confidential model × role × read path (search, count, read, group, the web
        client's reads, name_search, export)."""
        failures, cells = [], 0
        for name in self.confidential:
            for role, user in self.users.items():
                expected = self._expected(name, role)
                readable = self._acl(name, user, "read")
                for path in PATHS:
                    cells += 1
                    outcome = self._read_outcome(name, user, path)
                    if path == "export_data":
                        want = expected if role in ("manager", "director") or name in EXPORT_FREE else set()
                    elif path == "search_count":
                        want = len(expected) if readable else None
                    else:
                        want = expected if readable else None
                    if not readable and path in ("read", "web_read") and outcome == set():
                        outcome = None
                    if outcome != want and not (want == set() and outcome is None):
                        failures.append(f"{name} {role} {path}: got {outcome}, expected {want}")
        self.assertFalse(failures, "\n".join(failures))
        self.assertGreaterEqual(cells, 25 * 7 * 8)

    def test_write_matrix(self):
        """Write and delete: never by someone off the account team or of another company; the
        team and the clerks/managers as far as the ACL lets them."""
        failures = []
        for name in self.confidential:
            for role, user in self.users.items():
                for operation in ("write", "unlink"):
                    allowed_acl = self._acl(name, user, operation)
                    expected = (
                        self._expected(name, role)
                        if allowed_acl and role not in READ_ONLY_RULES.get(name, ())
                        else set()
                    )
                    if name == "key.account.archive.grant":  # decided by managers, requests only created
                        expected = expected if role in ("manager", "director") else set()
                    for side, record in self._pair(name).items():
                        try:
                            record.with_user(user).check_access(operation)
                            outcome = True
                        except AccessError:
                            outcome = False
                        if outcome != (side in expected):
                            failures.append(f"{name} {role} {operation} {side}: {'allowed' if outcome else 'denied'}")
        self.assertFalse(failures, "\n".join(failures))

    def test_create_into_another_team(self):
        """The KA User on one team cannot create a confidential record (or a line of one) for
        another team's account; the same values for their own account are accepted (so the
        refusal is the trust boundary's, not a missing value's)."""
        failures, tested = [], 0
        for name in self.confidential:
            if name in CREATE_FOR_OTHERS or name in NO_DIRECT_CREATE or not self._acl(name, self.ka_user, "create"):
                continue
            tested += 1
            parents = getattr(self.env[name], "_confidential_parents", ())
            lines = bool(parents) and _is_confidential(self.env[self.env[name]._fields[parents[0]].comodel_name])
            # a line: into the other team's parent record; else for an account of the other team
            own_allowed = name not in OWN_CREATE_REFUSED
            for side, partner, allowed in (
                ("other", self.spare_account, False),
                ("mine", self.spare_own_account, own_allowed),
            ):
                vals = self._guess_vals(name, side, self.accounts[side] if lines else partner)
                vals = {
                    key: (
                        self.ka_user.id
                        if value == self.ka_user_off.id and key.endswith("user_id") and name not in OWN_RECORDS
                        else value
                    )
                    for key, value in vals.items()
                }
                try:
                    with self.env.cr.savepoint():
                        self.env[name].with_user(self.ka_user).create(vals).flush_recordset()
                    created = True
                except (AccessError, UserError) as error:
                    created, reason = False, error
                if created != allowed:
                    failures.append(f"{name} for {side}: {'created' if created else reason}")
        self.assertFalse(failures, "\n".join(failures))
        self.assertGreaterEqual(tested, 8)
