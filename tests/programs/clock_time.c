// time(), clock_gettime (realtime, monotonic, cpu), clock(), gettimeofday, nanosleep, localtime:
// the virtual clock must be deterministic and never run backwards.
// wasm-flags: -D_WASI_EMULATED_PROCESS_CLOCKS -lwasi-emulated-process-clocks
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void) {
  time_t t = time(NULL);
  struct tm* g = gmtime(&t);
  char buf[64];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", g);
  printf("time %lld = %s\n", (long long)t, buf);
  struct timespec a, b, r;
  clock_gettime(CLOCK_REALTIME, &a);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("realtime %lld.%09ld monotonic %lld.%09ld\n", (long long)a.tv_sec, a.tv_nsec, (long long)b.tv_sec, b.tv_nsec);
  printf("res ok %d\n", clock_getres(CLOCK_MONOTONIC, &r) == 0 && (r.tv_sec > 0 || r.tv_nsec > 0));
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("gettimeofday %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
  clock_t c0 = clock();
  long long prev = 0, backwards = 0;
  double x = 0;
  for (int i = 0; i < 2000; ++i) {
    for (int k = 0; k < 100; ++k) x += k * 0.5;
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long ns = (long long)b.tv_sec * 1000000000LL + b.tv_nsec;
    backwards += ns < prev;
    prev = ns;
  }
  clock_t c1 = clock();
  printf("backwards %lld clock delta %lld x %g\n", backwards, (long long)(c1 - c0), x);
  struct timespec sl = {0, 5000000};
  int rs = nanosleep(&sl, NULL);
  clock_gettime(CLOCK_MONOTONIC, &a);
  printf("nanosleep %d monotonic now %lld.%09ld\n", rs, (long long)a.tv_sec, a.tv_nsec);
  return 0;
}
