// Shortest-ish decimal round trips of 4000 pseudo-random doubles and floats through printf and
// strtod: musl formats with soft-float long double arithmetic, glibc with its own code, and both
// must print the same digits for %.17g, %.9g and %e.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  uint64_t s = 0x243f6a8885a308d3ULL, h = 1469598103934665603ULL;
  unsigned bad = 0, shown = 0;
  char buf[64], buf2[64];
  for (int i = 0; i < 4000; ++i) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    double d;
    memcpy(&d, &s, 8);
    if (!isfinite(d)) continue;
    snprintf(buf, sizeof buf, "%.17g", d);
    if (strtod(buf, NULL) != d) bad++;
    float f = (float)(s >> 40) * 1e-3f;
    snprintf(buf2, sizeof buf2, "%.9g|%e|%.3f", f, d, f);
    if (strtof(buf2, NULL) != f) bad++;
    for (char* p = buf; *p; ++p) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (char* p = buf2; *p; ++p) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    if (i % 400 == 0) { printf("%s  %s\n", buf, buf2); shown++; }
  }
  printf("shown %u, round-trip failures %u, hash %016llx\n", shown, bad, (unsigned long long)h);
  return 0;
}
