// printf of floats and doubles: %f %e %g %a, precision, NaN and infinities, subnormals.
#include <float.h>
#include <math.h>
#include <stdio.h>

static volatile double vzero = 0.0;

int main(void) {
  double d[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3, 2.5, 3.5, 1e-5, 123456789.125, 1e21, 1e-300,
                DBL_MAX, DBL_MIN, DBL_TRUE_MIN, DBL_EPSILON, 6.02214076e23, M_PI, -M_E, 0.5e-323};
  for (unsigned i = 0; i < sizeof d / sizeof *d; ++i) {
    double v = d[i];
    printf("%f|%.3f|%10.2f|%-12.1e|%e|%.0e|%g|%.10g|%#g|%G|%.17g", v, v, v, v, v, v, v, v, v, v, v);
    // %a of a subnormal is written differently by glibc (0x0.0...1p-1022) and musl (0x1p-1074).
    if (v == 0 || fabs(v) >= DBL_MIN) printf("|%a|%.3a", v, v);
    putchar('\n');
  }
  float f[] = {0.1f, 1.0f / 3.0f, 16777217.0f, FLT_MAX, FLT_MIN, -2.75f};
  for (unsigned i = 0; i < sizeof f / sizeof *f; ++i) printf("%f %g %.9g %a\n", f[i], f[i], f[i], f[i]);
  double inf = 1.0 / vzero;
  printf("%f %F %e %g %a %5.1f| %-6f| %+f\n", inf, inf, -inf, inf, -inf, inf, -inf, inf);
  printf("%f %F %g %e %a\n", NAN, NAN, -NAN, NAN, -NAN);
  printf("isnan %d isinf %d signbit %d %d\n", isnan(inf - inf), isinf(-inf) != 0, signbit(-0.0), signbit(0.0));
  // Rounding of halfway cases in decimal conversion.
  printf("%.0f %.0f %.0f %.0f %.1f %.1f %.2f\n", 0.5, 1.5, 2.5, -0.5, 0.25, 0.35, 1.005);
  printf("%.40f\n", 0.1);
  printf("%.60e\n", DBL_TRUE_MIN);
  printf("%.20g %.20g\n", 1e23, 9007199254740993.0);
  // Accumulated series: checks float arithmetic in the engine, not just printing.
  double s = 0, h = 0;
  float fs = 0;
  for (int k = 1; k <= 200000; ++k) {
    s += (k & 1 ? 1.0 : -1.0) / (2 * k - 1);
    h += 1.0 / ((double)k * k);
    fs += 1.0f / (float)k;
  }
  printf("pi/4 ~ %.17g, zeta2 ~ %.17g, harmonic(f32) ~ %.9g\n", s, h, fs);
  return 0;
}
