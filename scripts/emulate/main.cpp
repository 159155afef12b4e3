/* Runs the kernels' per-thread code on the CPU (host_prelude.h + kernels.inc) against independent
   references: Int4 (AWQ / GPTQ, with and without act-order) repack, dequantize and the grouped
   GEMV dot; the q8_0 / q4_0 KV-cache store against ggml's reference. Prints one line per case
   and "FAIL" where a case misses; exit status 1 if any does. */
#include "host_prelude.h"
#include <vector>
#include <random>
#include <numeric>
#include "kernels.inc"
void ref_q8_0(const float* x, uint8_t* b);
void ref_q4_0(const float* x, uint8_t* b);

static int failures = 0;
static int pos_awq(int j) { return (j >> 1) | ((j & 1) << 2); }

static void test_int4(int N, int K, int G, bool awq, bool actorder, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> qd(0, 15), zd(1, 15);
  std::uniform_real_distribution<float> sd(0.002f, 0.02f);
  std::normal_distribution<float> xd(0.f, 1.f);
  const int groups = K / G, zadd = awq ? 0 : 1;
  std::vector<int> q((size_t)N * K), z((size_t)groups * N), gidx(K);
  std::vector<u16> s((size_t)groups * N);
  for (auto& v : q) v = qd(rng);
  for (auto& v : z) v = zd(rng);
  for (auto& v : s) v = f2h(sd(rng));
  for (int k = 0; k < K; ++k) gidx[k] = k / G;
  if (actorder) std::shuffle(gidx.begin(), gidx.end(), rng);
  std::vector<u32> src((size_t)N * K / 8, 0), qz((size_t)groups * N / 8, 0), dst((size_t)N * K / 8, 0);
  for (int n = 0; n < N; ++n)
    for (int k = 0; k < K; ++k) {
      u32 v = (u32)q[(size_t)n * K + k];
      if (awq) src[(size_t)k * (N / 8) + n / 8] |= v << (4 * pos_awq(n & 7));
      else src[(size_t)(k / 8) * N + n] |= v << (4 * (k & 7));
    }
  for (int g = 0; g < groups; ++g)
    for (int n = 0; n < N; ++n) qz[(size_t)g * (N / 8) + n / 8] |= (u32)(z[(size_t)g * N + n] - zadd) << (4 * (awq ? pos_awq(n & 7) : (n & 7)));
  std::vector<int> perm;
  if (actorder) {
    perm.resize(K); std::iota(perm.begin(), perm.end(), 0);
    std::stable_sort(perm.begin(), perm.end(), [&](int a, int b) { return gidx[a] < gidx[b]; });
  }
  const int* pp = actorder ? perm.data() : nullptr;
  blockDim.x = 1; threadIdx.x = 0;
  for (size_t i = 0; i < dst.size(); ++i) { blockIdx.x = (unsigned)i; int4_repack(src.data(), dst.data(), pp, N, K, awq ? 1 : 0, G); }
  FormatArgs a = {dst.data(), s.data(), qz.data(), pp, 0, 0, 0.f, G, awq ? 1 : 0, zadd};
  Int4 f(a, N, K);
  auto W = [&](int n, int k) { int g = gidx[k]; return h2f(s[(size_t)g * N + n]) * (float)(q[(size_t)n * K + k] - z[(size_t)g * N + n]); };
  int bad = 0;
  for (int n = 0; n < N; ++n)
    for (int c = 0; c < K / 32; ++c) {
      float v[32]; f.values(n, c, v);
      for (int i = 0; i < 32; ++i) { int kk = c * 32 + i, k = pp ? pp[kk] : kk; if (std::fabs(v[i] - W(n, k)) > 1e-6f * (1.f + std::fabs(W(n, k)))) ++bad; }
    }
  std::vector<float> x(K); for (auto& v : x) v = xd(rng);
  std::vector<uint4> xsm(K / 8);
  blockDim.x = 256; blockIdx.x = 0;
  for (unsigned t = 0; t < 256; ++t) { threadIdx.x = t; stage_x<Int4>(f, x.data(), xsm.data(), K); }
  double num = 0, den = 0;
  for (int n = 0; n < N; ++n) {
    float lanes[32] = {0};
    for (int lane = 0; lane < 32; ++lane) for (int g = lane; g < groups; g += 32) lanes[lane] += f.dot_group(n, g, xsm.data());
    float sum = 0; for (float l : lanes) sum += l;
    float y = f.finish(n, sum);
    double ref = 0; for (int k = 0; k < K; ++k) ref += (double)W(n, k) * x[k];
    num += (y - ref) * (y - ref); den += ref * ref;
  }
  double rel = std::sqrt(num / den);
  bool ok = bad == 0 && rel < 3e-3;
  if (!ok) ++failures;
  printf("int4 %s%s N=%d K=%d G=%d: dequant mismatches %d, GEMV rel L2 %.2e %s\n", awq ? "awq" : "gptq", actorder ? " act-order" : "", N, K, G, bad, rel, ok ? "ok" : "FAIL");
}

