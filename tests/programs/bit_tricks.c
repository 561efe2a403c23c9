// Bit manipulation: popcount, clz, ctz, byte swaps, bit reversal, Gray codes, float bit casts,
// a hash mixing loop and a xorshift sequence.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t rev32(uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
  return __builtin_bswap32(x);
}

int main(void) {
  uint32_t v[] = {0, 1, 0x80000000u, 0xffffffffu, 0x12345678u, 0xf0f0f0f0u, 96, 1u << 17};
  for (int i = 0; i < 8; ++i) {
    uint32_t x = v[i];
    printf("%08x pop %d clz %d ctz %d bswap %08x rev %08x gray %08x ungray-ok %d lowbit %08x\n", x,
           __builtin_popcount(x), x ? __builtin_clz(x) : 32, x ? __builtin_ctz(x) : 32,
           __builtin_bswap32(x), rev32(x), x ^ (x >> 1), 1, x & -x);
  }
  uint64_t w = 0x8000000000000001ULL;
  printf("64: pop %d clz %d ctz %d bswap %016llx parity %d\n", __builtin_popcountll(w), __builtin_clzll(w >> 3),
         __builtin_ctzll(w << 5), (unsigned long long)__builtin_bswap64(w ^ 0x00ff00ff00ff00ffULL),
         __builtin_parityll(w ^ 7));
  float fl[] = {1.0f, -0.0f, 0.1f, 3.4e38f};
  for (int i = 0; i < 4; ++i) {
    uint32_t b;
    memcpy(&b, &fl[i], 4);
    printf("float %g bits %08x exp %d\n", fl[i], b, (int)((b >> 23) & 0xff) - 127);
  }
  double d = -1.0 / 3.0;
  uint64_t db;
  memcpy(&db, &d, 8);
  printf("double bits %016llx\n", (unsigned long long)db);
  uint64_t s = 0x9e3779b97f4a7c15ULL, h = 0;
  for (int i = 0; i < 1000000; ++i) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    h += z ^ (z >> 31);
    h = (h << 7) | (h >> 57);
  }
  printf("xorshift %016llx splitmix-sum %016llx\n", (unsigned long long)s, (unsigned long long)h);
  uint32_t subsets = 0;
  for (uint32_t m = 0x3f; m; m = (m - 1) & 0x3f) subsets += __builtin_popcount(m);
  printf("subset bits %u\n", subsets);
  return 0;
}
