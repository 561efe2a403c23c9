// Sieve of Eratosthenes up to 2,000,000, REPS times. Usage: sieve [REPS]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 2000000
static unsigned char composite[LIMIT + 1];

static unsigned long long bench_run(int reps) {
  unsigned long long total = 0;
  for (int r = 0; r < reps; ++r) {
    memset(composite, 0, sizeof composite);
    unsigned count = 0;
    for (unsigned i = 2; i <= LIMIT; ++i) {
      if (composite[i]) continue;
      ++count;
      for (unsigned long long j = (unsigned long long)i * i; j <= LIMIT; j += i) composite[j] = 1;
    }
    total += count;
  }
  return total;
}

#define BENCH_NAME "sieve"
#include "bench_main.h"
