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

# Manual pages beside bin/ (man finds <dir>/share/man for every <dir>/bin on PATH), so
# that `git atse --help` and `git help atse` open them as for any git command.
mandir="$root/share/man/man1"
mkdir -p "$mandir" && cp docs/man/*.1 "$mandir/"
echo "installed the manual pages in $mandir"

# Completion scripts where each shell looks for them. bash-completion loads
# completions/git-atse for both `git-atse` and `git atse` (git's completion asks it for
# _git_atse); fish completes `git atse` from git-atse's completions too.
bash_dir="${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion/completions"
zsh_dir="$root/share/zsh/site-functions"
fish_dir="${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions"
mkdir -p "$bash_dir" "$zsh_dir" "$fish_dir"
"$bin" completions bash > "$bash_dir/git-atse"
"$bin" completions zsh > "$zsh_dir/_git-atse"
"$bin" completions fish > "$fish_dir/git-atse.fish"
echo "installed completions for bash ($bash_dir), zsh ($zsh_dir: add it to fpath) and fish ($fish_dir)"

case ":$PATH:" in
  *":$root/bin:"*) ;;
  *) echo "note: add $root/bin to PATH so that git finds git-atse" ;;
esac

if [ "$template" = 1 ]; then
  "$bin" install --template
fi
