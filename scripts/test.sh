#!/usr/bin/env bash
# Sets everything up on Debian 12 and runs every test: installs missing
# packages, configures and builds the `release` preset, runs ctest (lit, unit,
# SystemC and RTL tests). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release
ctest --preset release
