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
# On x86-64 Linux the binary is linked statically (glibc's crt-static), non-PIE: it starts
# in about half the time of a dynamically linked one, which is most of a lookup's cost
# (see docs/BENCHMARKS.md). Elsewhere, or if that build fails, an ordinary build.
static_target=x86_64-unknown-linux-gnu
if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && \
   RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
   cargo install --locked --path . --root "$root" --force --target "$static_target"; then
  :
else
  cargo install --locked --path . --root "$root" --force
fi
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
