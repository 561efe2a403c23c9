// strtod/strtof/strtol/strtoul/strtoll/atoi: values, end positions, errno on overflow.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  const char* ds[] = {"0", "-0", "3.14159", "  +1e10xyz", "1e-320", "1e400", "-1e400", "0x1.8p3",
                      "inf", "-Infinity", "nan", ".5", "5.", "1_000", "", "abc", "2.2250738585072011e-308",
                      "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000"
                      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                      "000000000000000000000000000000000000000000000000000000000000000",
                      "0.1000000000000000055511151231257827021181583404541015625", "123456789012345678901234567890"};
  for (unsigned i = 0; i < sizeof ds / sizeof *ds; ++i) {
    char* end;
    errno = 0;
    double v = strtod(ds[i], &end);
    int e = errno;
    errno = 0;
    char* fend;
    float f = strtof(ds[i], &fend);
    printf("strtod(\"%.20s\") = %.17g end %td erange %d | strtof = %.9g end %td erange %d\n", ds[i], v,
           end - ds[i], e == ERANGE, f, fend - ds[i], errno == ERANGE);
  }
  const char* is[] = {"0", "-17", "  42abc", "0x1F", "0777", "2147483647", "2147483648", "-2147483649",
                      "9223372036854775807", "9223372036854775808", "-9223372036854775809", "zz", "+-1",
                      "18446744073709551615", "18446744073709551616", "-1"};
  int bases[] = {10, 0, 16, 36};
  for (unsigned i = 0; i < sizeof is / sizeof *is; ++i) {
    for (unsigned b = 0; b < 4; ++b) {
      char* end;
      errno = 0;
      long l = strtol(is[i], &end, bases[b]);
      int el = errno;
      errno = 0;
      long long ll = strtoll(is[i], 0, bases[b]);
      int ell = errno;
      errno = 0;
      unsigned long long ull = strtoull(is[i], 0, bases[b]);
      int eull = errno;
      // long is 32 bits on wasm32 and 64 natively: print it only when it fits in 32 bits.
      if (l >= -2147483647L - 1 && l <= 2147483647L && el != ERANGE)
        printf("%s/%d: l=%ld end %td ", is[i], bases[b], l, end - is[i]);
      else
        printf("%s/%d: l=big end %td ", is[i], bases[b], end - is[i]);
      printf("ll=%lld e%d ull=%llu e%d\n", ll, ell == ERANGE, ull, eull == ERANGE);
    }
  }
  printf("atoi %d %d %d atol %ld\n", atoi("  -123x"), atoi("x"), atoi("+7"), atol("99999"));
  double sum = 0;
  char buf[32];
  for (int i = 0; i < 5000; ++i) {
    snprintf(buf, sizeof buf, "%d.%03de%d", i, i % 1000, i % 40 - 20);
    sum += strtod(buf, 0);
  }
  printf("round-trip sum %.17g\n", sum);
  return 0;
}
