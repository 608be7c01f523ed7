"""What an upgrade of key_account_mgmt must keep, measured before and compared after.

    upgrade_check.py snapshot CONF DB OUT.json   before `-u key_account_mgmt`
    upgrade_check.py compare CONF DB BEFORE.json after it; exits 1 on any loss

The snapshot holds, for every table of the addon's models and many2many relations, for the
key-account columns it adds to res.partner, and for the chatter (messages, activities,
followers) of the partner and of the addon's models:
- the ids of the rows, so a lost row is named;
- one md5 per row and column, so a changed value is named.

After the upgrade:
- every row must still be there;
- rows of the histories (models on key.account.history.mixin, approval reviews, messages)
  must keep every value of the columns both versions have;
- the module must be installed at the version of the manifest.
Other tables may change by design (a migration fills a new column, the ORM recomputes a
stored field): their changed values are printed, not counted as failures. Messages may move
to another record (model, res_id) but keep their text, author and date.
Called by `./kam upgrade-test`.
"""

import ast
import json
import pathlib
import sys

from psycopg2 import sql

import odoo

ADDON = "key_account_mgmt"
# chatter rows whose text and author an upgrade may move to another record, never change
MOVABLE = {"model", "res_id", "res_model", "res_model_id", "write_date", "write_uid"}
# the ORM's bookkeeping, touched by any write
NOISE = {"write_date", "write_uid"}


def addon_tables(cr):
    """Tables of the models the addon creates (SQL views left out; models it only extends,
    like res.partner, are taken column by column) and of its many2many fields."""
    cr.execute(
        """
        SELECT m.model FROM ir_model m
          JOIN LATERAL (
                SELECT d.module FROM ir_model_data d
                 WHERE d.model = 'ir.model' AND d.res_id = m.id
                 ORDER BY d.id LIMIT 1
               ) creator ON creator.module = %s
        """,
        [ADDON],
    )
    models = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        """
        SELECT DISTINCT f.relation_table FROM ir_model_fields f
          JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id AND d.module = %s
         WHERE f.ttype = 'many2many' AND f.relation_table IS NOT NULL
        """,
        [ADDON],
    )
    tables = {model.replace(".", "_"): model for model in models}
    tables.update({row[0]: None for row in cr.fetchall()})
    cr.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND relname = ANY(%s)", [list(tables)])
    real = {row[0] for row in cr.fetchall()}
    return {table: model for table, model in tables.items() if table in real}, models


def partner_columns(cr):
    cr.execute(
        """
        SELECT f.name FROM ir_model_fields f
          JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id AND d.module = %s
          JOIN information_schema.columns c ON c.table_name = 'res_partner' AND c.column_name = f.name
         WHERE f.model = 'res.partner'
        """,
        [ADDON],
    )
    return sorted(row[0] for row in cr.fetchall())


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY column_name",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def row_digests(cr, table, cols, where=None, params=(), key=None):
    """{row key: {column: md5 of its text}} (key: id, or the whole row of a relation table)."""
    where = where or sql.SQL("TRUE")
    if key is None:
        key = "id" if "id" in cols else None
    key_sql = (
        sql.Identifier(key)
        if key
        else sql.SQL("md5(ROW({})::text)").format(sql.SQL(", ").join(map(sql.Identifier, cols)))
    )
    query = sql.SQL("SELECT {key}::text, {digests} FROM {table} WHERE {where}").format(
        key=key_sql,
        digests=sql.SQL(", ").join(sql.SQL("md5({}::text)").format(sql.Identifier(col)) for col in cols),
        table=sql.Identifier(table),
        where=where,
    )
    cr.execute(query, params)
    return {row[0]: dict(zip(cols, row[1:], strict=True)) for row in cr.fetchall()}


def snapshot(cr):
    tables, models = addon_tables(cr)
    chatter_models = models + ["res.partner"]
    data = {"tables": {}, "models": models}
    for table in sorted(tables):
        cols = columns(cr, table)
        data["tables"][table] = row_digests(cr, table, cols)
    partner_cols = partner_columns(cr)
    data["tables"]["res_partner"] = row_digests(cr, "res_partner", ["id", *partner_cols])
    for table, model_col in (
        ("tier_review", "model"),
        ("mail_message", "model"),
        ("mail_activity", "res_model"),
        ("mail_followers", "res_model"),
    ):
        if table == "tier_review" and not columns(cr, table):
            continue  # before the layered approval
        cols = [c for c in columns(cr, table) if c not in MOVABLE]
        data["tables"][table] = row_digests(
            cr, table, cols, sql.SQL("{} = ANY(%s)").format(sql.Identifier(model_col)), [chatter_models]
        )
    return data


