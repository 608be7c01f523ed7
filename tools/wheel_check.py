"""What the addon's wheel holds and asks for, checked before it is installed.

    wheel_check.py WHEEL      (ODOO_SRC: the Odoo tree whose addons are Odoo's own)

- only the addon, under odoo/addons/key_account_mgmt/, and the wheel's metadata: nothing of
  the repository around it (tests/, tools/, bench/, docs/, .kam/), no build or editable
  leftovers (build/), no compiled files;
- what an install needs: the manifest, the code, the data files the manifest lists, the
  translations, the Apps page and its pictures, README.rst;
- its requirements: Odoo 18.0, every addon of the manifest that Odoo does not ship (as
  odoo-addon-<name>), every Python library of its external_dependencies.
Prints the size and the contents by folder. Called by `./kam wheel-test`; exits 1 on a problem.
"""

import ast
import collections
import email.parser
import os
import pathlib
import re
import sys
import zipfile

ADDON = "key_account_mgmt"
ROOT = pathlib.Path(__file__).resolve().parent.parent
PREFIX = f"odoo/addons/{ADDON}/"
# none of these may be in the wheel: the repository's folders around the addon (its browser tours,
# static/tests/tours, are part of it: the manifest's web.assets_tests), build leftovers
FORBIDDEN = re.compile(r"^(tests|tools|bench|docs|screenshots|build|\.kam|\.venv|\.git)/|(^|/)__pycache__/|\.pyc$")
PAGE = "static/description/index.html"  # the Apps page
NEEDED = ["__manifest__.py", "__init__.py", "README.rst", "i18n/zh_CN.po", "static/description/icon.png", PAGE]


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def main(path):
    manifest = ast.literal_eval((ROOT / ADDON / "__manifest__.py").read_text(encoding="utf-8"))
    odoo_src = pathlib.Path(os.environ["ODOO_SRC"])
    problems = []
    with zipfile.ZipFile(path) as wheel:
        names = [n for n in wheel.namelist() if not n.endswith("/")]
        dist_info = [n for n in names if ".dist-info/" in n]
        addon = [n[len(PREFIX) :] for n in names if n.startswith(PREFIX)]
        problems += [f"outside the addon: {n}" for n in names if n not in dist_info and not n.startswith(PREFIX)]
        problems += [f"not for the wheel: {n}" for n in addon if FORBIDDEN.search(n) or n == "pyproject.toml"]
        page = wheel.read(PREFIX + PAGE).decode() if PAGE in addon else ""
        # the pictures of the Apps page, named relative to static/description/
        pictures = [f"static/description/{src}" for src in re.findall(r'src="([^"/:]+)"', page)]
        problems += [f"missing: {f}" for f in NEEDED + manifest["data"] + pictures if f not in addon]
        metadata = email.parser.HeaderParser().parsestr(
            wheel.read(next(n for n in dist_info if n.endswith("/METADATA"))).decode()
        )
    requires = {normalize(re.split(r"[=<>!~ ;\[]", r, maxsplit=1)[0]): r for r in metadata.get_all("Requires-Dist")}
    wanted = ["odoo"] + [
        f"odoo-addon-{d}"
        for d in manifest["depends"]
        if not (odoo_src / "addons" / d).is_dir() and not (odoo_src / "odoo" / "addons" / d).is_dir()
    ]
    wanted += manifest.get("external_dependencies", {}).get("python", [])
    problems += [f"does not require {w}" for w in wanted if normalize(w) not in requires]
    if metadata["Version"].split(".")[:5] != manifest["version"].split("."):
        problems.append(f"version {metadata['Version']} is not the manifest's {manifest['version']}")

    by_folder = collections.Counter(f.split("/")[0] if "/" in f else "(top)" for f in addon)
    print(f"{os.path.basename(path)}: {os.path.getsize(path) / 1024:.0f} KiB, {len(addon)} files of the addon")
    print("  " + ", ".join(f"{folder} {count}" for folder, count in sorted(by_folder.items())))
    print("  requires " + ", ".join(sorted(requires.values())))
    for problem in problems:
        print("  PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
