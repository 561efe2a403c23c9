// The entry points every benchmark kernel shares. A kernel defines
//   static unsigned long long bench_run(int reps);   // returns a checksum of its work
// and includes this header after it. Built normally it is a command: `KERNEL [REPS]` prints
// "KERNEL CHECKSUM". Built with -DBENCH_EXPORT_REPS=N (and -mexec-model=reactor) it instead
// exports `bench()`, which runs N repetitions and returns the checksum: engines without WASI
// (wabt's wasm-interp --run-all-exports) can run that.
#include <stdio.h>
#include <stdlib.h>

#ifdef BENCH_EXPORT_REPS
__attribute__((export_name("bench"))) long long bench(void) { return (long long)bench_run(BENCH_EXPORT_REPS); }
#else
int main(int argc, char** argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 1;
  printf("%s %llu\n", BENCH_NAME, bench_run(reps));
  return 0;
}
#endif
