#!/usr/bin/env bash
# Installs everything token-broker needs on a fresh machine, idempotently:
# Node.js 24 from the npm registry (into .tools/), the project's packages (npm ci, engine-strict),
# the moto AWS emulator (into .venv/), and the reference clients oathtool and awscli (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

node_major=24
tools_node=.tools/node_modules/.bin/node
if ! { [ -x "$tools_node" ] && "$tools_node" --version | grep -q "^v${node_major}\."; }; then
  echo "setup: installing Node.js ${node_major} from the npm registry into .tools/" >&2
  npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@${node_major}"
fi
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
echo "setup: node $(node --version), npm $(npm --version)" >&2

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` installs exactly what package-lock.json records and never rewrites it (it fails when
  # the lock and package.json disagree), so a clone stays clean after setup. Its `prepare` script
  # builds dist/.
  echo "setup: installing the project's packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -x .venv/bin/moto_server ]; then
  echo "setup: installing moto[server] into .venv/" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check 'moto[server]>=5.1,<6'
fi

missing=()
command -v oathtool >/dev/null || missing+=(oathtool)
[ -x /usr/bin/aws ] || missing+=(awscli)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]} from Debian" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install ${missing[*]} (Debian packages); the tests that use them will fail without" >&2
  fi
fi
