// A WASI reactor (-mexec-model=reactor): `ipvm wasm run --invoke NAME ARGS` calls _initialize,
// then the export. No exit flushes stdio after an export returns, so its lines must reach stdout
// as they are written (line-buffered stdio), before the printed result.
#include <stdio.h>
#include <stdlib.h>

static char* greeting;  // set by a constructor: _initialize must have run
volatile long long sink;  // keeps the busy work (fuel between lines for suspensions)

__attribute__((constructor)) static void init(void) { greeting = "hello"; }

__attribute__((export_name("greet"))) int greet(int n) {
  long long acc = 0;
  for (int i = 0; i < n; ++i) {
    printf("%s %d\n", greeting, i);
    for (int k = 0; k < 1000; ++k) acc += (long long)k * i % 7;
  }
  fprintf(stderr, "greeted %d\n", n);
  sink = acc;
  return 2 * n;
}

__attribute__((export_name("average"))) double average(int n) {
  double* v = malloc(sizeof(double) * (size_t)n);
  double s = 0;
  for (int i = 0; i < n; ++i) s += v[i] = i * 0.5;
  free(v);
  return n ? s / n : 0;
}
