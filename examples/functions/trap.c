/* Functions that trap: unreachable, and integer division by zero. */
#include <stdint.h>

__attribute__((export_name("boom"))) int32_t boom(void) { __builtin_trap(); }

__attribute__((export_name("divide"))) int32_t divide(int32_t a, int32_t b) {
  int32_t r;
  /* Wasm's i32.div_s traps on b == 0; an asm-free way to keep the division in the module. */
  volatile int32_t vb = b;
  r = a / vb;
  return r;
}
