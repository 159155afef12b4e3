#!/bin/sh
# Benchmark of the ask parser without sanitizers (release -O, whole module): VramfitCore as a
# static library plus Fuzz/BenchAsk.swift and the question tests' catalog. Usage (repository root):
#   sh Fuzz/bench-ask.sh && .build-fuzz/bench/BenchAsk 20000
#   .build-fuzz/bench/BenchAsk 20000 --dump /tmp/ask.txt   # every parse and resolution, to compare two builds
set -eu
OUT=${OUT:-.build-fuzz}/bench
FLAGS="-O -wmo -enable-testing"
mkdir -p "$OUT"
swiftc $FLAGS -parse-as-library -emit-library -static -emit-module -module-name VramfitCore \
  -emit-module-path "$OUT/VramfitCore.swiftmodule" -o "$OUT/libVramfitCore.a" $(find Sources/VramfitCore -name '*.swift' | sort)
swiftc $FLAGS -parse-as-library -I "$OUT" -L "$OUT" -lVramfitCore Fuzz/BenchAsk.swift Tests/VramfitCoreTests/Ask/AskTestCatalog.swift \
  -o "$OUT/BenchAsk"