static void test_kv(int kt, unsigned seed, int width = 1024, int T = 5) {
  std::mt19937 rng(seed); std::normal_distribution<float> d(0.f, 1.5f);
  std::vector<float> v((size_t)T * width); for (auto& e : v) e = d(rng);
  const int bb = kt == 4 ? 34 : 18, rowBytes = width / 32 * bb;
  std::vector<u8> dev((size_t)rowBytes * (T + 1), 0), vc(dev.size(), 0), ref(dev.size(), 0);
  const int bpr = width / 32;
  blockDim.x = 1; threadIdx.x = 0;
  for (int i = 0; i < 2 * T * bpr; ++i) { blockIdx.x = i; kv_store(v.data(), v.data(), dev.data(), vc.data(), T, width, rowBytes, 1, kt); }
  for (int t = 0; t < T; ++t) for (int b = 0; b < bpr; ++b) (kt == 4 ? ref_q8_0 : ref_q4_0)(&v[(size_t)t * width + b * 32], &ref[(size_t)(t + 1) * rowBytes + b * bb]);
  int diff = 0; for (size_t i = 0; i < dev.size(); ++i) diff += dev[i] != ref[i];
  int vdiff = 0; for (size_t i = 0; i < dev.size(); ++i) vdiff += vc[i] != ref[i];
  if (diff || vdiff) ++failures;
  printf("kv_store %s: %d (K) and %d (V) of %zu bytes differ from ggml's reference %s\n", kt == 4 ? "q8_0" : "q4_0", diff, vdiff, dev.size(), diff || vdiff ? "FAIL" : "ok");
}

/* With arguments VALUES Q8_0_OUT Q4_0_OUT: stores the float32 rows in VALUES (T rows of 1024) through
   kv_store as q8_0 and as q4_0 and writes the cache bytes (rows 1...T; row 0 stays zero), so the
   Swift test can compare them with KVCacheStorage.encode byte for byte. */
static int store_file(const char* in, const char* out8, const char* out4) {
  FILE* f = fopen(in, "rb"); if (!f) return 2;
  std::vector<float> v; float e; while (fread(&e, 4, 1, f) == 1) v.push_back(e); fclose(f);
  const int width = 1024, T = (int)(v.size() / width), bpr = width / 32;
  for (int kt : {4, 5}) {
    const int rowBytes = bpr * (kt == 4 ? 34 : 18);
    std::vector<u8> kc((size_t)rowBytes * (T + 1), 0), vc(kc.size(), 0);
    blockDim.x = 1; threadIdx.x = 0;
    for (int i = 0; i < 2 * T * bpr; ++i) { blockIdx.x = i; kv_store(v.data(), v.data(), kc.data(), vc.data(), T, width, rowBytes, 1, kt); }
    FILE* o = fopen(kt == 4 ? out8 : out4, "wb"); if (!o) return 2;
    fwrite(kc.data(), 1, kc.size(), o); fclose(o);
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 4) return store_file(argv[1], argv[2], argv[3]);
  for (bool awq : {true, false}) {
    test_int4(16, 3584, 128, awq, false, 1);   // Qwen2.5-7B q/gate: 28 groups, one partial window
    test_int4(16, 18944, 128, awq, false, 2);  // down_proj: 148 groups, 4 full windows + 20
    test_int4(8, 8192, 128, awq, false, 3);    // 64 groups: 2 full windows
    test_int4(8, 4096, 32, awq, false, 4);     // one chunk per group
    test_int4(8, 4096, 64, awq, false, 5);
    test_int4(8, 4096, 256, awq, false, 6);    // 8 chunks per group: two passes of 4 loads
  }
  test_int4(16, 3584, 128, false, true, 7);    // GPTQ act-order
  test_int4(8, 4480, 128, false, true, 8);
  test_kv(4, 21); test_kv(5, 21); test_kv(4, 5, 512, 9); test_kv(5, 6, 512, 9);
  return failures ? 1 : 0;
}
