#!/usr/bin/env bash
# Idempotent set-up: a local virtual environment with the package and its dev extra, and the
# Node tooling (Node 22 for jsii, the aws-cdk CLI) from package-lock.json. A second run only
# checks the stamps and returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .stamps

# Graphviz ('dot' lays out constructs-sfn graph) and Chromium (the HTML report's browser tests),
# from Debian's packages, only when missing: a second run costs nothing.
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "==> installing ${missing[*]} (apt-get)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
        >.stamps/apt-install.log 2>&1; then
      tail -20 .stamps/apt-install.log
      echo "apt-get install ${missing[*]} failed; full log in .stamps/apt-install.log" >&2
      exit 1
    fi
  else
    echo "==> note: ${missing[*]} not installed (apt-get install ${missing[*]}); the graph tests skip without them" >&2
  fi
fi

py_stamp=".stamps/python-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -x .venv/bin/python ] || [ ! -f "$py_stamp" ]; then
  echo "==> creating .venv and installing constructs_sfn[dev]"
  python3 -m venv .venv
  log=".stamps/pip-install.log"
  if ! { .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip \
         && .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"; } >"$log" 2>&1; then
    grep -v "^WARNING: Location" "$log" | tail -40
    echo "pip install failed; full log in $log" >&2
    exit 1
  fi
  rm -f .stamps/python-*
  touch "$py_stamp"
fi

node_stamp=".stamps/node-$(cat package.json package-lock.json | sha256sum | cut -c1-16)"
if [ ! -x node_modules/.bin/cdk ] || [ ! -x node_modules/.bin/node ] || [ ! -f "$node_stamp" ]; then
  echo "==> installing Node 22 and the aws-cdk CLI (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  rm -f .stamps/node-*
  touch "$node_stamp"
fi