def heirs(cr, mixin):
    """{table: model} of the models that inherit ``mixin``, directly or not, with a table."""
    cr.execute(
        """
        WITH RECURSIVE heirs(id) AS (
                SELECT id FROM ir_model WHERE model = %s
                 UNION
                SELECT i.model_id FROM ir_model_inherit i JOIN heirs ON heirs.id = i.parent_id
             )
        SELECT t.relname, m.model FROM heirs
          JOIN ir_model m ON m.id = heirs.id
          JOIN pg_class t ON t.relname = replace(m.model, '.', '_') AND t.relkind = 'r'
        """,
        [mixin],
    )
    return dict(cr.fetchall())


def history_tables(cr):
    """Append-only: models on the history mixin, approval reviews, the chatter."""
    return set(heirs(cr, "key.account.history.mixin")) | {"tier_review", "mail_message"}


def confidential_texts_on_partners(cr):
    """Texts of the confidential records (their text and html fields) found in the messages or
    activities of res.partner, which every internal user reads: none may be there after the
    upgrade (the trust boundary moved them onto the confidential records)."""
    cr.execute(
        """
        SELECT m.model, f.name FROM ir_model m
          JOIN ir_model_fields f ON f.model_id = m.id AND f.ttype IN ('text', 'html') AND f.store
         WHERE m.model = ANY(%s)
        """,
        [list(heirs(cr, "key.account.confidential.mixin").values())],
    )
    leaks = []
    for model, field in cr.fetchall():
        query = sql.SQL(
            """
            SELECT c.id, m.id FROM {table} c
              JOIN mail_message m ON m.model = 'res.partner' AND m.body::text LIKE '%%' || c.{field}::text || '%%'
             WHERE length(c.{field}::text) >= 12
            UNION ALL
            SELECT c.id, -a.id FROM {table} c
              JOIN mail_activity a ON a.res_model = 'res.partner'
                   AND (a.note::text LIKE '%%' || c.{field}::text || '%%' OR a.summary LIKE '%%' || c.{field}::text || '%%')
             WHERE length(c.{field}::text) >= 12
            """
        ).format(table=sql.Identifier(model.replace(".", "_")), field=sql.Identifier(field))
        cr.execute(query)
        leaks += [
            f"{model}.{field} of record {rid} is on the partner's {'message' if mid > 0 else 'activity'} {abs(mid)}"
            for rid, mid in cr.fetchall()
        ]
    return leaks


def compare(cr, before):
    failures, notes = [], []
    cr.execute("SELECT state, latest_version FROM ir_module_module WHERE name = %s", [ADDON])
    state, version = cr.fetchone()
    manifest = ast.literal_eval((pathlib.Path(__file__).parent.parent / ADDON / "__manifest__.py").read_text())
    if state != "installed" or version != manifest["version"]:
        failures.append(f"module is {state} at {version}, not installed at {manifest['version']}")
    failures += confidential_texts_on_partners(cr)
    histories = history_tables(cr)
    for table, rows in before["tables"].items():
        if not rows:
            continue
        old_cols = list(next(iter(rows.values())))
        cr.execute("SELECT to_regclass(%s)", [table])
        if not cr.fetchone()[0]:
            failures.append(f"{table}: table gone with its {len(rows)} rows")
            continue
        cols = [c for c in old_cols if c in set(columns(cr, table))]
        key = "id" if "id" in old_cols else None
        if key is None and cols != old_cols:
            failures.append(f"{table}: relation table lost columns {sorted(set(old_cols) - set(cols))}")
            continue
        after = row_digests(cr, table, cols, key=key) if cols else {}
        lost = sorted(set(rows) - set(after), key=lambda k: (len(k), k))
        if lost:
            failures.append(f"{table}: {len(lost)} of {len(rows)} rows lost ({', '.join(lost[:10])})")
        changed = {}
        for row_key, digests in rows.items():
            for col in set(cols) - NOISE:
                if row_key in after and after[row_key][col] != digests[col]:
                    changed.setdefault(col, []).append(row_key)
        for col, keys in sorted(changed.items()):
            line = f"{table}.{col}: {len(keys)} of {len(rows)} rows changed ({', '.join(keys[:5])})"
            (failures if table in histories else notes).append(line)
        dropped = sorted(set(old_cols) - set(cols))
        if dropped:
            notes.append(f"{table}: columns dropped by design: {', '.join(dropped)}")
    return failures, notes


def main():
    mode, conf, db, path = sys.argv[1:5]
    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    with odoo.sql_db.db_connect(db).cursor() as cr:
        if mode == "snapshot":
            data = snapshot(cr)
            pathlib.Path(path).write_text(json.dumps(data))
            rows = sum(len(t) for t in data["tables"].values())
            print(f"snapshot: {len(data['tables'])} tables, {rows} rows")
            return 0
        before = json.loads(pathlib.Path(path).read_text())
        failures, notes = compare(cr, before)
    rows = sum(len(t) for t in before["tables"].values())
    for line in notes:
        print("  note:", line)
    for line in failures:
        print("  FAIL:", line)
    print(f"compare: {len(before['tables'])} tables, {rows} rows before, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
