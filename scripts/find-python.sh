#!/usr/bin/env bash
# Print the path of a Python 3.12+ interpreter, or explain why there is none.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
want=$(cat "$(dirname "$0")/../.python-version" 2>/dev/null || echo 3.12)
candidates=("${PYTHON:-}")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  candidates+=("$root/versions/$want"*/bin/python)
  candidates+=($(ls -d "$root"/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV))
fi
candidates+=(python3.13 python3.12 python3.14 python3)
for c in "${candidates[@]}"; do
  [ -n "$c" ] || continue
  p=$(command -v "$c" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
echo "Newshub needs Python 3.12 or newer (Django 6 requires it), and none was found." >&2
echo "Install one (e.g. 'pyenv install 3.12' or your distribution's python3.12)," >&2
echo "or point PYTHON at it: make run PYTHON=/path/to/python3.12" >&2
exit 1
