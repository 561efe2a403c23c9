// 64-bit and 128-bit integer math: wrapping mul, signed/unsigned div and mod, shifts, rotates,
// overflow builtins, modular exponentiation, gcd, integer square root.
#include <stdint.h>
#include <stdio.h>

// (a * b) mod m by doubling: Debian's wasm32 compiler-rt lacks a usable 128-bit modulo.
static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) {
  uint64_t r = 0;
  for (a %= m; b; b >>= 1, a = a >= m - a ? a - (m - a) : a + a)
    if (b & 1) r = r >= m - a ? r - (m - a) : r + a;
  return r;
}
static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
  uint64_t r = 1;
  for (b %= m; e; e >>= 1, b = mulmod(b, b, m)) if (e & 1) r = mulmod(r, b, m);
  return r;
}
static int is_prime(uint64_t n) {  // deterministic Miller-Rabin for 64-bit n
  if (n < 2) return 0;
  static const uint64_t bases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  for (int i = 0; i < 12; ++i) if (n % bases[i] == 0) return n == bases[i];
  uint64_t d = n - 1; int s = 0;
  while (!(d & 1)) { d >>= 1; s++; }
  for (int i = 0; i < 12; ++i) {
    uint64_t x = powmod(bases[i], d, n);
    if (x == 1 || x == n - 1) continue;
    int ok = 0;
    for (int r = 1; r < s && !ok; ++r) { x = mulmod(x, x, n); ok = x == n - 1; }
    if (!ok) return 0;
  }
  return 1;
}
static uint64_t gcd(uint64_t a, uint64_t b) { while (b) { uint64_t t = a % b; a = b; b = t; } return a; }
static uint64_t isqrt(uint64_t n) {
  if (n < 2) return n;
  uint64_t x = n, y = n / 2 + 1;
  while (y < x) { x = y; y = (x + n / x) / 2; }
  return x;
}

int main(void) {
  int64_t s[] = {INT64_MIN, -7, -1, 0, 1, 7, INT64_MAX, -1000000000007LL};
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 8; ++j) {
      int64_t a = s[i], b = s[j];
      if (b == 0 || (a == INT64_MIN && b == -1)) continue;
      printf("%lld/%lld=%lld %%=%lld u/=%llu u%%=%llu\n", (long long)a, (long long)b, (long long)(a / b),
             (long long)(a % b), (unsigned long long)((uint64_t)a / (uint64_t)b),
             (unsigned long long)((uint64_t)a % (uint64_t)b));
    }
  uint64_t x = 0x0123456789abcdefULL;
  for (int k = 0; k < 64; k += 13)
    printf("k=%d shl %016llx shr %016llx sar %016llx rotl %016llx\n", k, (unsigned long long)(x << k),
           (unsigned long long)(x >> k), (unsigned long long)((int64_t)~x >> k),
           (unsigned long long)((x << k) | (x >> ((64 - k) & 63))));
  int64_t r1, r2, r3;
  int o1 = __builtin_add_overflow(INT64_MAX, 1, &r1);
  int o2 = __builtin_mul_overflow((int64_t)3037000500LL, (int64_t)3037000500LL, &r2);
  int o3 = __builtin_sub_overflow(INT64_MIN, 1, &r3);
  printf("overflow add %d %lld mul %d %lld sub %d %lld\n", o1, (long long)r1, o2, (long long)r2, o3, (long long)r3);
  unsigned __int128 big = (unsigned __int128)UINT64_MAX * UINT64_MAX;
  printf("u128 hi %016llx lo %016llx\n", (unsigned long long)(big >> 64), (unsigned long long)big);
  uint64_t found = 0, last = 0;
  for (uint64_t n = (1ULL << 61) - 1; found < 5; n += 2) if (is_prime(n)) { found++; last = n; }
  printf("5th prime from 2^61-1: %llu\n", (unsigned long long)last);
  printf("gcd %llu isqrt %llu %llu\n", (unsigned long long)gcd(1071ULL * 1000003, 462ULL * 1000003),
         (unsigned long long)isqrt(UINT64_MAX), (unsigned long long)isqrt(1000000000000000000ULL));
  uint64_t h = 0;
  for (uint64_t i = 1; i < 300000; ++i) h += (h * i) ^ (i * 0x9e3779b97f4a7c15ULL) ^ (h >> 17);
  printf("mix %016llx\n", (unsigned long long)h);
  return 0;
}
