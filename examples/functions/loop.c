/* spin: func() -> s32 never returns: fuel or the deadline must stop it. */
#include <stdint.h>

__attribute__((export_name("spin"))) int32_t spin(void) {
  volatile int32_t x = 0;
  for (;;) x++;
  return x;
}
