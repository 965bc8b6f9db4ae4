#!/usr/bin/env bash
# Installs what the browser test (e2e/) needs: Debian's Chromium, fonts that draw
# Vietnamese, Java (for the HTML checker, vnu.jar) and the npm packages pinned in
# e2e/package-lock.json. Idempotent and
# quick when everything is already there. Needs root (or sudo) only for apt-get.
# Playwright's own browser download is never used: Chromium comes from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "install-browser: installing Chromium from Debian"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  pkgs=(chromium)
  # Fonts with Vietnamese glyphs, so screenshots show real text, not boxes.
  for font in fonts-noto-core fonts-dejavu-core; do
    if [ -n "$(apt-cache policy "$font" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2}')" ]; then
      pkgs+=("$font")
    else
      echo "install-browser: package $font not found, skipping it" >&2
    fi
  done
  $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
fi
/usr/bin/chromium --version

# The Nu Html Checker (npm vnu-jar, run by e2e/audit.test.mjs) is a Java program.
# Its package would fetch a Java of its own at install time; Debian's is used instead
# (npm ci below runs no install scripts).
if ! command -v java >/dev/null 2>&1; then
  echo "install-browser: installing Java from Debian"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends default-jre-headless
fi
java -version 2>&1 | head -n 1

if ! command -v npm >/dev/null 2>&1; then
  echo "install-browser: npm is missing (Node.js 20 or newer is needed)" >&2
  exit 1
fi

# npm ci wipes and reinstalls node_modules; skip it when the lock file is unchanged
# since the last install.
stamp=e2e/node_modules/.install-stamp
if [ -f e2e/package-lock.json ]; then
  want="$(sha256sum e2e/package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    npm ci --prefix e2e --no-audit --no-fund --ignore-scripts
    echo "$want" >"$stamp"
  fi
else
  npm install --prefix e2e --no-audit --no-fund --ignore-scripts
fi
echo "install-browser: ready"
