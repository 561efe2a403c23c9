// printf of integers: widths, flags, bases, limits, length modifiers.
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
  int vals[] = {0, 1, -1, 42, -42, 255, 65535, INT_MAX, INT_MIN, 1000000007};
  for (unsigned i = 0; i < sizeof vals / sizeof *vals; ++i) {
    int v = vals[i];
    printf("[%d] [%5d] [%-5d|] [%05d] [%+d] [% d] [%x] [%X] [%#x] [%o] [%#o] [%u]\n", v, v, v, v, v,
           v, v, v, v, v, v, (unsigned)v);
  }
  long long ll[] = {0, LLONG_MAX, LLONG_MIN, -1, 1234567890123456789LL};
  for (unsigned i = 0; i < sizeof ll / sizeof *ll; ++i)
    printf("%lld %llx %llu %20lld|%-20lld|\n", ll[i], ll[i], (unsigned long long)ll[i], ll[i], ll[i]);
  printf("%hhd %hhu %hd %hu\n", (signed char)200, (unsigned char)300, (short)70000, (unsigned short)70000);
  printf("%" PRId64 " %" PRIu64 " %" PRIx64 "\n", INT64_MIN, UINT64_MAX, (uint64_t)0xdeadbeefcafeULL);
  printf("%zu %td %jd\n", sizeof(long double) > 0 ? (size_t)12345 : 0, (ptrdiff_t)-77, (intmax_t)-99);
  printf("%.0d|%.3d|%8.3d|%-8.3d|\n", 0, 7, -7, 7);
  printf("%c%c%c %5c|%-5c|\n", 'a', 'B', '0', 'x', 'y');
  printf("%%literal %s %.2s %10.3s|\n", "str", "abcdef", "abcdef");
  int n1 = 0, n2 = 0;
  printf("count%n me%n\n", &n1, &n2);
  printf("n1=%d n2=%d\n", n1, n2);
  unsigned long long acc = 0;
  for (int i = -5000; i < 5000; i += 7) {
    char buf[64];
    acc = acc * 31 + (unsigned)snprintf(buf, sizeof buf, "%d:%x:%o", i * 12345, i, i);
    for (char* p = buf; *p; ++p) acc = acc * 131 + (unsigned char)*p;
  }
  printf("checksum %llu\n", acc);
  return 0;
}
