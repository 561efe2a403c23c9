// libm: sqrt, fmod, floor/ceil/round/trunc, frexp/ldexp, and transcendental functions
// (printed with 12 significant digits: libms may differ in the last ulp).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  double scale = argc > 1 ? atof(argv[1]) : 1.0;  // defeats constant folding
  double xs[] = {0.0, 0.5, 1.0, 2.0, 3.14159, 10.0, -2.5, 100.25, 1e-8, 700.0};
  for (int i = 0; i < 10; ++i) {
    double x = xs[i] * scale;
    printf("x=%g sqrt %.17g fmod %.17g floor %g ceil %g round %g trunc %g rint %g\n", x, sqrt(fabs(x)),
           fmod(x, 0.75), floor(x), ceil(x), round(x), trunc(x), rint(x));
    printf("  sin %.12g cos %.12g tan %.12g exp %.12g log1p %.12g atan %.12g\n", sin(x), cos(x), tan(x),
           exp(x), log1p(fabs(x)), atan(x));
    printf("  pow %.12g cbrt %.12g hypot %.12g atan2 %.12g tanh %.12g\n", pow(fabs(x), 1.5), cbrt(x),
           hypot(x, 3.0), atan2(x, -1.0), tanh(x));
    if (x > 0) printf("  log %.12g log2 %.12g log10 %.12g\n", log(x), log2(x), log10(x));
  }
  int e;
  double m = frexp(1234.5 * scale, &e);
  printf("frexp %.17g %d ldexp %.17g modf", m, e, ldexp(m, e));
  double ip, fp = modf(-3.75 * scale, &ip);
  printf(" %g %g\n", ip, fp);
  printf("fmin %g fmax %g copysign %g nextafter %.17g remainder %.17g\n", fmin(1, NAN), fmax(NAN, 2),
         copysign(3, -0.0), nextafter(1.0, 2.0), remainder(10.0, 3.0));
  float f = 2.0f * (float)scale;
  printf("sqrtf %.9g sinf %.6g expf %.6g powf %.6g\n", sqrtf(f), sinf(f), expf(f), powf(f, 0.5f));
  double acc = 0;
  for (int i = 1; i <= 100000; ++i) acc += sqrt((double)i) * scale - floor(sqrt((double)i));
  printf("acc %.17g\n", acc);
  printf("lround %ld llrint %lld ilogb %d\n", lround(2.5 * scale), llrint(-2.5 * scale), ilogb(1000 * scale));
  return 0;
}
