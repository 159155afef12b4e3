/* Host (CPU) stand-ins for the CUDA prelude of Sources/VramfitCUDA/Kernels/PreludeSource.swift, so
   the kernels' format structs and per-thread code compile as plain C++ and run on a machine with
   no GPU. Half2 arithmetic is emulated with one rounding per operation, as the PTX does (an fp16
   product is exact in double, so a*b+c in double then one rounding to fp16 is fma.rn.f16x2).
   Built by scripts/emulate/emulate-kernels.sh; not part of the package build. */
#include <cmath>
#include <cstdint>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <strings.h>
typedef unsigned char u8;
typedef signed char i8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;
#define DEVI inline
#define __device__
#define __global__
#define __forceinline__
#define __restrict__
#define __launch_bounds__(...)
struct Dim3E { unsigned x = 0, y = 0, z = 0; };
static Dim3E threadIdx, blockIdx, blockDim, gridDim;
struct uint4 { u32 x, y, z, w; };
struct uint2 { u32 x, y; };
struct float4 { float x, y, z, w; };
struct float2 { float x, y; };
static inline uint2 make_uint2(u32 a, u32 b) { return {a, b}; }
static inline float4 make_float4(float a, float b, float c, float d) { return {a, b, c, d}; }
static inline float2 make_float2(float a, float b) { return {a, b}; }
static inline float __uint_as_float(u32 u) { float f; memcpy(&f, &u, 4); return f; }
static inline float __int_as_float(int u) { float f; memcpy(&f, &u, 4); return f; }
static inline u32 __float_as_uint(float f) { u32 u; memcpy(&u, &f, 4); return u; }
static inline int __ffs(int x) { return ffs(x); }
static inline u32 __byte_perm(u32 x, u32 y, u32 s) {
  u64 v = ((u64)y << 32) | x; u32 r = 0;
  for (int i = 0; i < 4; ++i) r |= (u32)((v >> (8 * ((s >> (4 * i)) & 7))) & 0xFF) << (8 * i);
  return r;
}
template <class T> static inline T __ldg(const T* p) { return *p; }
static inline float __fdiv_rn(float a, float b) { return a / b; }
static inline float __fmul_rn(float a, float b) { return a * b; }
static inline float __fadd_rn(float a, float b) { return a + b; }
static inline float __fsub_rn(float a, float b) { return a - b; }
using std::min; using std::max;

static inline float h2f(u16 h) { _Float16 v; memcpy(&v, &h, 2); return (float)v; }
static inline u16 f2h(float f) { _Float16 v = (_Float16)f; u16 h; memcpy(&h, &v, 2); return h; }
static inline u16 d2h(double d) { _Float16 v = (_Float16)d; u16 h; memcpy(&h, &v, 2); return h; }
static inline float bf2f(u16 b) { return __uint_as_float(((u32)b) << 16); }
static inline u32 pack_h2(float lo, float hi) { return (u32)f2h(lo) | ((u32)f2h(hi) << 16); }
static inline float2 h2_to_f2(u32 v) { return make_float2(h2f((u16)(v & 0xFFFFu)), h2f((u16)(v >> 16))); }
static inline u32 hop(u32 a, u32 b, u32 c, int op) {
  u32 r = 0;
  for (int i = 0; i < 2; ++i) {
    double x = h2f((u16)(a >> (16 * i))), y = h2f((u16)(b >> (16 * i))), z = h2f((u16)(c >> (16 * i)));
    double v = op == 0 ? x * y + z : op == 1 ? x - y : x * y;
    r |= (u32)d2h(v) << (16 * i);
  }
  return r;
}
static inline u32 hfma2(u32 a, u32 b, u32 c) { return hop(a, b, c, 0); }
static inline u32 hsub2(u32 a, u32 b) { return hop(a, b, 0, 1); }
static inline u32 hmul2(u32 a, u32 b) { return hop(a, b, 0, 2); }
static inline u32 and_or(u32 a, u32 b, u32 c) { return (a & b) | c; }
static inline float h2sum(u32 v) { float2 f = h2_to_f2(v); return f.x + f.y; }
static inline uint4 ld_stream(const void* p) { uint4 r; memcpy(&r, p, 16); return r; }
static inline float4 ld_f4(const float* p) { float4 r; memcpy(&r, p, 16); return r; }
static inline u16 ld_u16(const void* p) { u16 v; memcpy(&v, p, 2); return v; }
static inline u8 ld_u8(const void* p) { return *(const u8*)p; }
static inline float ld_half(const void* p) { return h2f(ld_u16(p)); }
static inline float e4m3_to_f(u32 b) {
  u32 s = b & 0x80u, e = (b >> 3) & 0xFu, m = b & 7u; float v;
  if (e == 0) v = (float)m * 0.001953125f; else if (e == 15 && m == 7) v = NAN; else v = __uint_as_float(((e + 120u) << 23) | (m << 20));
  return s ? -v : v;
}
