#!/bin/sh
# Builds the libFuzzer targets outside SwiftPM (they must not join `swift build`/`swift test`):
# VramfitCore and the readers (Sources/VramfitCatalog/Readers, which need no Yams) as static
# libraries instrumented with -sanitize=fuzzer,address, then one executable per Fuzz*.swift.
# VramfitCore is built with -enable-testing so FuzzAsk can share the question tests' catalog.
# Usage (repository root): sh Fuzz/build.sh; then e.g.
#   .build-fuzz/FuzzGGUF -runs=1000000 Fuzz/corpus/gguf
set -eu
OUT=${OUT:-.build-fuzz}
FLAGS="-sanitize=fuzzer,address -O -g -parse-as-library"
mkdir -p "$OUT"
swiftc $FLAGS -enable-testing -emit-library -static -emit-module -module-name VramfitCore \
  -emit-module-path "$OUT/VramfitCore.swiftmodule" -o "$OUT/libVramfitCore.a" $(find Sources/VramfitCore -name '*.swift' | sort)
swiftc $FLAGS -I "$OUT" -emit-library -static -emit-module -module-name VramfitReaders \
  -emit-module-path "$OUT/VramfitReaders.swiftmodule" -o "$OUT/libVramfitReaders.a" Sources/VramfitCatalog/Readers/*.swift
for f in Fuzz/Fuzz*.swift; do
  name=$(basename "$f" .swift)
  extra=""
  [ "$name" = FuzzAsk ] && extra=Tests/VramfitCoreTests/Ask/AskTestCatalog.swift
  swiftc $FLAGS -I "$OUT" -L "$OUT" -lVramfitReaders -lVramfitCore "$f" $extra -o "$OUT/$name"
done
