/// CUDA C for the rest of a decoder layer: RMSNorm, RoPE, bias, SwiGLU, residual add, the KV
/// cache store and attention over the cache. Activations are fp32 between kernels (they are a few
/// MB at most; the weights and the KV cache are what stream); the KV cache has the layout of
/// `KVCacheStorage` (one row of kvHeads × headDim values per position, K and V apart).
///
/// Attention is split over the cached positions ("flash-decoding"): block (h, s, t) handles query
/// token t of head h against positions [s·L, (s+1)·L) with an online softmax, writing a partial
/// (output, max, sum); `attention_combine` merges the splits. Decode uses many splits so the
/// whole GPU reads the cache; prefill (many queries) uses one.
enum LayerSource {
    static let attentionThreads = 256

    static let text = #"""
#define NEG_INF __int_as_float(0xff800000)

/* Block-wide reduction of a float over up to 1024 threads; every thread gets the result. */
DEVI float block_sum(float v, float* red) {
  v = warp_sum(v);
  int w = threadIdx.x >> 5, l = threadIdx.x & 31, nw = (blockDim.x + 31) >> 5;
  __syncthreads();
  if (l == 0) red[w] = v;
  __syncthreads();
  float r = 0.f;
  for (int i = 0; i < nw; ++i) r += red[i];
  return r;
}
DEVI float block_max(float v, float* red) {
  v = warp_max(v);
  int w = threadIdx.x >> 5, l = threadIdx.x & 31, nw = (blockDim.x + 31) >> 5;
  __syncthreads();
  if (l == 0) red[w] = v;
  __syncthreads();
  float r = NEG_INF;
  for (int i = 0; i < nw; ++i) r = fmaxf(r, red[i]);
  return r;
}

/* A weight vector (norm, bias) as the checkpoint stores it: 0 fp32, 1 fp16, 2 bf16. */
DEVI float vec_get(const void* p, int t, long long i) {
  return t == 0 ? ((const float*)p)[i] : t == 1 ? h2f(((const u16*)p)[i]) : bf2f(((const u16*)p)[i]);
}

/* y[t] = x[t] / sqrt(mean(x[t]²) + eps) · w   (one block per row; y may be x) */
extern "C" __global__ void rmsnorm(const float* x, const void* __restrict__ w, int wt, float* y, int D, float eps) {
  __shared__ float red[32];
  const float* xr = x + (size_t)blockIdx.x * D;
  float ss = 0.f;
  for (int i = threadIdx.x; i < D; i += blockDim.x) { float v = xr[i]; ss += v * v; }
  ss = block_sum(ss, red);
  float inv = rsqrtf(ss / (float)D + eps);
  for (int i = threadIdx.x; i < D; i += blockDim.x) y[(size_t)blockIdx.x * D + i] = xr[i] * inv * vec_get(w, wt, i);
}

/* Rotary embedding in place on x [T][H][d] for positions pos0 + t. Angles in double (positions
   times inverse frequencies lose ~1e-3 rad in fp32 at 8K positions). neox: pairs (i, i + rot/2)
   (Llama, Qwen: rotate_half); otherwise pairs (2i, 2i + 1) (GPT-J). Only the first `rot` dims. */
extern "C" __global__ void rope(float* __restrict__ x, const double* __restrict__ inv_freq, int H, int d, int rot, int pos0, int neox) {
  int t = blockIdx.x, h = blockIdx.y, half = rot >> 1;
  float* v = x + ((size_t)t * H + h) * d;
  for (int i = threadIdx.x; i < half; i += blockDim.x) {
    double s, c;
    sincos((double)(pos0 + t) * inv_freq[i], &s, &c);
    int a = neox ? i : 2 * i, b = neox ? i + half : 2 * i + 1;
    float x1 = v[a], x2 = v[b];
    v[a] = (float)((double)x1 * c - (double)x2 * s);
    v[b] = (float)((double)x2 * c + (double)x1 * s);
  }
}

/* y[t][n] += b[n] */
extern "C" __global__ void add_bias(float* __restrict__ y, const void* __restrict__ b, int bt, int T, int N) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < (long long)T * N) y[i] += vec_get(b, bt, i % N);
}

/* a[i] += b[i] (the residual stream) */
extern "C" __global__ void add_inplace(float* __restrict__ a, const float* __restrict__ b, long long n) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) a[i] += b[i];
}

