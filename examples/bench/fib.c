// Recursion: naive Fibonacci. Usage: fib [REPS]
#include <stdio.h>
#include <stdlib.h>

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char** argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 10;
  unsigned long long sum = 0;
  for (int r = 0; r < reps; ++r) sum += fib(27 + (r & 1));
  printf("fib %llu\n", sum);
  return 0;
}
