// Floating-point simulation: n-body in double, a float Mandelbrot, a Kahan sum, and
// conversions between floats and integers (saturation is not relied on).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { double x, y, z, vx, vy, vz, m; } Body;

static double energy(Body* b, int n) {
  double e = 0;
  for (int i = 0; i < n; ++i) {
    e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
    for (int j = i + 1; j < n; ++j) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      e -= b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

int main(int argc, char** argv) {
  int steps = argc > 1 ? atoi(argv[1]) : 20000;
  Body b[5] = {{0, 0, 0, 0, 0, 0, 39.47841760435743},
               {4.84, -1.16, -0.10, 0.606, 2.81, -0.025, 0.037},
               {8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011},
               {12.89, -15.11, -0.22, 1.08, 0.868, -0.010, 0.0017},
               {15.37, -25.91, 0.179, 0.979, 0.594, -0.034, 0.002}};
  printf("e0 %.15f\n", energy(b, 5));
  for (int s = 0; s < steps; ++s) {
    for (int i = 0; i < 5; ++i)
      for (int j = i + 1; j < 5; ++j) {
        double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
        double d2 = dx * dx + dy * dy + dz * dz, mag = 0.01 / (d2 * sqrt(d2));
        b[i].vx -= dx * b[j].m * mag; b[i].vy -= dy * b[j].m * mag; b[i].vz -= dz * b[j].m * mag;
        b[j].vx += dx * b[i].m * mag; b[j].vy += dy * b[i].m * mag; b[j].vz += dz * b[i].m * mag;
      }
    for (int i = 0; i < 5; ++i) { b[i].x += 0.01 * b[i].vx; b[i].y += 0.01 * b[i].vy; b[i].z += 0.01 * b[i].vz; }
  }
  printf("e1 %.15f x1 %.17g\n", energy(b, 5), b[1].x);
  int inside = 0;
  for (int py = 0; py < 120; ++py)
    for (int px = 0; px < 160; ++px) {
      float cr = -2.0f + 2.6f * px / 160, ci = -1.2f + 2.4f * py / 120, zr = 0, zi = 0;
      int k = 0;
      while (k < 200 && zr * zr + zi * zi < 4.0f) { float t = zr * zr - zi * zi + cr; zi = 2 * zr * zi + ci; zr = t; ++k; }
      inside += k == 200;
    }
  printf("mandelbrot inside %d\n", inside);
  double sum = 0, c = 0, naive = 0;
  for (int i = 1; i <= 1000000; ++i) {
    double y = 1.0 / i - c, t = sum + y;
    c = (t - sum) - y; sum = t; naive += 1.0 / i;
  }
  printf("kahan %.17g naive %.17g\n", sum, naive);
  double vals[] = {-2.5, -0.5, 0.49999999999999994, 1e9, -2147483648.0, 4294967295.0, 123.999};
  for (int i = 0; i < 7; ++i)
    printf("%g -> i64 %lld u32 %u f32 %.9g\n", vals[i], (long long)vals[i],
           vals[i] >= 0 ? (unsigned)vals[i] : 0u, (float)vals[i]);
  return 0;
}