/* h[i] = silu(g[i]) · u[i], silu(z) = z / (1 + e^-z) */
extern "C" __global__ void silu_mul(const float* __restrict__ g, const float* __restrict__ u, float* __restrict__ h, long long n) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) { float z = g[i]; h[i] = z / (1.f + expf(-z)) * u[i]; }
}

/* ---- KV cache rows: one position's K (or V) is a row of kvDim values in one storage type
   (KVCacheStorage): 0 fp32, 1 fp16, 2 bf16, 3 fp8 E4M3 (scale 1, saturating), 4 q8_0, 5 q4_0
   (ggml blocks of 32 along the row, as llama.cpp's --cache-type-k/v).                        */
DEVI float kv_get(const u8* row, int kt, int i) {
  switch (kt) {
    case 0: return ((const float*)row)[i];
    case 1: return h2f(((const u16*)row)[i]);
    case 2: return bf2f(((const u16*)row)[i]);
    case 3: return e4m3_to_f(row[i]);
    case 4: { const u8* b = row + (i >> 5) * 34; u16 d = (u16)b[0] | ((u16)b[1] << 8); return h2f(d) * (float)(i8)b[2 + (i & 31)]; }
    default: { const u8* b = row + (i >> 5) * 18; u16 d = (u16)b[0] | ((u16)b[1] << 8); int k = i & 31;
               u32 q = k < 16 ? (b[2 + k] & 15u) : (b[2 + k - 16] >> 4); return h2f(d) * (float)((int)q - 8); }
  }
}
/* 8 consecutive values from index i0 (a multiple of 8) */
template <int KT>
DEVI void kv_get8(const u8* row, int i0, float* o) {
  if (KT == 1) {
    uint4 u = __ldg((const uint4*)(row + 2 * i0));
    float2 a = h2_to_f2(u.x), b = h2_to_f2(u.y), c = h2_to_f2(u.z), e = h2_to_f2(u.w);
    o[0] = a.x; o[1] = a.y; o[2] = b.x; o[3] = b.y; o[4] = c.x; o[5] = c.y; o[6] = e.x; o[7] = e.y;
  } else if (KT == 0) {
    float4 a = ld_f4((const float*)row + i0), b = ld_f4((const float*)row + i0 + 4);
    o[0] = a.x; o[1] = a.y; o[2] = a.z; o[3] = a.w; o[4] = b.x; o[5] = b.y; o[6] = b.z; o[7] = b.w;
  } else {
    #pragma unroll
    for (int j = 0; j < 8; ++j) o[j] = kv_get(row, KT, i0 + j);
  }
}

DEVI u16 f2bf(float f) { /* round to nearest even */
  u32 u = __float_as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return (u16)((u >> 16) | 0x40u);
  return (u16)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}
DEVI u8 f2e4m3(float x) {
#if __CUDA_ARCH__ >= 890
  u16 r; asm("cvt.rn.satfinite.e4m3x2.f32 %0, %1, %2;" : "=h"(r) : "f"(0.f), "f"(x)); return (u8)(r & 0xFFu);
#else
  return 0x7F; /* the backend refuses fp8 caches below sm_89 */
#endif
}

