/// CUDA C for the matrix products, templated over the formats of `FormatSource`:
///
/// - `gemv_<fmt>_r<R>`: decode, y = W·x. The grid is at most what is resident at once
///   (`LaunchGeometry.gemvGrid(rows:rowsPerWarp:residentBlocks:)`): a block stages x once, then its
///   warps take R rows at a time in strides of the grid. Each R rows: the 32 lanes walk the
///   row's chunks (16-byte loads), U chunks per lane in flight, and the x slice each lane reads is
///   reused for the R rows. Half2 formats read x from shared memory (2·K bytes of dynamic shared
///   memory per block, `stage_x`). Rows per warp are chosen by `LaunchGeometry.gemvRowsPerWarp`. Register
///   caps (launch bounds: 4, 3, 2 blocks of 256 per SM for R = 1, 2, 4) keep a tall matrix such as
///   down_proj (3584 rows → 3584 warps) inside one wave of resident warps.
/// - `gemm_<fmt>`: prefill, Y = X·Wᵀ for T tokens, 128×128 tiles, K-steps of 32, the weight tile
///   dequantized to fp16 into shared memory and multiplied with `mma.sync.m16n8k16` (fp16 in,
///   fp32 accumulate; sm_80+). Eight warps in a 2 × 4 grid, each 64 × 32 of the tile.
/// - `dequant_<fmt>`: the whole matrix to fp32 (checks against the CPU's `dequantizeRow`).
enum MatrixSource {
    /// Chunks each lane keeps in flight per iteration of the GEMV loop is each format's `UNROLL`
    /// (2 where the x slice is a few fp16 pairs, 1 where it is 32 floats) and 1 for one row per warp;
    /// Int4 keeps a whole group (G/32 chunks) in flight instead.
    /// GEMM tile sizes (rows of X, rows of W, columns per K-step) and threads per block.
    static let gemmTileM = 128, gemmTileN = 128, gemmTileK = 32, gemmThreads = 256
    static let gemvThreads = 256

