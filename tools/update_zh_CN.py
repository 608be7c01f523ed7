"""Merge the exported .pot into i18n/zh_CN.po, the one source of the Chinese (edit it with a
PO editor such as Poedit), keeping its translations; print what is still untranslated.
Called by `./kam i18n`; exits 1 when an entry has no translation."""

import pathlib
import re
import sys

import polib

# the editable install (build/__editable__/odoo/addons/key_account_mgmt) links back to the addon:
# Odoo's export follows the link, so that each file is also found under every depth of it
EDITABLE_LOOP = re.compile(r"addons/key_account_mgmt/(build/__editable__/odoo/addons/key_account_mgmt/)+")


def without_editable_loop(catalog):
    for entry in catalog:
        entry.occurrences = list(
            dict.fromkeys(
                (EDITABLE_LOOP.sub("addons/key_account_mgmt/", path), line) for path, line in entry.occurrences
            )
        )
    return catalog


root = pathlib.Path(__file__).resolve().parent.parent
i18n = root / "key_account_mgmt" / "i18n"
pot = without_editable_loop(polib.pofile(str(i18n / "key_account_mgmt.pot")))
pot.save()
po_path = i18n / "zh_CN.po"
po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
po.metadata = {**pot.metadata, "Language": "zh_CN", "Plural-Forms": "nplurals=1; plural=0;"}

known = {e.msgid: e.msgstr for e in po if e.msgstr}
po.merge(pot)
po[:] = [e for e in without_editable_loop(po) if not e.obsolete]  # strings no longer in the addon
missing = []
for entry in po:
    if entry.msgid in known:
        entry.msgstr = known[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    elif not entry.msgstr or "fuzzy" in entry.flags:
        missing.append(entry.msgid)
po.save(str(po_path))
print(f"zh_CN.po: {len(po)} entries, {len(missing)} untranslated")
for msgid in missing:
    print("  untranslated:", msgid)
sys.exit(1 if missing else 0)