/* One thread stores one block of up to 32 values of a row (so q8_0/q4_0 scale per block). */
extern "C" __global__ void kv_store(const float* __restrict__ k, const float* __restrict__ v, u8* __restrict__ kc, u8* __restrict__ vc,
                                    int T, int width, int rowBytes, int pos0, int kt) {
  int blocksPerRow = (width + 31) / 32;
  long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (idx >= 2LL * T * blocksPerRow) return;
  int which = (int)(idx / ((long long)T * blocksPerRow));
  long long r = idx % ((long long)T * blocksPerRow);
  int t = (int)(r / blocksPerRow), blk = (int)(r % blocksPerRow);
  const float* src = (which ? v : k) + (size_t)t * width + blk * 32;
  u8* row = (which ? vc : kc) + (size_t)(pos0 + t) * rowBytes;
  int n = min(32, width - blk * 32);
  switch (kt) {
    case 0: for (int i = 0; i < n; ++i) ((float*)row)[blk * 32 + i] = src[i]; break;
    case 1: for (int i = 0; i < n; ++i) ((u16*)row)[blk * 32 + i] = f2h(src[i]); break;
    case 2: for (int i = 0; i < n; ++i) ((u16*)row)[blk * 32 + i] = f2bf(src[i]); break;
    case 3: for (int i = 0; i < n; ++i) row[blk * 32 + i] = f2e4m3(src[i]); break;
    /* The q8_0 / q4_0 rows must equal KVCacheStorage.encode byte for byte (the host encoder,
       ggml's quantize_row_*_ref without FMA contraction): every rounding step is spelled out
       with IEEE intrinsics (NVRTC contracts a·b + c into one fma by default, which can move a
       truncation boundary), and rounding half away from zero is done on integers.
       The fp16 scale is one 16-bit store (blocks are 34 or 18 bytes and rows an even number of
       bytes, so it is aligned), the way the fp16 cache stores every value: on the H100 (driver
       580.159.04, NVRTC 13.0) the two byte stores b[0] = low, b[1] = high of the cvt.rn.f16.f32
       result left byte 0 of every block zero while the PTX was right (docs/validation/h100.md §8). */
    case 4: { /* quantize_row_q8_0_ref: d = amax / 127, id = 1/d, q = round(x · id) half away from zero */
      u8* b = row + blk * 34;
      float amax = 0.f;
      for (int i = 0; i < n; ++i) amax = fmaxf(amax, fabsf(src[i]));
      float d = __fdiv_rn(amax, 127.f), id = d != 0.f ? __fdiv_rn(1.f, d) : 0.f;
      *(u16*)b = f2h(d);
      for (int i = 0; i < 32; ++i) {
        int q = 0;
        if (i < n) {
          float p = __fmul_rn(src[i], id), a = fabsf(p), t = truncf(a);
          q = (int)t + (__fsub_rn(a, t) >= 0.5f ? 1 : 0);
          if (p < 0.f) q = -q;
        }
        b[2 + i] = (u8)(i8)q;
      }
      break; }
    default: { /* quantize_row_q4_0_ref: the signed value of largest magnitude maps to −8 */
      u8* b = row + blk * 18;
      float amax = 0.f, mx = 0.f;
      for (int i = 0; i < n; ++i) if (amax < fabsf(src[i])) { amax = fabsf(src[i]); mx = src[i]; }
      float d = __fdiv_rn(mx, -8.f), id = d != 0.f ? __fdiv_rn(1.f, d) : 0.f;
      *(u16*)b = f2h(d);
      for (int j = 0; j < 16; ++j) {
        u32 q0 = j < n ? (u32)min(15, (int)__fadd_rn(__fmul_rn(src[j], id), 8.5f)) : 8u;
        u32 q1 = j + 16 < n ? (u32)min(15, (int)__fadd_rn(__fmul_rn(src[j + 16], id), 8.5f)) : 8u;
        b[2 + j] = (u8)(q0 | (q1 << 4));
      }
      break; }
  }
}

/* q [T][H][d] fp32 (rotated); caches [P][rowBytes]; partials po [T][H][S][d], pm/pl [T][H][S].
   Query t sits at position pos0 + t and sees positions max(0, pos − window + 1) ... pos
   (window 0: all). Block (h, s, t) covers positions [s·L, (s+1)·L). */
template <int KT>
DEVI void attention_partial_body(
    const float* __restrict__ q, const u8* __restrict__ kc, const u8* __restrict__ vc,
    float* __restrict__ po, float* __restrict__ pm, float* __restrict__ pl,
    int H, int KV, int d, int rowBytes, int pos0, int L, int window, float scale) {
  __shared__ float qs[256];
  __shared__ float sc[256];
  __shared__ float red[32];
  __shared__ float part[256];
  const int h = blockIdx.x, s = blockIdx.y, t = blockIdx.z, S = gridDim.y;
  const int tid = threadIdx.x, kvh = h / (H / KV);
  const int pos = pos0 + t;
  const int lo = window > 0 ? max(0, pos - window + 1) : 0;
  const int begin = max(s * L, lo), end = min((s + 1) * L, pos + 1);
  for (int i = tid; i < d; i += blockDim.x) qs[i] = q[((size_t)t * H + h) * d + i] * scale;
  __syncthreads();
  const int G = blockDim.x / d, gi = tid / d, j = tid % d;
  float m = NEG_INF, l = 0.f, acc = 0.f;
  for (int cb = begin; cb < end; cb += blockDim.x) {
    int p = cb + tid;
    float sv = NEG_INF;
    if (p < end) {
      const u8* kr = kc + (size_t)p * rowBytes;
      float dot = 0.f, kv8[8];
      for (int i = 0; i < d; i += 8) {
        kv_get8<KT>(kr, kvh * d + i, kv8);
        #pragma unroll
        for (int e = 0; e < 8; ++e) dot = fmaf(kv8[e], qs[i + e], dot);
      }
      sv = dot;
    }
    float cm = block_max(sv, red);
    float mn = fmaxf(m, cm);
    float corr = (m == NEG_INF) ? 0.f : __expf(m - mn);
    float e = (p < end) ? __expf(sv - mn) : 0.f;
    sc[tid] = e;
    float cs = block_sum(e, red);   /* its barriers also publish sc[] */
    l = l * corr + cs;
    acc *= corr;
    int n = min((int)blockDim.x, end - cb);
    for (int pp = gi; pp < n; pp += G) acc = fmaf(sc[pp], kv_get(vc + (size_t)(cb + pp) * rowBytes, KT, kvh * d + j), acc);
    m = mn;
    __syncthreads();
  }
  part[tid] = acc;
  __syncthreads();
  if (tid < d) {
    float o = 0.f;
    for (int g2 = 0; g2 < G; ++g2) o += part[g2 * d + tid];
    po[(((size_t)t * H + h) * S + s) * d + tid] = o;
  }
  if (tid == 0) { pm[((size_t)t * H + h) * S + s] = m; pl[((size_t)t * H + h) * S + s] = l; }
}

