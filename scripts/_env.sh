# Sourced by scripts/run, scripts/test and scripts/i18n: picks the Python
# environment the project works in and installs the addon with its test tools.
#
# Which Python:
#   * an activated virtual environment ($VIRTUAL_ENV) is used as it is;
#   * otherwise a project-local .venv is made from $PYTHON (default python3)
#     with --system-site-packages, so an Odoo installed in that Python (for
#     example with `pip install -e /path/to/odoo`) is seen from the venv.
# Where Odoo runs from a source tree pip does not know about, point
# $ODOO_SRC at that tree (the folder holding odoo-bin): it is put on
# PYTHONPATH so `import odoo` works.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MUZZA_ROOT="$ROOT"

if [ -n "${ODOO_SRC:-}" ]; then
    if [ ! -f "$ODOO_SRC/odoo/__init__.py" ]; then
        echo "ODOO_SRC=$ODOO_SRC does not hold an Odoo source tree (no odoo/__init__.py there)." >&2
        exit 2
    fi
    export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
fi

if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
    PY="$VIRTUAL_ENV/bin/python"
else
    BASE_PY="${PYTHON:-python3}"
    if ! command -v "$BASE_PY" >/dev/null 2>&1; then
        echo "No Python found: install Python 3.10+ or set PYTHON=/path/to/python3." >&2
        exit 2
    fi
    VENV="$ROOT/.venv"
    if [ ! -x "$VENV/bin/python" ]; then
        echo "==> creating $VENV (with the system site-packages, where Odoo may live)"
        "$BASE_PY" -m venv --system-site-packages "$VENV"
    fi
    PY="$VENV/bin/python"
fi
export MUZZA_PY="$PY"

# (Re)install the addon and its test tools when the packaging changed.
STAMP_DIR="$("$PY" -c 'import sys; print(sys.prefix)')"
STAMP="$STAMP_DIR/.muzza_receivables.stamp"
WANT="$(cat "$ROOT/setup.py" "$ROOT"/muzza_receivables*/__manifest__.py | sha256sum | cut -d' ' -f1) $ROOT"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    echo "==> installing muzza_receivables (editable) with its test tools into $STAMP_DIR"
    "$PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT[test]"
    echo "$WANT" > "$STAMP"
fi
