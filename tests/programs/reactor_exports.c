// Freestanding exports with no imports (built with -nostdlib, no WASI), so engines without WASI can
// run them too: wabt's `wasm-interp --run-all-exports` against `ipvm wasm run --invoke NAME`.
// Each export takes no arguments and returns one value of a different type.
#include <stdint.h>

static uint32_t table[4096];

__attribute__((export_name("fib"))) int64_t fib(void) {
  int64_t a = 0, b = 1;
  for (int i = 0; i < 90; ++i) { int64_t t = a + b; a = b; b = t; }
  return a;
}
__attribute__((export_name("collatz_max"))) int32_t collatz_max(void) {
  int32_t best = 0;
  for (uint64_t n = 1; n < 3000; ++n) {
    int32_t steps = 0;
    for (uint64_t x = n; x != 1; x = x & 1 ? 3 * x + 1 : x / 2) steps++;
    if (steps > best) best = steps;
  }
  return best;
}
__attribute__((export_name("negative"))) int32_t negative(void) { return -123456789; }
__attribute__((export_name("unsigned_wrap"))) uint32_t unsigned_wrap(void) { return 0xfffffff0u; }
__attribute__((export_name("table_hash"))) uint32_t table_hash(void) {
  for (uint32_t i = 0; i < 4096; ++i) table[i] = i * 2654435761u ^ (i >> 3);
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < 4096; ++i) h = (h ^ table[(i * 7) & 4095]) * 16777619u;
  return h;
}
__attribute__((export_name("pi_series"))) double pi_series(void) {
  double s = 0;
  for (int k = 0; k < 100000; ++k) s += (k & 1 ? -4.0 : 4.0) / (2 * k + 1);
  return s;
}
__attribute__((export_name("sqrt2_f32"))) float sqrt2_f32(void) {
  float x = 1.0f;
  for (int i = 0; i < 20; ++i) x = 0.5f * (x + 2.0f / x);
  return x;
}
__attribute__((export_name("tiny_f64"))) double tiny_f64(void) { return 4.9406564584124654e-324 * 3; }
__attribute__((export_name("big_i64"))) int64_t big_i64(void) { return INT64_MIN + 1; }
__attribute__((export_name("bits_f64"))) double bits_f64(void) { return -0.0; }
