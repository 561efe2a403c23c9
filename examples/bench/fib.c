// Recursion: naive Fibonacci. Usage: fib [REPS]
#include <stdio.h>
#include <stdlib.h>

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned long long bench_run(int reps) {
  unsigned long long sum = 0;
  for (int r = 0; r < reps; ++r) sum += fib(27 + (r & 1));
  return sum;
}

#define BENCH_NAME "fib"
#include "bench_main.h"
