#!/usr/bin/env python3
"""Writes kernels.inc: the parts of the CUDA source (the Swift raw strings in
Sources/VramfitCUDA/Kernels) that run per thread and need no GPU instruction: the FormatArgs
block of the prelude, every format struct and int4_repack, stage_x, and the KV-cache store.
Usage: extract.py REPO_ROOT OUT_FILE"""
import sys, os
root, out = sys.argv[1], sys.argv[2]
def raw(name):
    s = open(os.path.join(root, 'Sources/VramfitCUDA/Kernels', name)).read()
    a = s.index('#"""') + 4
    return s[a:s.index('"""#', a)]
def cut(text, start, end):
    a = text.index(start)
    return text[a:text.index(end, a)]
pre, fmt, mat, lay = raw('PreludeSource.swift'), raw('FormatSource.swift'), raw('MatrixSource.swift'), raw('LayerSource.swift')
parts = [
    pre[pre.index('struct FormatArgs'):],
    fmt,
    cut(mat, 'template <class F>\nDEVI void stage_x', 'template <class F, int ROWS, int U>'),
    cut(lay, 'DEVI u16 f2bf', '/* q [T][H][d]'),
]
open(out, 'w').write('\n'.join(parts))
