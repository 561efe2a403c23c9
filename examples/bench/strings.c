// Memory and strings: format, sort, search, copy and hash many short strings, REPS times.
// Usage: strings [REPS]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 20000

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static unsigned long long bench_run(int reps) {
  static char* items[COUNT];
  unsigned long long check = 0;
  for (int r = 0; r < reps; ++r) {
    unsigned seed = 12345u + r;
    for (int i = 0; i < COUNT; ++i) {
      seed = seed * 1103515245u + 12345u;
      char tmp[64];
      int n = snprintf(tmp, sizeof tmp, "item-%u-%d-%x", seed % 100000, i, seed >> 7);
      items[i] = malloc(n + 1);
      memcpy(items[i], tmp, n + 1);
    }
    qsort(items, COUNT, sizeof items[0], cmp);
    size_t total = 0;
    for (int i = 0; i < COUNT; ++i) total += strlen(items[i]);
    char* joined = malloc(total + COUNT + 1);
    char* p = joined;
    for (int i = 0; i < COUNT; ++i) {
      size_t n = strlen(items[i]);
      memcpy(p, items[i], n);
      p += n;
      *p++ = ',';
    }
    *p = 0;
    unsigned h = 2166136261u;
    for (char* q = joined; *q; ++q) h = (h ^ (unsigned char)*q) * 16777619u;
    const char* hit = strstr(joined, "item-99");
    check += h + (hit ? (unsigned long long)(hit - joined) : 0);
    memmove(joined + 1, joined, total / 2);
    check += (unsigned char)joined[total / 3];
    free(joined);
    for (int i = 0; i < COUNT; ++i) free(items[i]);
  }
  return check;
}

#define BENCH_NAME "strings"
#include "bench_main.h"
