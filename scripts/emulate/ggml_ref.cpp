/* ggml's quantize_row_q8_0_ref / quantize_row_q4_0_ref (ggml-quants.c), as the reference for the
   KV-cache store; always compiled without FMA contraction (-ffp-contract=off). */
#include <cmath>
#include <cstdint>
#include <cstring>
#include <algorithm>
static uint16_t fp16(float f) { _Float16 v = (_Float16)f; uint16_t h; memcpy(&h, &v, 2); return h; }
void ref_q8_0(const float* x, uint8_t* b) {
  float amax = 0.f;
  for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[j]));
  const float d = amax / ((1 << 7) - 1);
  const float id = d ? 1.0f / d : 0.0f;
  uint16_t h = fp16(d); memcpy(b, &h, 2);
  for (int j = 0; j < 32; ++j) b[2 + j] = (uint8_t)(int8_t)roundf(x[j] * id);
}
void ref_q4_0(const float* x, uint8_t* b) {
  float amax = 0.f, max = 0.f;
  for (int j = 0; j < 32; ++j) if (amax < std::fabs(x[j])) { amax = std::fabs(x[j]); max = x[j]; }
  const float d = max / -8;
  const float id = d ? 1.0f / d : 0.0f;
  uint16_t h = fp16(d); memcpy(b, &h, 2);
  for (int j = 0; j < 16; ++j) {
    const float x0 = x[j] * id, x1 = x[16 + j] * id;
    const uint8_t xi0 = std::min(15, (int)(int8_t)(x0 + 8.5f));
    const uint8_t xi1 = std::min(15, (int)(int8_t)(x1 + 8.5f));
    b[2 + j] = xi0 | (xi1 << 4);
  }
}
