/// CUDA C shared by every module: fixed-width types, fp16/bf16/fp8 conversions and half2
/// arithmetic written as inline PTX (so no CUDA header is needed: NVRTC installs differ in which
/// headers they carry), streaming 128-bit loads and warp reductions.
///
/// Why PTX for half2: the GEMV inner loops turn packed integers into fp16 with the "magic number"
/// trick (`0x6400 | q` is the half 1024 + q) and multiply-add two values per instruction, which
/// is what keeps 4- and 8-bit decode under the memory-bandwidth limit (see docs/validation/h100.md).
enum PreludeSource {
    static let text = #"""
typedef unsigned char u8;
typedef signed char i8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;

#define DEVI __device__ __forceinline__

DEVI float h2f(u16 h) { float f; asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h)); return f; }
DEVI u16 f2h(float f) { u16 h; asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f)); return h; }
DEVI float bf2f(u16 b) { return __uint_as_float(((u32)b) << 16); }
/* Two floats to a half2 register: lo in bits 0..15 (the earlier element), hi in 16..31. */
DEVI u32 pack_h2(float lo, float hi) {
  u32 r; asm("cvt.rn.f16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo)); return r;
}
DEVI float2 h2_to_f2(u32 v) { return make_float2(h2f((u16)(v & 0xFFFFu)), h2f((u16)(v >> 16))); }
DEVI u32 hfma2(u32 a, u32 b, u32 c) { u32 d; asm("fma.rn.f16x2 %0, %1, %2, %3;" : "=r"(d) : "r"(a), "r"(b), "r"(c)); return d; }
DEVI u32 hsub2(u32 a, u32 b) { u32 d; asm("sub.rn.f16x2 %0, %1, %2;" : "=r"(d) : "r"(a), "r"(b)); return d; }
DEVI u32 hmul2(u32 a, u32 b) { u32 d; asm("mul.rn.f16x2 %0, %1, %2;" : "=r"(d) : "r"(a), "r"(b)); return d; }
/* (a & b) | c in one instruction. */
DEVI u32 and_or(u32 a, u32 b, u32 c) { u32 d; asm("lop3.b32 %0, %1, %2, %3, 0xEA;" : "=r"(d) : "r"(a), "r"(b), "r"(c)); return d; }
/* The sum of a half2's two halves, in fp32. */
DEVI float h2sum(u32 v) { float2 f = h2_to_f2(v); return f.x + f.y; }

/* Weights are read once per token: 16-byte loads that bypass L1 allocation, so the activation
   vector (re-read by every row) keeps its place in L1. */
DEVI uint4 ld_stream(const void* p) {
  uint4 r;
  asm("ld.global.nc.L1::no_allocate.v4.u32 {%0,%1,%2,%3}, [%4];"
      : "=r"(r.x), "=r"(r.y), "=r"(r.z), "=r"(r.w) : "l"(p));
  return r;
}
DEVI float4 ld_f4(const float* p) {
  float4 r;
  asm("ld.global.nc.v4.f32 {%0,%1,%2,%3}, [%4];" : "=f"(r.x), "=f"(r.y), "=f"(r.z), "=f"(r.w) : "l"(p));
  return r;
}
DEVI u16 ld_u16(const void* p) { return __ldg((const unsigned short*)p); }
DEVI u8 ld_u8(const void* p) { return __ldg((const unsigned char*)p); }
DEVI float ld_half(const void* p) { return h2f(ld_u16(p)); }

#if __CUDA_ARCH__ >= 890
/* Two FP8 E4M3 values (low byte first) to a half2: one instruction from sm_89 (Ada, Hopper). */
DEVI u32 e4m3x2_to_h2(u32 two) {
  u32 r;
  asm("{ .reg .b16 t; cvt.u16.u32 t, %1; cvt.rn.f16x2.e4m3x2 %0, t; }" : "=r"(r) : "r"(two));
  return r;
}
#endif
/* E4M3 byte to float in software (for the float-valued paths and pre-sm_89 checks). */
DEVI float e4m3_to_f(u32 b) {
  u32 s = b & 0x80u, e = (b >> 3) & 0xFu, m = b & 7u;
  float v;
  if (e == 0) v = (float)m * 0.001953125f; /* subnormal: m * 2^-9 */
  else if (e == 15 && m == 7) v = __int_as_float(0x7fc00000);
  else v = __uint_as_float(((e + 120u) << 23) | (m << 20));
  return s ? -v : v;
}

DEVI float warp_sum(float v) {
  #pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}
DEVI float warp_max(float v) {
  #pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

/* Every matrix kernel takes the same arguments, so one launcher serves every format:
   up to six storage buffers, one float and three ints whose meaning each format documents. */
struct FormatArgs {
  const void* p0; const void* p1; const void* p2; const void* p3; const void* p4; const void* p5;
  float f0; int i0; int i1; int i2;
};
#define FORMAT_PARAMS const void* p0, const void* p1, const void* p2, const void* p3, const void* p4, const void* p5, float f0, int i0, int i1, int i2
#define FORMAT_ARGS FormatArgs{p0, p1, p2, p3, p4, p5, f0, i0, i1, i2}
"""#
}
