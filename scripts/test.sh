#!/usr/bin/env bash
# Builds herkomst with warnings as errors and runs the whole test suite through CTest.
# Usage: scripts/test.sh [build-dir]   (default: build-test; ASan+UBSan on unless HERKOMST_SANITIZE=OFF)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build-test}"
sanitize="${HERKOMST_SANITIZE:-ON}"

# The official CycloneDX validator, pinned by tests/cdx-validate/package-lock.json.
npm ci --prefix tests/cdx-validate --no-audit --no-fund --loglevel=error

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DHERKOMST_WERROR=ON -DHERKOMST_SANITIZE="$sanitize"
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
