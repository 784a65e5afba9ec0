#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, offline-safe (npm registry + Debian apt only), and skips what is there:
#   - Debian packages: chromium (the workbench client), ripgrep (replaces @vscode/ripgrep's GitHub download),
#     libkrb5-dev (headers for code-server's 'kerberos' addon build)
#   - code-server@4.100.3 (= VS Code 1.100.3, the newest line that runs on Node 20) into .vscode-test/code-server,
#     with its own package.json + lockfile so it never touches the extension's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
CS_VERSION="${CS_VERSION:-4.100.3}"
CS_DIR="${CS_DIR:-$PWD/.vscode-test/code-server}"
RG_PKG_VERSION="1.15.11"   # @vscode/ripgrep version pinned by code-server 4.100.3

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v rg >/dev/null || need_apt+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

SERVER_MAIN="$CS_DIR/node_modules/code-server/lib/vscode/out/server-main.js"
if [ -f "$SERVER_MAIN" ] && grep -q "\"version\": \"$CS_VERSION\"" "$CS_DIR/node_modules/code-server/package.json" 2>/dev/null; then
  echo "== code-server $CS_VERSION already installed in $CS_DIR"
  exit 0
fi

echo "== installing code-server $CS_VERSION into $CS_DIR (about 80 s)"
mkdir -p "$CS_DIR/tmp"
export TMPDIR="$CS_DIR/tmp"   # npm and ripgrep temp files stay inside CS_DIR
# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable offline); it first looks for a cached
# download in $TMPDIR/vscode-ripgrep-cache-<version>/, so seed that cache with Debian's rg.
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$RG_CACHE"
tar -C "$(dirname "$(command -v rg)")" -czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg

cd "$CS_DIR"
[ -f package.json ] || echo '{ "private": true, "description": "VS Code server for the extension tests (not shipped)" }' > package.json
# unsafe_perm: code-server's postinstall refuses to run as root without it; yes: node-pty's postinstall runs `npx node-gyp`.
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
rm -rf "$CS_DIR/tmp"
[ -f "$SERVER_MAIN" ] || { echo "code-server installed but $SERVER_MAIN is missing" >&2; exit 1; }
echo "== code-server $(node -p "require('./node_modules/code-server/package.json').version") installed"
