/* add_one: func(x: s32) -> s32. The smallest pure task. */
#include <stdint.h>

__attribute__((export_name("add_one"))) int32_t add_one(int32_t x) { return x + 1; }
