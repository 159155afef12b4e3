#!/usr/bin/env bash
# Runs the CUDA kernels' per-thread code on the CPU, no GPU needed: extracts the format structs,
# int4_repack, stage_x and kv_store from Sources/VramfitCUDA/Kernels, compiles them as C++ with
# host stand-ins for the PTX (host_prelude.h) and checks them against independent references
# (main.cpp, ggml_ref.cpp). Usage, from the repository root: scripts/emulate/emulate-kernels.sh
# CXX picks the compiler (default: clang++ on PATH, then the Swift toolchain's).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CXX=${CXX:-$(command -v clang++ || echo /opt/swift/usr/bin/clang++)}
python3 "$here/extract.py" "$here/../.." "$work/kernels.inc"
"$CXX" -std=c++17 -O1 -ffp-contract=off -c "$here/ggml_ref.cpp" -o "$work/ref.o"
"$CXX" -std=c++17 -O1 -ffp-contract=off -Wno-deprecated-declarations -I"$here" -I"$work" "$here/main.cpp" "$work/ref.o" -o "$work/emulate"
"$work/emulate"