    static let text = #"""
/* Stages x in shared memory as the fp16 pairs a half2 format's dot consumes: vector v (4 pairs)
   of chunk c at xsm[f.xvec(c, v, chunks)] (v · chunks + c, or Int4's per-group order), so lane
   l's v-th 16-byte read is the l-th of 32 consecutive. */
template <class F>
DEVI void stage_x(const F& f, const float* __restrict__ x, uint4* xsm, int K) {
  const int chunks = K / F::VALS, P = F::VALS / 2;
  const int* perm = f.perm_columns();
  u32* w = (u32*)xsm;
  for (int idx = threadIdx.x; idx < chunks * P; idx += blockDim.x) {
    int c = idx / P, sl = idx % P, ka, kb;
    F::pair_of(c, sl, ka, kb);
    if (perm) { ka = __ldg(perm + ka); kb = __ldg(perm + kb); }
    w[f.xvec(c, sl >> 2, chunks) * 4 + (sl & 3)] = pack_h2(__ldg(x + ka), __ldg(x + kb));
  }
}

template <class F, int ROWS, int U>
DEVI void gemv_body(const F& f, const float* __restrict__ x, const uint4* xsm, float* __restrict__ y, int N, int K) {
  const int lane = threadIdx.x & 31;
  const int warp = (int)((blockIdx.x * (unsigned)blockDim.x + threadIdx.x) >> 5);
  const int stride = (int)((gridDim.x * (unsigned)blockDim.x) >> 5) * ROWS;
  const int chunks = K / F::VALS;
  for (int r0 = warp * ROWS; r0 < N; r0 += stride) {
  float acc[ROWS];
  #pragma unroll
  for (int r = 0; r < ROWS; ++r) acc[r] = 0.f;
  for (int c0 = lane; c0 < chunks; c0 += 32 * U) {
    typename F::XS xs[U];
    #pragma unroll
    for (int u = 0; u < U; ++u) {
      if (c0 + 32 * u < chunks) {
        if constexpr (F::SMEM_X) {
          #pragma unroll
          for (int v = 0; v < F::VALS / 8; ++v) {
            uint4 t = xsm[v * chunks + c0 + 32 * u];
            xs[u].h[4 * v] = t.x; xs[u].h[4 * v + 1] = t.y; xs[u].h[4 * v + 2] = t.z; xs[u].h[4 * v + 3] = t.w;
          }
        } else {
          f.load_x(x, c0 + 32 * u, xs[u]);
        }
      }
    }
    #pragma unroll
    for (int u = 0; u < U; ++u) {
      if (c0 + 32 * u < chunks) {
        #pragma unroll
        for (int r = 0; r < ROWS; ++r) if (r0 + r < N) acc[r] += f.dot(r0 + r, c0 + 32 * u, xs[u]);
      }
    }
  }
  #pragma unroll
  for (int r = 0; r < ROWS; ++r) {
    float v = warp_sum(acc[r]);
    if (lane == 0 && r0 + r < N) y[r0 + r] = f.finish(r0 + r, v);
  }
  }
}

/* Int4's GEMV: lane l takes groups l, l + 32, … of the row (Int4::dot_group), so one scale and
   zero load serve G/32 chunks and a lane has all of a group's 16-byte loads in flight at once. */
template <class F, int ROWS>
DEVI void gemv_groups(const F& f, const uint4* xsm, float* __restrict__ y, int N) {
  const int lane = threadIdx.x & 31;
  const int warp = (int)((blockIdx.x * (unsigned)blockDim.x + threadIdx.x) >> 5);
  const int stride = (int)((gridDim.x * (unsigned)blockDim.x) >> 5) * ROWS;
  const int groups = f.groups();
  for (int r0 = warp * ROWS; r0 < N; r0 += stride) {
    float acc[ROWS];
    #pragma unroll
    for (int r = 0; r < ROWS; ++r) acc[r] = 0.f;
    for (int g = lane; g < groups; g += 32) {
      #pragma unroll
      for (int r = 0; r < ROWS; ++r) if (r0 + r < N) acc[r] += f.dot_group(r0 + r, g, xsm);
    }
    #pragma unroll
    for (int r = 0; r < ROWS; ++r) {
      float v = warp_sum(acc[r]);
      if (lane == 0 && r0 + r < N) y[r0 + r] = f.finish(r0 + r, v);
    }
  }
}

/* Which GEMV body a format uses: rows of chunks, or (Int4) rows of groups. */
template <class F, int ROWS, int U> struct Gemv {
  static DEVI void run(const F& f, const float* __restrict__ x, const uint4* xsm, float* __restrict__ y, int N, int K) {
    gemv_body<F, ROWS, U>(f, x, xsm, y, N, K);
  }
};
template <int ROWS, int U> struct Gemv<Int4, ROWS, U> {
  static DEVI void run(const Int4& f, const float* __restrict__, const uint4* xsm, float* __restrict__ y, int N, int) {
    gemv_groups<Int4, ROWS>(f, xsm, y, N);
  }
};

DEVI void mma16816(float* d, const u32* a, const u32* b) {
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
               : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

#define TM 128
#define TN 128
#define TK 32
#define TP 40 /* shared row pitch in halves: 80 bytes, so the fragment loads hit 32 distinct banks */

template <class F>
DEVI void gemm_body(F& f, const float* __restrict__ X, float* __restrict__ Y, int M, int N, int K,
                    u16 (*As)[TP], u16 (*Ws)[TP]) {
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int wm = warp >> 2, wn = warp & 3, g = lane >> 2, t = lane & 3;
  const int m0 = blockIdx.y * TM, n0 = blockIdx.x * TN;
  float acc[4][4][4];
  #pragma unroll
  for (int i = 0; i < 4; ++i)
    #pragma unroll
    for (int j = 0; j < 4; ++j)
      #pragma unroll
      for (int e = 0; e < 4; ++e) acc[i][j][e] = 0.f;
  const int* perm = f.perm_columns();
  for (int k0 = 0; k0 < K; k0 += TK) {
    /* X tile: 128 × 32 floats → fp16 */
    for (int i = tid; i < TM * TK / 4; i += blockDim.x) {
      int r = i >> 3, c4 = (i & 7) * 4, m = m0 + r;
      float4 v = make_float4(0.f, 0.f, 0.f, 0.f);
      if (m < M) {
        if (perm) {
          const float* xr = X + (size_t)m * K;
          v = make_float4(__ldg(xr + __ldg(perm + k0 + c4)), __ldg(xr + __ldg(perm + k0 + c4 + 1)),
                          __ldg(xr + __ldg(perm + k0 + c4 + 2)), __ldg(xr + __ldg(perm + k0 + c4 + 3)));
        } else {
          v = ld_f4(X + (size_t)m * K + k0 + c4);
        }
      }
      *(uint2*)&As[r][c4] = make_uint2(pack_h2(v.x, v.y), pack_h2(v.z, v.w));
    }
    /* W tile: 128 rows × 32 columns, dequantized chunk by chunk */
    const int per = TK / F::VALS;
    for (int i = tid; i < TN * per; i += blockDim.x) {
      int r = i / per, cc = i % per, n = n0 + r;
      float v[F::VALS];
      if (n < N) f.values(n, k0 / F::VALS + cc, v);
      else {
        #pragma unroll
        for (int e = 0; e < F::VALS; ++e) v[e] = 0.f;
      }
      #pragma unroll
      for (int e = 0; e < F::VALS; e += 2) *(u32*)&Ws[r][cc * F::VALS + e] = pack_h2(v[e], v[e + 1]);
    }
    __syncthreads();
    #pragma unroll
    for (int kk = 0; kk < TK; kk += 16) {
      u32 a[4][4], b[4][2];
      #pragma unroll
      for (int mi = 0; mi < 4; ++mi) {
        int row = wm * 64 + mi * 16 + g;
        a[mi][0] = *(const u32*)&As[row][kk + 2 * t];
        a[mi][1] = *(const u32*)&As[row + 8][kk + 2 * t];
        a[mi][2] = *(const u32*)&As[row][kk + 2 * t + 8];
        a[mi][3] = *(const u32*)&As[row + 8][kk + 2 * t + 8];
      }
      #pragma unroll
      for (int ni = 0; ni < 4; ++ni) {
        int col = wn * 32 + ni * 8 + g;
        b[ni][0] = *(const u32*)&Ws[col][kk + 2 * t];
        b[ni][1] = *(const u32*)&Ws[col][kk + 2 * t + 8];
      }
      #pragma unroll
      for (int mi = 0; mi < 4; ++mi)
        #pragma unroll
        for (int ni = 0; ni < 4; ++ni) mma16816(acc[mi][ni], a[mi], b[ni]);
    }
    __syncthreads();
  }
  #pragma unroll
  for (int mi = 0; mi < 4; ++mi) {
    #pragma unroll
    for (int ni = 0; ni < 4; ++ni) {
      int row = m0 + wm * 64 + mi * 16 + g;
      int col = n0 + wn * 32 + ni * 8 + 2 * t;
      #pragma unroll
      for (int h = 0; h < 2; ++h) {
        int rr = row + 8 * h;
        if (rr < M) {
          if (col < N) Y[(size_t)rr * N + col] = acc[mi][ni][2 * h];
          if (col + 1 < N) Y[(size_t)rr * N + col + 1] = acc[mi][ni][2 * h + 1];
        }
      }
    }
  }
}

template <class F>
DEVI void dequant_body(const F& f, float* __restrict__ out, int N, int K) {
  long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  long long chunks = (long long)N * (K / F::VALS);
  if (idx >= chunks) return;
  int n = (int)(idx / (K / F::VALS)), c = (int)(idx % (K / F::VALS));
  float v[F::VALS];
  f.values(n, c, v);
  for (int e = 0; e < F::VALS; ++e) out[(size_t)n * K + (size_t)c * F::VALS + e] = v[e];
}

#define MATRIX_KERNELS(NAME, F) \
  extern "C" __global__ void __launch_bounds__(256, 4) gemv_##NAME##_r1(FORMAT_PARAMS, const float* __restrict__ x, float* __restrict__ y, int N, int K) { \
    __shared__ float lut[512]; extern __shared__ uint4 xsm[]; F f(FORMAT_ARGS, N, K); f.init_shared(lut); \
    if constexpr (F::SMEM_X) stage_x<F>(f, x, xsm, K); __syncthreads(); Gemv<F, 1, 1>::run(f, x, xsm, y, N, K); } \
  extern "C" __global__ void __launch_bounds__(256, 3) gemv_##NAME##_r2(FORMAT_PARAMS, const float* __restrict__ x, float* __restrict__ y, int N, int K) { \
    __shared__ float lut[512]; extern __shared__ uint4 xsm[]; F f(FORMAT_ARGS, N, K); f.init_shared(lut); \
    if constexpr (F::SMEM_X) stage_x<F>(f, x, xsm, K); __syncthreads(); Gemv<F, 2, F::UNROLL>::run(f, x, xsm, y, N, K); } \
  extern "C" __global__ void __launch_bounds__(256, 2) gemv_##NAME##_r4(FORMAT_PARAMS, const float* __restrict__ x, float* __restrict__ y, int N, int K) { \
    __shared__ float lut[512]; extern __shared__ uint4 xsm[]; F f(FORMAT_ARGS, N, K); f.init_shared(lut); \
    if constexpr (F::SMEM_X) stage_x<F>(f, x, xsm, K); __syncthreads(); Gemv<F, 4, F::UNROLL>::run(f, x, xsm, y, N, K); } \
  extern "C" __global__ void __launch_bounds__(256) gemm_##NAME(FORMAT_PARAMS, const float* __restrict__ X, float* __restrict__ Y, int M, int N, int K) { \
    __shared__ __align__(16) u16 As[TM][TP]; __shared__ __align__(16) u16 Ws[TN][TP]; __shared__ float lut[512]; \
    F f(FORMAT_ARGS, N, K); f.init_shared(lut); __syncthreads(); gemm_body<F>(f, X, Y, M, N, K, As, Ws); } \
  extern "C" __global__ void __launch_bounds__(256) dequant_##NAME(FORMAT_PARAMS, float* __restrict__ out, int N, int K) { \
    __shared__ float lut[512]; F f(FORMAT_ARGS, N, K); f.init_shared(lut); __syncthreads(); dequant_body<F>(f, out, N, K); }
"""#
}
