#!/usr/bin/env bash
# Installs the Debian 12 packages mho needs, and only those that are missing.
# Idempotent; works as root or through sudo. Nothing is fetched from anywhere but
# Debian's archive (see ../docs/Development.md for what each package is for).
set -euo pipefail

packages=(
  # compiler: MLIR/LLVM 22 libraries, headers, FileCheck/not/split-file, lit
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  # timing model, RTL simulation and RTL synthesis check
  libsystemc-dev verilator yosys
  # support libraries, tests and benchmarks
  libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev libopenblas-dev
  # build tools
  cmake ninja-build ccache g++ pkg-config python3 time
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install as root: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
