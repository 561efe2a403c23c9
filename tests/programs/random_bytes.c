// rand/srand, random(), getentropy and arc4random: seeded by the host, so runs are reproducible.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  srand(42);
  printf("rand:");
  for (int i = 0; i < 8; ++i) printf(" %d", rand() % 1000);
  srandom(7);
  printf("\nrandom: %ld %ld\n", random() % 1000, random() % 1000);
  unsigned char e[32];
  int r = getentropy(e, sizeof e);
  printf("getentropy %d:", r);
  for (unsigned i = 0; i < sizeof e; ++i) printf("%02x", e[i]);
  printf("\narc4random: %08x %08x uniform %u\n", arc4random(), arc4random(), arc4random_uniform(1000));
  unsigned char big[4096];
  arc4random_buf(big, sizeof big);
  unsigned hist[16] = {0};
  for (unsigned i = 0; i < sizeof big; ++i) hist[big[i] >> 4]++;
  unsigned lo = 4096, hi = 0;
  for (int i = 0; i < 16; ++i) { if (hist[i] < lo) lo = hist[i]; if (hist[i] > hi) hi = hist[i]; }
  printf("nibble histogram min %u max %u (plausible %d)\n", lo, hi, lo > 150 && hi < 370);
  return 0;
}
