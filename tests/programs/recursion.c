// Deep and branching recursion: a 100000-deep linear recursion with a live frame, Ackermann,
// mutual recursion, and recursive descent parsing of a generated expression.
#include <stdio.h>
#include <stdlib.h>

static unsigned long long down(int n, volatile char* prev) {
  volatile char pad[16];
  pad[0] = (char)n;
  if (n == 0) return prev ? (unsigned char)prev[0] : 0;
  return down(n - 1, pad) + (unsigned char)pad[0];
}
static unsigned ack(unsigned m, unsigned n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static const char* p;
static long long expr(void);
static long long atom(void) {
  if (*p == '(') { ++p; long long v = expr(); ++p; return v; }
  long long v = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  return v;
}
static long long term(void) {
  long long v = atom();
  while (*p == '*') { ++p; v = (v * atom()) % 1000003; }
  return v;
}
static long long expr(void) {
  long long v = term();
  while (*p == '+' || *p == '-') { char op = *p++; long long t = term(); v = op == '+' ? v + t : v - t; }
  return v;
}
static char* gen(char* o, int depth, unsigned* seed) {
  *seed = *seed * 1664525u + 1013904223u;
  if (depth == 0 || (*seed >> 28) < 3) return o + sprintf(o, "%u", (*seed >> 10) % 100);
  *o++ = '(';
  o = gen(o, depth - 1, seed);
  *o++ = "+-*"[(*seed >> 20) % 3];
  o = gen(o, depth - 1, seed);
  *o++ = ')';
  return o;
}

int main(int argc, char** argv) {
  int depth = argc > 1 ? atoi(argv[1]) : 100000;
  printf("down(%d) = %llu\n", depth, down(depth, 0));
  printf("ack(2,500) = %u ack(3,6) = %u\n", ack(2, 500), ack(3, 6));
  printf("is_even(12001) = %d\n", is_even(12001));
  char* buf = malloc(1 << 22);
  unsigned seed = 99;
  *gen(buf, 16, &seed) = 0;
  p = buf;
  long long v = expr();
  printf("expr of %zu chars = %lld\n", (size_t)(p - buf), v);
  free(buf);
  return 0;
}