#define ATTENTION_KERNEL(KT) \
  extern "C" __global__ void __launch_bounds__(256) attention_partial_kv##KT( \
      const float* __restrict__ q, const u8* __restrict__ kc, const u8* __restrict__ vc, float* __restrict__ po, \
      float* __restrict__ pm, float* __restrict__ pl, int H, int KV, int d, int rowBytes, int pos0, int L, int window, float scale) { \
    attention_partial_body<KT>(q, kc, vc, po, pm, pl, H, KV, d, rowBytes, pos0, L, window, scale); }
ATTENTION_KERNEL(0)
ATTENTION_KERNEL(1)
ATTENTION_KERNEL(2)
ATTENTION_KERNEL(3)
ATTENTION_KERNEL(4)
ATTENTION_KERNEL(5)

/* out [T][H][d] = Σ_s e^{m_s − M} o_s / Σ_s e^{m_s − M} l_s   (grid (H, T), d threads) */
extern "C" __global__ void attention_combine(const float* __restrict__ po, const float* __restrict__ pm, const float* __restrict__ pl,
                                             float* __restrict__ out, int H, int d, int S) {
  const int h = blockIdx.x, t = blockIdx.y;
  const size_t base = ((size_t)t * H + h) * S;
  float M = NEG_INF;
  for (int s = 0; s < S; ++s) M = fmaxf(M, pm[base + s]);
  float den = 0.f;
  for (int s = 0; s < S; ++s) { float ms = pm[base + s]; if (ms != NEG_INF) den += __expf(ms - M) * pl[base + s]; }
  for (int j = threadIdx.x; j < d; j += blockDim.x) {
    float num = 0.f;
    for (int s = 0; s < S; ++s) { float ms = pm[base + s]; if (ms != NEG_INF) num += __expf(ms - M) * po[(base + s) * d + j]; }
    out[((size_t)t * H + h) * d + j] = num / den;
  }
}
/* MoE: dst[i] = src[rows[i]] (the tokens routed to one expert) */
extern "C" __global__ void gather_rows(const float* __restrict__ src, float* __restrict__ dst, const int* __restrict__ rows, int n, int width) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long long)n * width) return;
  int r = (int)(i / width), c = (int)(i % width);
  dst[i] = src[(size_t)rows[r] * width + c];
}

/* MoE: acc[rows[i]] += w[i] · src[i]; rows are distinct within one call (a token meets an expert once) */
extern "C" __global__ void scatter_add_rows(float* __restrict__ acc, const float* __restrict__ src, const int* __restrict__ rows,
                                            const float* __restrict__ w, int n, int width) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long long)n * width) return;
  int r = (int)(i / width), c = (int)(i % width);
  acc[(size_t)rows[r] * width + c] += w[r] * src[i];
}

/* Shared expert: acc[t] += sigmoid(gate[t]) · src[t] (gate null: weight 1) */
extern "C" __global__ void sigmoid_scale_add(float* __restrict__ acc, const float* __restrict__ src, const float* __restrict__ gate, int T, int width) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long long)T * width) return;
  float g = gate ? 1.f / (1.f + expf(-gate[i / width])) : 1.f;
  acc[i] += g * src[i];
}
"""#
}
