// Matrix multiply: 96x96 doubles, REPS times. Usage: matmul [REPS]
#include <stdio.h>
#include <stdlib.h>

#define N 96
static double a[N][N], b[N][N], c[N][N];

static unsigned long long bench_run(int reps) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      a[i][j] = (double)((i * 7 + j * 3) % 17) / 16.0;
      b[i][j] = (double)((i * 5 + j * 11) % 13) / 12.0;
    }
  double trace = 0;
  for (int r = 0; r < reps; ++r) {
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) c[i][j] = 0;
    for (int i = 0; i < N; ++i)
      for (int k = 0; k < N; ++k) {
        double aik = a[i][k];
        for (int j = 0; j < N; ++j) c[i][j] += aik * b[k][j];
      }
    a[r % N][(r * 7) % N] = c[(r * 3) % N][r % N] / N;  // a data dependency between repetitions
    for (int i = 0; i < N; ++i) trace += c[i][i];
  }
  return (unsigned long long)(trace * 1e6);
}

#define BENCH_NAME "matmul"
#include "bench_main.h"
