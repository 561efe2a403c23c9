/* append_string: func(a: string, b: string) -> string (canonical ABI). */
#include "cabi.h"

EXPORT("append_string")
cabi_list *append_string(uint8_t *a, size_t a_len, uint8_t *b, size_t b_len) {
  uint8_t *out = malloc(a_len + b_len + 1);
  if (!out) abort();
  memcpy(out, a, a_len);
  memcpy(out + a_len, b, b_len);
  cabi_free(a, a_len);
  cabi_free(b, b_len);
  cabi_ret_list.ptr = out;
  cabi_ret_list.len = a_len + b_len;
  return &cabi_ret_list;
}

EXPORT("cabi_post_append_string")
void cabi_post_append_string(cabi_list *ret) { free(ret->ptr); }
