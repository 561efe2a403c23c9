// Indirect calls and varargs: a table of function pointers (call_indirect), qsort-style callbacks,
// a vprintf wrapper, va_copy, and a struct passed and returned by value.
#include <stdarg.h>
#include <stdio.h>

typedef struct { int a; double b; char name[12]; } S;
static S make(int a, double b) { S s = {a, b, "made"}; s.name[4] = (char)('0' + a % 10); return s; }
static S twice(S s) { s.a *= 2; s.b *= 2; return s; }

static int add(int x, int y) { return x + y; }
static int sub(int x, int y) { return x - y; }
static int mul(int x, int y) { return x * y; }
static int mod(int x, int y) { return y ? x % y : 0; }
static int (*const ops[])(int, int) = {add, sub, mul, mod};

static double avg(int n, ...) {
  va_list ap, ap2;
  va_start(ap, n);
  va_copy(ap2, ap);
  double s = 0;
  for (int i = 0; i < n; ++i) s += va_arg(ap, double);
  double first = n ? va_arg(ap2, double) : 0;
  va_end(ap2);
  va_end(ap);
  return n ? s / n + first * 0 : 0;
}
static void logf_(const char* tag, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  printf("[%s] ", tag);
  vprintf(fmt, ap);
  va_end(ap);
}
static long mixed(int n, ...) {
  va_list ap;
  va_start(ap, n);
  long long t = 0;
  for (int i = 0; i < n; ++i) t += i % 2 ? va_arg(ap, long long) : va_arg(ap, int);
  va_end(ap);
  return (long)(t % 1000000007);
}

int main(void) {
  int acc = 1;
  for (int i = 0; i < 100000; ++i) acc = ops[(unsigned)(acc ^ i) % 4](acc, i % 97 + 1) & 0xffffff;
  printf("ops acc %d\n", acc);
  printf("avg %.17g %.17g\n", avg(3, 1.0, 2.0, 4.5), avg(0));
  logf_("info", "%d items, %s, %.2f%%\n", 3, "fine", 99.5);
  printf("mixed %ld\n", mixed(6, 1, 2LL << 40, 3, 4LL << 35, 5, -6LL));
  S s = twice(make(7, 1.25));
  printf("struct %d %g %s\n", s.a, s.b, s.name);
  return 0;
}
