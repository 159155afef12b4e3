/// CUDA C for every weight storage format the micro-runner quantizes. Each format is a struct
/// with one interface, so one GEMV template (decode) and one GEMM template (prefill) serve all:
///
/// - `VALS`: values in one *chunk* (16 bytes of packed weights where the layout allows, one
///   ggml block of 32 otherwise); every chunk lies inside one scale group.
/// - `XS`: the chunk's slice of the activation vector, in the form `dot` wants, loaded once and
///   used by all the rows a warp handles. Half2 formats (`SMEM_X` = 1) stage the whole x in
///   shared memory as fp16 pairs in the order `dot` consumes them (`pair_of`), laid out so a
///   warp's 16-byte reads are conflict-free; the others read fp32 x with `load_x`. (Reading x
///   from global memory in a 32-value chunk per lane touches 32 cache lines per instruction and
///   capped every format near 1.5 T values/s on the H100: docs/validation/h100.md.)
/// - `dot(n, c, xs)`: Σ over the chunk of W[n, k]·x[k], dequantizing in registers;
///   `finish(n, sum)` applies what is per row (per-channel scales).
/// - `values(n, c, v)`: the chunk dequantized to fp32 in natural k order (GEMM tiles, and the
///   dequantize kernel that tests compare with the CPU's `dequantizeRow`).
/// - `perm`: for GPTQ act-order, the permutation applied to the columns (x is gathered through it).
///
/// Layouts are the quantizers' (Sources/VramfitRunner/Quantize, each type's doc comment); the one
/// exception is int4 GPTQ/AWQ `qweight`, which the backend permutes on the device after upload
/// into rows of 16-byte chunks in group-interleaved order (`int4_repack`, same bytes, as vLLM's
/// Marlin repack does for its own layout) so each lane streams a whole group of a row with
/// coalesced 16-byte loads.
enum FormatSource {
    static let text = #"""
/* ---------------------------------------------------------------- int4, group-wise, zeros ---
   p0: qweight repacked, u32 [N][K/8]: each row's 16-byte chunks (32 columns) in Int4::phys order,
       nibble j of a chunk's word w = column 32c + 8w + j (after the optional permutation)
   p1: scales fp16 [K/G][N]      p2: qzeros u32 [K/G][N/8], 4-bit
   p3: perm i32 [K] or null (GPTQ act-order: column k' of the repacked matrix is column perm[k'])
   i0: group size G (a power of two ≥ 32)   i1: zero nibble order (0 sequential: GPTQ; 1 AWQ's 0,2,4,6,1,3,5,7)
   i2: added to the stored zero (1 for GPTQ's v1 checkpoints, which store zero − 1)            */
struct Int4 {
  static const int VALS = 32;
  static const int UNROLL = 2;
  const uint4* q; const u16* scales; const u32* zeros; const int* perm;
  int N, K, gshift, zorder, zadd;
  DEVI Int4(const FormatArgs& a, int n, int k)
    : q((const uint4*)a.p0), scales((const u16*)a.p1), zeros((const u32*)a.p2), perm((const int*)a.p3),
      N(n), K(k), gshift(__ffs(a.i0) - 1), zorder(a.i1), zadd(a.i2) {}
  DEVI void init_shared(float*) {}
  DEVI const int* perm_columns() const { return perm; }
  DEVI int zero(int n, int g) const {
    int j = n & 7;
    int pos = zorder ? ((j >> 1) | ((j & 1) << 2)) : j;
    u32 w = __ldg(zeros + (size_t)g * (N >> 3) + (n >> 3));
    return (int)((w >> (4 * pos)) & 15u) + zadd;
  }
  /* The GEMV gives each lane one whole group (G/32 chunks, one scale and zero load for all of
     them, all its 16-byte loads issued together). So that those loads stay coalesced, a row's
     chunks are stored group-interleaved (int4_repack): in each window of 32 groups, chunk j of
     group g sits at window base + j · (groups in the window) + g % 32, so load j of the 32 lanes
     reads 512 consecutive bytes. */
  DEVI int cpg() const { return 1 << (gshift - 5); }
  DEVI int groups() const { return K >> gshift; }
  DEVI int phys(int c) const {
    int g = c >> (gshift - 5), j = c & (cpg() - 1), w = g >> 5;
    int wsize = min(32, groups() - 32 * w);
    return 32 * w * cpg() + j * wsize + (g & 31);
  }
  /* x is staged in shared memory as fp16 pairs (k, k+4) of each 8-column word: the order the
     lop3 extraction yields. Slot s of chunk c: word s/4, column s%4. Vector v of chunk j of
     group g at xsm[(4j + v) · groups + g]: the 32 lanes (32 groups) read consecutive 16 bytes. */
  static const int SMEM_X = 1;
  DEVI static void pair_of(int c, int s, int& ka, int& kb) { ka = c * 32 + 8 * (s >> 2) + (s & 3); kb = ka + 4; }
  DEVI int xvec(int c, int v, int) const { return ((c & (cpg() - 1)) * 4 + v) * groups() + (c >> (gshift - 5)); }
  /* Σ over one 32-value chunk of (q − z)·x in half2, zlo = 1024 + z, zhi = −(64 + z). */
  DEVI static u32 dot_chunk(uint4 w, const uint4* xv, int xstride, u32 zlo, u32 zhi) {
    const u32 c16 = 0x2C002C00u;                         /* 1/16                   */
    u32 acc = 0, v, lo, hi;
    u32 ws[4] = {w.x, w.y, w.z, w.w};
    #pragma unroll
    for (int i = 0; i < 4; ++i) {
      uint4 xs = xv[i * xstride];
      v = ws[i];
      lo = and_or(v, 0x000F000Fu, 0x64006400u);          /* 1024+q0, 1024+q4       */
      hi = and_or(v, 0x00F000F0u, 0x64006400u);          /* 1024+16q1, 1024+16q5   */
      acc = hfma2(hsub2(lo, zlo), xs.x, acc);
      acc = hfma2(hfma2(hi, c16, zhi), xs.y, acc);
      v >>= 8;
      lo = and_or(v, 0x000F000Fu, 0x64006400u);          /* q2, q6                 */
      hi = and_or(v, 0x00F000F0u, 0x64006400u);          /* q3, q7                 */
      acc = hfma2(hsub2(lo, zlo), xs.z, acc);
      acc = hfma2(hfma2(hi, c16, zhi), xs.w, acc);
    }
    return acc;
  }
  /* Σ over group g of row n: up to 4 chunks' loads in flight at once, fp16 sums per chunk
     (as before: ≤ 16 products per half), fp32 across chunks, the scale applied once. */
  DEVI float dot_group(int n, int g, const uint4* xsm) const {
    const int cp = cpg(), gs = groups(), w = g >> 5;
    const int wsize = min(32, gs - 32 * w);
    const uint4* wp = q + (size_t)n * (K >> 5) + 32 * w * cp + (g & 31);
    float s = h2f(ld_u16(scales + (size_t)g * N + n));
    u32 z = (u32)zero(n, g);
    u32 zlo = (0x6400u + z) * 0x10001u;                 /* 1024 + z               */
    u32 zhi = (0xD400u + (z << 4)) * 0x10001u;          /* -(64 + z)              */
    float sum = 0.f;
    for (int j0 = 0; j0 < cp; j0 += 4) {
      uint4 wv[4];
      #pragma unroll
      for (int t = 0; t < 4; ++t) if (t < cp) wv[t] = ld_stream(wp + (size_t)(j0 + t) * wsize);
      #pragma unroll
      for (int t = 0; t < 4; ++t) if (t < cp) sum += h2sum(dot_chunk(wv[t], xsm + (size_t)((j0 + t) * 4) * gs + g, gs, zlo, zhi));
    }
    return s * sum;
  }
  DEVI float finish(int, float s) const { return s; }
  DEVI void values(int n, int c, float* v) const {
    const u32* w = (const u32*)(q + (size_t)n * (K >> 5) + phys(c));
    int g = (c * 32) >> gshift;
    float s = h2f(ld_u16(scales + (size_t)g * N + n));
    float z = (float)zero(n, g);
    for (int i = 0; i < 32; ++i) v[i] = s * ((float)((__ldg(w + (i >> 3)) >> (4 * (i & 7))) & 15u) - z);
  }
};

/* Repacks GPTQ ([K/8][N], nibble j = row 8i+j) or AWQ ([K][N/8], nibbles in order 0,2,4,6,1,3,5,7)
   qweight into Int4's rows of [K/8] words, optionally permuting the columns (act-order), with the
   16-byte chunks of each row in Int4::phys order (group-interleaved; gs = group size). */
extern "C" __global__ void int4_repack(const u32* __restrict__ src, u32* __restrict__ dst, const int* __restrict__ perm,
                                       int N, int K, int awq, int gs) {
  long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  long long total = (long long)N * (K >> 3);
  if (idx >= total) return;
  int n = (int)(idx / (K >> 3)), k8 = (int)(idx % (K >> 3));
  u32 out = 0;
  for (int j = 0; j < 8; ++j) {
    int k = 8 * k8 + j;
    if (perm) k = perm[k];
    u32 qv;
    if (awq) {
      int jj = n & 7, pos = (jj >> 1) | ((jj & 1) << 2);
      qv = (src[(size_t)k * (N >> 3) + (n >> 3)] >> (4 * pos)) & 15u;
    } else {
      qv = (src[(size_t)(k >> 3) * N + n] >> (4 * (k & 7))) & 15u;
    }
    out |= qv << (4 * j);
  }
  FormatArgs a = {0, 0, 0, 0, 0, 0, 0.f, gs, 0, 0};
  Int4 f(a, N, K);
  dst[(size_t)n * (K >> 3) + (size_t)f.phys(k8 >> 2) * 4 + (k8 & 3)] = out;
}

/* ------------------------------------------------------------------------- int8 per row ---
   p0: int8 [N][K] row-major   p1: i0 == 0: fp16 scale [N] (W8A16); i0 == 1: fp32 absmax [N]
   (bitsandbytes SCB; scale = absmax / 127)                                                    */
struct Int8 {
  static const int VALS = 16;
  static const int UNROLL = 2;
  struct XS { u32 h[8]; };
  const uint4* q; const void* scales; int K; int absmax;
  DEVI Int8(const FormatArgs& a, int, int k) : q((const uint4*)a.p0), scales(a.p1), K(k), absmax(a.i0) {}
  DEVI void init_shared(float*) {}
  DEVI const int* perm_columns() const { return 0; }
  static const int SMEM_X = 1;
  DEVI int xvec(int c, int v, int chunks) const { return v * chunks + c; }
  DEVI static void pair_of(int c, int s, int& ka, int& kb) { ka = c * 16 + 2 * s; kb = ka + 1; }
  DEVI float dot(int n, int c, const XS& xs) const {
    uint4 w = ld_stream(q + (size_t)n * (K >> 4) + c);
    u32 ws[4] = {w.x, w.y, w.z, w.w};
    u32 acc = 0;
    const u32 bias = 0x64806480u;                        /* 1024 + 128 */
    #pragma unroll
    for (int i = 0; i < 4; ++i) {
      u32 u = ws[i] ^ 0x80808080u;                        /* signed byte → byte + 128 */
      acc = hfma2(hsub2(__byte_perm(u, 0x64646464u, 0x5140u), bias), xs.h[2 * i], acc);
      acc = hfma2(hsub2(__byte_perm(u, 0x64646464u, 0x5342u), bias), xs.h[2 * i + 1], acc);
    }
    return h2sum(acc);
  }
  DEVI float scale(int n) const {
    return absmax ? __ldg((const float*)scales + n) * (1.0f / 127.0f) : ld_half((const u16*)scales + n);
  }
  DEVI float finish(int n, float s) const { return s * scale(n); }
  DEVI void values(int n, int c, float* v) const {
    const i8* p = (const i8*)(q + (size_t)n * (K >> 4) + c);
    float s = scale(n);
    for (int i = 0; i < 16; ++i) v[i] = (float)(i8)ld_u8(p + i) * s;
  }
};

/* --------------------------------------------------------------------------- FP8 E4M3 ---
   p0: e4m3 [N][K]   p1: fp32 scales: i0 == 0 one per tensor, 1 one per row, 2 one per i1 × i1
   tile (row-major [⌈N/i1⌉][⌈K/i1⌉], DeepSeek-V3's weight_scale_inv)                          */
struct FP8 {
  static const int VALS = 16;
  static const int UNROLL = 2;
  struct XS { u32 h[8]; };
  const uint4* q; const float* scales; int K; int mode; int tile;
  DEVI FP8(const FormatArgs& a, int, int k) : q((const uint4*)a.p0), scales((const float*)a.p1), K(k), mode(a.i0), tile(a.i1) {}
  DEVI void init_shared(float*) {}
  DEVI const int* perm_columns() const { return 0; }
  DEVI float chunk_scale(int n, int c) const {
    if (mode == 2) return __ldg(scales + (size_t)(n / tile) * ((K + tile - 1) / tile) + (c * 16) / tile);
    return 1.f;
  }
  static const int SMEM_X = 1;
  DEVI int xvec(int c, int v, int chunks) const { return v * chunks + c; }
  DEVI static void pair_of(int c, int s, int& ka, int& kb) { ka = c * 16 + 2 * s; kb = ka + 1; }
  DEVI float dot(int n, int c, const XS& xs) const {
    uint4 w = ld_stream(q + (size_t)n * (K >> 4) + c);
    u32 ws[4] = {w.x, w.y, w.z, w.w};
#if __CUDA_ARCH__ >= 890
    u32 acc = 0;
    #pragma unroll
    for (int i = 0; i < 4; ++i) {
      acc = hfma2(e4m3x2_to_h2(ws[i] & 0xFFFFu), xs.h[2 * i], acc);
      acc = hfma2(e4m3x2_to_h2(ws[i] >> 16), xs.h[2 * i + 1], acc);
    }
    float sum = h2sum(acc);
#else
    float sum = 0.f;
    #pragma unroll
    for (int i = 0; i < 4; ++i) {
      float2 x01 = h2_to_f2(xs.h[2 * i]), x23 = h2_to_f2(xs.h[2 * i + 1]);
      sum += e4m3_to_f(ws[i] & 255u) * x01.x + e4m3_to_f((ws[i] >> 8) & 255u) * x01.y
           + e4m3_to_f((ws[i] >> 16) & 255u) * x23.x + e4m3_to_f(ws[i] >> 24) * x23.y;
    }
#endif
    return mode == 2 ? sum * chunk_scale(n, c) : sum;
  }
  DEVI float finish(int n, float s) const { return mode == 2 ? s : s * __ldg(scales + (mode == 1 ? n : 0)); }
  DEVI void values(int n, int c, float* v) const {
    const u8* p = (const u8*)(q + (size_t)n * (K >> 4) + c);
    float s = mode == 2 ? chunk_scale(n, c) : __ldg(scales + (mode == 1 ? n : 0));
    for (int i = 0; i < 16; ++i) v[i] = e4m3_to_f(ld_u8(p + i)) * s;
  }
};

/* ------------------------------------------------------------------- dense fp16 / bf16 / fp32 */
struct F16 {
  static const int VALS = 8;
  static const int UNROLL = 2;
  struct XS { u32 h[4]; };
  const uint4* w; int K;
  DEVI F16(const FormatArgs& a, int, int k) : w((const uint4*)a.p0), K(k) {}
  DEVI void init_shared(float*) {}
  DEVI const int* perm_columns() const { return 0; }
  static const int SMEM_X = 1;
  DEVI int xvec(int c, int v, int chunks) const { return v * chunks + c; }
  DEVI static void pair_of(int c, int s, int& ka, int& kb) { ka = c * 8 + 2 * s; kb = ka + 1; }
  DEVI float dot(int n, int c, const XS& xs) const {
    uint4 v = ld_stream(w + (size_t)n * (K >> 3) + c);
    u32 acc = hmul2(v.x, xs.h[0]);
    acc = hfma2(v.y, xs.h[1], acc); acc = hfma2(v.z, xs.h[2], acc); acc = hfma2(v.w, xs.h[3], acc);
    return h2sum(acc);
  }
  DEVI float finish(int, float s) const { return s; }
  DEVI void values(int n, int c, float* v) const {
    const u16* p = (const u16*)(w + (size_t)n * (K >> 3) + c);
    for (int i = 0; i < 8; ++i) v[i] = h2f(ld_u16(p + i));
  }
};

struct BF16 {
  static const int SMEM_X = 0;
  static const int VALS = 8;
  static const int UNROLL = 2;
  struct XS { float v[8]; };
  const uint4* w; int K;
  DEVI BF16(const FormatArgs& a, int, int k) : w((const uint4*)a.p0), K(k) {}
  DEVI void init_shared(float*) {}
  DEVI const int* perm_columns() const { return 0; }
  DEVI void load_x(const float* x, int c, XS& xs) const {
    float4 a = ld_f4(x + c * 8), b = ld_f4(x + c * 8 + 4);
    xs.v[0] = a.x; xs.v[1] = a.y; xs.v[2] = a.z; xs.v[3] = a.w; xs.v[4] = b.x; xs.v[5] = b.y; xs.v[6] = b.z; xs.v[7] = b.w;
  }
  DEVI float dot(int n, int c, const XS& xs) const {
    uint4 v = ld_stream(w + (size_t)n * (K >> 3) + c);
    u32 ws[4] = {v.x, v.y, v.z, v.w};
    float acc = 0.f;
    #pragma unroll
    for (int i = 0; i < 4; ++i) {
      acc = fmaf(__uint_as_float(ws[i] << 16), xs.v[2 * i], acc);
      acc = fmaf(__uint_as_float(ws[i] & 0xFFFF0000u), xs.v[2 * i + 1], acc);
    }
    return acc;
  }
  DEVI float finish(int, float s) const { return s; }
  DEVI void values(int n, int c, float* v) const {
    const u16* p = (const u16*)(w + (size_t)n * (K >> 3) + c);
    for (int i = 0; i < 8; ++i) v[i] = bf2f(ld_u16(p + i));
  }
};

struct F32 {
  static const int SMEM_X = 0;
  static const int VALS = 4;
  static const int UNROLL = 2;
  struct XS { float4 v; };
  const float4* w; int K;
  DEVI F32(const FormatArgs& a, int, int k) : w((const float4*)a.p0), K(k) {}
  DEVI void init_shared(float*) {}
  DEVI const int* perm_columns() const { return 0; }
  DEVI void load_x(const float* x, int c, XS& xs) const { xs.v = ld_f4(x + c * 4); }
  DEVI float dot(int n, int c, const XS& xs) const {
    uint4 u = ld_stream(w + (size_t)n * (K >> 2) + c);
    return __uint_as_float(u.x) * xs.v.x + __uint_as_float(u.y) * xs.v.y + __uint_as_float(u.z) * xs.v.z + __uint_as_float(u.w) * xs.v.w;
  }
  DEVI float finish(int, float s) const { return s; }
  DEVI void values(int n, int c, float* v) const {
    float4 u = __ldg(w + (size_t)n * (K >> 2) + c);
    v[0] = u.x; v[1] = u.y; v[2] = u.z; v[3] = u.w;
  }
};

/* ------------------------------------------------------- bitsandbytes NF4 / FP4, block 64 ---
   p0: packed u8 [N·K/2] of the flattened matrix, element 2i in the high nibble
   p1: absmax: fp32 [blocks] (i0 == 0) or u8 codes [blocks] (i0 == 1: double quantization)
   p2: the 4-bit code book, fp32 [16]
   p3: nested absmax fp32 [ceil(blocks / i2)]   p4: nested code fp32 [256]   p5: offset fp32 [1]
   i1: block size (64)   i2: nested block size (256)                                         */
struct NF4 {
  static const int SMEM_X = 0;
  static const int VALS = 32;
  static const int UNROLL = 1;
  struct XS { float v[32]; };
  const uint4* q; const void* absmax; const float* code; const float* nested; const float* ncode; const float* offset;
  int N, K, dq, block, nblock;
  const float2* lut;
  DEVI NF4(const FormatArgs& a, int n, int k)
    : q((const uint4*)a.p0), absmax(a.p1), code((const float*)a.p2), nested((const float*)a.p3), ncode((const float*)a.p4),
      offset((const float*)a.p5), N(n), K(k), dq(a.i0), block(a.i1), nblock(a.i2), lut(0) {}
  DEVI const int* perm_columns() const { return 0; }
  /* 256-entry table byte → (code[hi], code[lo]): one shared-memory load per two weights */
  DEVI void init_shared(float* s) {
    float2* t = (float2*)s;
    for (int b = threadIdx.x; b < 256; b += blockDim.x) t[b] = make_float2(__ldg(code + (b >> 4)), __ldg(code + (b & 15)));
    lut = t;
  }
  DEVI float scale(long long e) const {
    long long b = e / block;
    if (!dq) return __ldg((const float*)absmax + b);
    return __ldg(ncode + ld_u8((const u8*)absmax + b)) * __ldg(nested + b / nblock) + __ldg(offset);
  }
  DEVI void load_x(const float* x, int c, XS& xs) const {
    #pragma unroll
    for (int i = 0; i < 8; ++i) { float4 a = ld_f4(x + c * 32 + 4 * i); xs.v[4*i] = a.x; xs.v[4*i+1] = a.y; xs.v[4*i+2] = a.z; xs.v[4*i+3] = a.w; }
  }
  DEVI float dot(int n, int c, const XS& xs) const {
    long long e = (long long)n * K + (long long)c * 32;
    uint4 w = ld_stream((const u8*)q + e / 2);
    u32 ws[4] = {w.x, w.y, w.z, w.w};
    float acc = 0.f;
    #pragma unroll
    for (int i = 0; i < 4; ++i) {
      #pragma unroll
      for (int b = 0; b < 4; ++b) {
        float2 p = lut[(ws[i] >> (8 * b)) & 255u];
        acc = fmaf(p.x, xs.v[8 * i + 2 * b], acc);
        acc = fmaf(p.y, xs.v[8 * i + 2 * b + 1], acc);
      }
    }
    return acc * scale(e);
  }
  DEVI float finish(int, float s) const { return s; }
  DEVI void values(int n, int c, float* v) const {
    long long e = (long long)n * K + (long long)c * 32;
    const u8* p = (const u8*)q + e / 2;
    float s = scale(e);
    for (int i = 0; i < 16; ++i) { u32 b = ld_u8(p + i); v[2 * i] = __ldg(code + (b >> 4)) * s; v[2 * i + 1] = __ldg(code + (b & 15)) * s; }
  }
};

/* ----------------------------------------------------------------- ggml blocks (GGUF) ---
   p0: the rows' blocks, row after row (ggml-common.h layouts). One chunk = 32 values.          */
struct GGMLBase {
  static const int SMEM_X = 0;
  struct XS { float v[32]; };
  DEVI void load_x(const float* x, int c, XS& xs) const {
    #pragma unroll
    for (int i = 0; i < 8; ++i) { float4 a = ld_f4(x + c * 32 + 4 * i); xs.v[4*i] = a.x; xs.v[4*i+1] = a.y; xs.v[4*i+2] = a.z; xs.v[4*i+3] = a.w; }
  }
  DEVI void init_shared(float*) {}
  DEVI const int* perm_columns() const { return 0; }
  DEVI float finish(int, float s) const { return s; }
};

/* block_q8_0: { fp16 d; int8 qs[32]; } = 34 bytes, x = d · q */
struct Q8_0 : GGMLBase {
  static const int VALS = 32;
  static const int UNROLL = 1;
  const u8* base; int K;
  DEVI Q8_0(const FormatArgs& a, int, int k) : base((const u8*)a.p0), K(k) {}
  DEVI const u8* blk(int n, int c) const { return base + ((size_t)n * (K / 32) + c) * 34; }
  DEVI float dot(int n, int c, const XS& xs) const {
    const u8* b = blk(n, c);
    float d = ld_half(b);
    const u16* qs = (const u16*)(b + 2);
    float acc = 0.f;
    #pragma unroll
    for (int i = 0; i < 16; ++i) {
      u32 two = ld_u16(qs + i);
      acc = fmaf((float)(i8)(two & 255u), xs.v[2 * i], acc);
      acc = fmaf((float)(i8)(two >> 8), xs.v[2 * i + 1], acc);
    }
    return d * acc;
  }
  DEVI void values(int n, int c, float* v) const {
    const u8* b = blk(n, c);
    float d = ld_half(b);
    for (int i = 0; i < 32; ++i) v[i] = d * (float)(i8)ld_u8(b + 2 + i);
  }
};

/* block_q4_0: { fp16 d; u8 qs[16]; } = 18 bytes; x[i] = d · ((qs[i] & 15) − 8), x[i+16] from the high nibble */
struct Q4_0 : GGMLBase {
  static const int VALS = 32;
  static const int UNROLL = 1;
  const u8* base; int K;
  DEVI Q4_0(const FormatArgs& a, int, int k) : base((const u8*)a.p0), K(k) {}
  DEVI const u8* blk(int n, int c) const { return base + ((size_t)n * (K / 32) + c) * 18; }
  DEVI float dot(int n, int c, const XS& xs) const {
    const u8* b = blk(n, c);
    float d = ld_half(b);
    const u16* qs = (const u16*)(b + 2);
    float acc = 0.f;
    #pragma unroll
    for (int i = 0; i < 8; ++i) {
      u32 two = ld_u16(qs + i);
      acc = fmaf((float)((int)(two & 15u) - 8), xs.v[2 * i], acc);
      acc = fmaf((float)((int)((two >> 8) & 15u) - 8), xs.v[2 * i + 1], acc);
      acc = fmaf((float)((int)((two >> 4) & 15u) - 8), xs.v[2 * i + 16], acc);
      acc = fmaf((float)((int)(two >> 12) - 8), xs.v[2 * i + 17], acc);
    }
    return d * acc;
  }
  DEVI void values(int n, int c, float* v) const {
    const u8* b = blk(n, c);
    float d = ld_half(b);
    for (int i = 0; i < 16; ++i) { u32 q = ld_u8(b + 2 + i); v[i] = d * (float)((int)(q & 15u) - 8); v[i + 16] = d * (float)((int)(q >> 4) - 8); }
  }
};

/* block_q4_K: { fp16 d; fp16 dmin; u8 scales[12]; u8 qs[128]; } = 144 bytes per 256 values;
   sub-block j (32 values) uses 6-bit scale/min (get_scale_min_k4) and the low (j even) or high
   (j odd) nibbles of qs[32·(j/2) ...]: x = d·sc·q − dmin·m                                     */
struct Q4_K : GGMLBase {
  static const int VALS = 32;
  static const int UNROLL = 1;
  const u8* base; int K;
  DEVI Q4_K(const FormatArgs& a, int, int k) : base((const u8*)a.p0), K(k) {}
  DEVI void setup(int n, int c, const u8*& qs, float& d1, float& m1, int& shift) const {
    const u8* b = base + ((size_t)n * (K / 256) + (c >> 3)) * 144;
    int j = c & 7;
    const u8* sc = b + 4;
    int s, m;
    if (j < 4) { s = ld_u8(sc + j) & 63; m = ld_u8(sc + j + 4) & 63; }
    else {
      s = (ld_u8(sc + j + 4) & 15) | ((ld_u8(sc + j - 4) >> 6) << 4);
      m = (ld_u8(sc + j + 4) >> 4) | ((ld_u8(sc + j) >> 6) << 4);
    }
    d1 = ld_half(b) * (float)s;
    m1 = ld_half(b + 2) * (float)m;
    qs = b + 16 + 32 * (j >> 1);
    shift = (j & 1) * 4;
  }
  DEVI float dot(int n, int c, const XS& xs) const {
    const u8* qs; float d1, m1; int shift;
    setup(n, c, qs, d1, m1, shift);
    const uint4* q4 = (const uint4*)qs;
    uint4 a = __ldg(q4), b = __ldg(q4 + 1);
    u32 ws[8] = {a.x, a.y, a.z, a.w, b.x, b.y, b.z, b.w};
    float acc = 0.f, xsum = 0.f;
    #pragma unroll
    for (int i = 0; i < 8; ++i) {
      u32 w = ws[i] >> shift;
      #pragma unroll
      for (int t = 0; t < 4; ++t) {
        float xv = xs.v[4 * i + t];
        acc = fmaf((float)((w >> (8 * t)) & 15u), xv, acc);
        xsum += xv;
      }
    }
    return d1 * acc - m1 * xsum;
  }
  DEVI void values(int n, int c, float* v) const {
    const u8* qs; float d1, m1; int shift;
    setup(n, c, qs, d1, m1, shift);
    for (int i = 0; i < 32; ++i) v[i] = d1 * (float)((ld_u8(qs + i) >> shift) & 15) - m1;
  }
};

/* block_q6_K: { u8 ql[128]; u8 qh[64]; i8 scales[16]; fp16 d; } = 210 bytes per 256 values
   (dequantize_row_q6_K): chunk m of 32 values: half h = m/4, quarter t = m%4;
   q = ((ql[64h + 32(t&1) + l] >> 4(t>>1)) & 15) | (((qh[32h + l] >> 2t) & 3) << 4), x = d·sc[8h + 2t + l/16]·(q − 32) */
struct Q6_K : GGMLBase {
  static const int VALS = 32;
  static const int UNROLL = 1;
  const u8* base; int K;
  DEVI Q6_K(const FormatArgs& a, int, int k) : base((const u8*)a.p0), K(k) {}
  DEVI float val(const u8* b, int m, int l, float d) const {
    int h = m >> 2, t = m & 3;
    u32 ql = ld_u8(b + 64 * h + 32 * (t & 1) + l);
    u32 qh = ld_u8(b + 128 + 32 * h + l);
    int q = (int)(((ql >> (4 * (t >> 1))) & 15u) | (((qh >> (2 * t)) & 3u) << 4)) - 32;
    float sc = (float)(i8)ld_u8(b + 192 + 8 * h + 2 * t + (l >> 4));
    return d * sc * (float)q;
  }
  DEVI float dot(int n, int c, const XS& xs) const {
    const u8* b = base + ((size_t)n * (K / 256) + (c >> 3)) * 210;
    float d = ld_half(b + 208);
    int m = c & 7;
    float acc = 0.f;
    #pragma unroll
    for (int l = 0; l < 32; ++l) acc = fmaf(val(b, m, l, d), xs.v[l], acc);
    return acc;
  }
  DEVI void values(int n, int c, float* v) const {
    const u8* b = base + ((size_t)n * (K / 256) + (c >> 3)) * 210;
    float d = ld_half(b + 208);
    for (int l = 0; l < 32; ++l) v[l] = val(b, c & 7, l, d);
  }
};
/* block_q4_1: { fp16 d; fp16 m; u8 qs[16]; } = 20 bytes; x = d · q + m (low nibbles 0..15, high 16..31) */
struct Q4_1 : GGMLBase {
  static const int VALS = 32;
  static const int UNROLL = 1;
  const u8* base; int K;
  DEVI Q4_1(const FormatArgs& a, int, int k) : base((const u8*)a.p0), K(k) {}
  DEVI void values(int n, int c, float* v) const {
    const u8* b = base + ((size_t)n * (K / 32) + c) * 20;
    float d = ld_half(b), m = ld_half(b + 2);
    for (int i = 0; i < 16; ++i) { u32 q = ld_u8(b + 4 + i); v[i] = d * (float)(q & 15u) + m; v[i + 16] = d * (float)(q >> 4) + m; }
  }
  DEVI float dot(int n, int c, const XS& xs) const { float v[32]; values(n, c, v); float a = 0.f;
    #pragma unroll
    for (int i = 0; i < 32; ++i) a = fmaf(v[i], xs.v[i], a);
    return a; }
};

/* block_q5_0: { fp16 d; u8 qh[4]; u8 qs[16]; } = 22 bytes; 5th bits in qh (bit j: value j,
   bit j + 16: value j + 16); x = d · (q − 16) */
struct Q5_0 : GGMLBase {
  static const int VALS = 32;
  static const int UNROLL = 1;
  const u8* base; int K;
  DEVI Q5_0(const FormatArgs& a, int, int k) : base((const u8*)a.p0), K(k) {}
  DEVI void values(int n, int c, float* v) const {
    const u8* b = base + ((size_t)n * (K / 32) + c) * 22;
    float d = ld_half(b);
    u32 qh = (u32)ld_u8(b + 2) | ((u32)ld_u8(b + 3) << 8) | ((u32)ld_u8(b + 4) << 16) | ((u32)ld_u8(b + 5) << 24);
    for (int j = 0; j < 16; ++j) {
      u32 q = ld_u8(b + 6 + j);
      int x0 = (int)((q & 15u) | (((qh >> j) << 4) & 0x10u)) - 16;
      int x1 = (int)((q >> 4) | ((qh >> (j + 12)) & 0x10u)) - 16;
      v[j] = d * (float)x0; v[j + 16] = d * (float)x1;
    }
  }
  DEVI float dot(int n, int c, const XS& xs) const { float v[32]; values(n, c, v); float a = 0.f;
    #pragma unroll
    for (int i = 0; i < 32; ++i) a = fmaf(v[i], xs.v[i], a);
    return a; }
};

/* block_q5_1: { fp16 d; fp16 m; u8 qh[4]; u8 qs[16]; } = 24 bytes; x = d · q + m */
struct Q5_1 : GGMLBase {
  static const int VALS = 32;
  static const int UNROLL = 1;
  const u8* base; int K;
  DEVI Q5_1(const FormatArgs& a, int, int k) : base((const u8*)a.p0), K(k) {}
  DEVI void values(int n, int c, float* v) const {
    const u8* b = base + ((size_t)n * (K / 32) + c) * 24;
    float d = ld_half(b), m = ld_half(b + 2);
    u32 qh = (u32)ld_u8(b + 4) | ((u32)ld_u8(b + 5) << 8) | ((u32)ld_u8(b + 6) << 16) | ((u32)ld_u8(b + 7) << 24);
    for (int j = 0; j < 16; ++j) {
      u32 q = ld_u8(b + 8 + j);
      u32 x0 = (q & 15u) | (((qh >> j) << 4) & 0x10u);
      u32 x1 = (q >> 4) | ((qh >> (j + 12)) & 0x10u);
      v[j] = d * (float)x0 + m; v[j + 16] = d * (float)x1 + m;
    }
  }
  DEVI float dot(int n, int c, const XS& xs) const { float v[32]; values(n, c, v); float a = 0.f;
    #pragma unroll
    for (int i = 0; i < 32; ++i) a = fmaf(v[i], xs.v[i], a);
    return a; }
};

/* block_q5_K: { fp16 d; fp16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]; } = 176 bytes per 256;
   sub-block s: scale/min as Q4_K, nibbles of qs[32·(s/2) ...] (low for even s), 5th bit = bit s of qh[l] */
struct Q5_K : GGMLBase {
  static const int VALS = 32;
  static const int UNROLL = 1;
  const u8* base; int K;
  DEVI Q5_K(const FormatArgs& a, int, int k) : base((const u8*)a.p0), K(k) {}
  DEVI void values(int n, int c, float* v) const {
    const u8* b = base + ((size_t)n * (K / 256) + (c >> 3)) * 176;
    int j = c & 7;
    const u8* sc = b + 4;
    int s, m;
    if (j < 4) { s = ld_u8(sc + j) & 63; m = ld_u8(sc + j + 4) & 63; }
    else {
      s = (ld_u8(sc + j + 4) & 15) | ((ld_u8(sc + j - 4) >> 6) << 4);
      m = (ld_u8(sc + j + 4) >> 4) | ((ld_u8(sc + j) >> 6) << 4);
    }
    float d1 = ld_half(b) * (float)s, m1 = ld_half(b + 2) * (float)m;
    const u8* qh = b + 16;
    const u8* ql = b + 48 + 32 * (j >> 1);
    int shift = (j & 1) * 4;
    for (int l = 0; l < 32; ++l) {
      int q = ((ld_u8(ql + l) >> shift) & 15) + ((ld_u8(qh + l) >> j) & 1) * 16;
      v[l] = d1 * (float)q - m1;
    }
  }
  DEVI float dot(int n, int c, const XS& xs) const { float v[32]; values(n, c, v); float a = 0.f;
    #pragma unroll
    for (int i = 0; i < 32; ++i) a = fmaf(v[i], xs.v[i], a);
    return a; }
};
"""#
}
