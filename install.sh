#!/usr/bin/env bash
# Builds git-atse and installs it onto PATH, so that `git atse ...` works.
#
#   ./install.sh                 install into ~/.cargo/bin (or $PREFIX/bin)
#   ./install.sh --template      also set up a git template directory so that new clones
#                                and `git init` get the git-atse hooks
set -euo pipefail
cd "$(dirname "$0")"

template=0
for arg in "$@"; do
  case "$arg" in
    --template) template=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

if ! command -v cargo >/dev/null 2>&1; then
  echo "install.sh: cargo is required (https://rustup.rs)" >&2
  exit 2
fi

root="${PREFIX:-$HOME/.cargo}"
cargo install --locked --path . --root "$root" --force
bin="$root/bin/git-atse"
echo "installed $bin"

if [ -f docs/git-atse.1 ]; then
  mandir="${PREFIX:-$HOME/.local}/share/man/man1"
  mkdir -p "$mandir" && cp docs/git-atse.1 "$mandir/"
fi

case ":$PATH:" in
  *":$root/bin:"*) ;;
  *) echo "note: add $root/bin to PATH so that git finds git-atse" ;;
esac

if [ "$template" = 1 ]; then
  "$bin" install --template
fi
