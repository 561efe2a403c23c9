// Arbitrary precision in base 10^9: factorial of 1000, 2^4000, a Fibonacci number, and long
// division of the factorial by a small number; printed in full or as digit counts and sums.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE 1000000000u
typedef struct { uint32_t* d; size_t n; } Big;  // little-endian limbs

static Big from(uint32_t v) { Big b = {malloc(4 * sizeof(uint32_t)), 1}; b.d[0] = v; return b; }
static void mul_small(Big* b, uint32_t m) {
  uint64_t carry = 0;
  for (size_t i = 0; i < b->n; ++i) {
    uint64_t t = (uint64_t)b->d[i] * m + carry;
    b->d[i] = (uint32_t)(t % BASE);
    carry = t / BASE;
  }
  while (carry) { b->d = realloc(b->d, (b->n + 1) * sizeof *b->d); b->d[b->n++] = (uint32_t)(carry % BASE); carry /= BASE; }
}
static void add(Big* a, const Big* b) {  // a += b
  size_t n = a->n > b->n ? a->n : b->n;
  a->d = realloc(a->d, (n + 1) * sizeof *a->d);
  for (size_t i = a->n; i <= n; ++i) a->d[i] = 0;
  uint32_t carry = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t t = a->d[i] + (i < b->n ? b->d[i] : 0) + carry;
    carry = t >= BASE;
    a->d[i] = carry ? t - BASE : t;
  }
  a->d[n] = carry;
  a->n = n + carry;
}
static uint32_t div_small(Big* b, uint32_t m) {  // b /= m, returns the remainder
  uint64_t rem = 0;
  for (size_t i = b->n; i-- > 0;) {
    uint64_t cur = b->d[i] + rem * BASE;
    b->d[i] = (uint32_t)(cur / m);
    rem = cur % m;
  }
  while (b->n > 1 && b->d[b->n - 1] == 0) b->n--;
  return (uint32_t)rem;
}
static char* str(const Big* b) {
  char* s = malloc(b->n * 9 + 2);
  int k = sprintf(s, "%u", b->d[b->n - 1]);
  for (size_t i = b->n - 1; i-- > 0;) k += sprintf(s + k, "%09u", b->d[i]);
  return s;
}
static void summary(const char* name, const Big* b) {
  char* s = str(b);
  size_t len = strlen(s);
  unsigned sum = 0;
  for (size_t i = 0; i < len; ++i) sum += (unsigned)(s[i] - '0');
  printf("%s: %zu digits, digit sum %u, starts %.20s, ends %s\n", name, len, sum, s, s + (len > 20 ? len - 20 : 0));
  free(s);
}

int main(void) {
  Big f = from(1);
  for (uint32_t i = 2; i <= 1000; ++i) mul_small(&f, i);
  summary("1000!", &f);
  uint32_t r = div_small(&f, 999999937u);
  printf("1000! mod 999999937 = %u\n", r);
  Big p = from(1);
  for (int i = 0; i < 4000; ++i) mul_small(&p, 2);
  summary("2^4000", &p);
  Big a = from(0), b = from(1);
  for (int i = 0; i < 3000; ++i) { add(&a, &b); Big t = a; a = b; b = t; }
  summary("fib(3000)", &a);
  Big m = from(999999999u);
  mul_small(&m, 4294967295u);  // a product that needs the 64-bit carry path
  char* s = str(&m);
  printf("999999999 * 4294967295 = %s\n", s);
  free(s);
  free(m.d);
  free(f.d); free(p.d); free(a.d); free(b.d);
  return 0;
}
