#!/usr/bin/env bash
# Refreshes the vendored rich-text editor (Quill, BSD-3-Clause) in
# crates/web/assets/vendor/quill/ from the npm registry. The files are kept
# unmodified and committed, so building and running eduportal needs no Node.js;
# only this script does. Usage: bash scripts/refresh-editor.sh [version]
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-2.0.3}"
dest=crates/web/assets/vendor/quill
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "quill@$version" >/dev/null && tar xzf quill-*.tgz)
mkdir -p "$dest"
cp "$tmp/package/dist/quill.js" "$tmp/package/dist/quill.snow.css" "$tmp/package/LICENSE" "$dest/"
echo "$version" >"$dest/VERSION"
echo "refresh-editor: Quill $version in $dest"
