// Large static arrays (zero-initialized and initialized data) and a sieve over them:
// the module's initial memory is tens of MiB.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 5000000
static uint8_t composite[N + 1];
static uint32_t primes[400000];
static const uint32_t table[8] = {2, 3, 5, 7, 11, 13, 17, 19};
static uint64_t ring[1 << 20] = {1, 2, 3};

int main(void) {
  uint32_t count = 0;
  for (uint32_t i = 2; i <= N; ++i) {
    if (composite[i]) continue;
    primes[count++] = i;
    for (uint64_t j = (uint64_t)i * i; j <= N; j += i) composite[j] = 1;
  }
  printf("primes below %d: %u, last %u\n", N, count, primes[count - 1]);
  uint64_t sum = 0;
  for (uint32_t i = 0; i < count; ++i) sum += primes[i];
  printf("sum %llu table %u\n", (unsigned long long)sum, table[count % 8]);
  for (uint32_t i = 3; i < (1 << 20); ++i) ring[i] = ring[i - 1] + ring[i - 3] * 3;
  printf("ring %llu\n", (unsigned long long)ring[(1 << 20) - 1]);
  memset(composite, 0xab, N / 2);
  uint64_t h = 0;
  for (uint32_t i = 0; i < N; i += 4099) h = h * 31 + composite[i];
  printf("h %llu\n", (unsigned long long)h);
  return 0;
}
