/* Minimal Component Model canonical ABI support for core-module guests written in C, the same
 * shape wit-bindgen's C bindings produce: the host allocates argument memory with cabi_realloc,
 * results wider than one flat value come back through a return area, and cabi_post_<name>
 * frees what the result owned. */
#ifndef IPVM_EXAMPLES_CABI_H
#define IPVM_EXAMPLES_CABI_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("cabi_realloc")
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align; /* malloc's alignment (16) covers every canonical ABI type */
  if (new_size == 0) return (void *)align;
  void *p = realloc(ptr, new_size);
  if (!p) abort();
  return p;
}

/* Frees an argument the host allocated: an empty string or list came from cabi_realloc(.., 0),
 * which returns the alignment rather than a heap pointer, so there is nothing to free (wit-bindgen's
 * C bindings make the same check). */
static inline void cabi_free(void *ptr, size_t len) {
  if (len) free(ptr);
}

/* A (pointer, length) pair: string, list<u8>. */
typedef struct {
  uint8_t *ptr;
  size_t len;
} cabi_list;

/* A return area the result is written to; freed by cabi_post_*. */
static cabi_list cabi_ret_list;

#endif
