/* A record transformer:
 *   greet: func(p: record { name: string, age: u32 }) -> record { greeting: string, age-next-year: u32 }
 * Record fields flatten in order, so the parameters are (name.ptr, name.len, age); the result
 * (3 flat values) comes back through a return area laid out as { ptr, len, u32 }. */
#include <stdio.h>

#include "cabi.h"

typedef struct {
  uint8_t *greeting;
  size_t greeting_len;
  uint32_t age_next_year;
} greet_result;

static greet_result result;

EXPORT("greet")
greet_result *greet(uint8_t *name, size_t name_len, uint32_t age) {
  static const char prefix[] = "Hello, ";
  size_t len = sizeof prefix - 1 + name_len + 1;
  uint8_t *out = malloc(len);
  if (!out) abort();
  memcpy(out, prefix, sizeof prefix - 1);
  memcpy(out + sizeof prefix - 1, name, name_len);
  out[len - 1] = '!';
  cabi_free(name, name_len);
  result.greeting = out;
  result.greeting_len = len;
  result.age_next_year = age + 1;
  return &result;
}

EXPORT("cabi_post_greet")
void cabi_post_greet(greet_result *ret) { free(ret->greeting); }
