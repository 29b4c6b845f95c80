#!/usr/bin/env bash
# Installs the Python linters the deploy tests use (parliament, kubernetes-validate, compose-spec,
# promql-parser) from PyPI into the project-local venv .tools/deploy-venv, once per requirements
# change, and prints the venv's python. Installs nothing else; needs python3 with venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/deploy-venv"
requirements="$root/scripts/deploy-tools/requirements.txt"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
# The stamp is written only after a successful install of exactly these requirements.
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$wanted" ] || ! "$venv/bin/python" -c 'pass' 2>/dev/null; then
  command -v python3 >/dev/null 2>&1 || { echo "deploy-tools: python3 is missing (apt-get install -y python3 python3-venv)" >&2; exit 1; }
  echo "deploy-tools: installing $(grep -v '^#' "$requirements" | sed 's/#.*//' | xargs) into $venv" >&2
  rm -rf "$venv"
  mkdir -p "$root/.tools"
  python3 -m venv "$venv" >&2 || { echo "deploy-tools: 'python3 -m venv' failed (apt-get install -y python3-venv)" >&2; exit 1; }
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" >&2
  echo "$wanted" >"$venv/.requirements.sha256"
fi
echo "$venv/bin/python"
