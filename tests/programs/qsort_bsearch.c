// qsort and bsearch over 100000 records with a total order, plus a merge sort cross-check.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int32_t key; uint32_t id; } Rec;
static int cmp(const void* a, const void* b) {
  const Rec *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}
static int cmp_key(const void* k, const void* e) {
  int32_t key = *(const int32_t*)k, ek = ((const Rec*)e)->key;
  return (key > ek) - (key < ek);
}
static void msort(Rec* a, Rec* tmp, size_t n) {
  if (n < 2) return;
  size_t m = n / 2;
  msort(a, tmp, m);
  msort(a + m, tmp, n - m);
  size_t i = 0, j = m, k = 0;
  while (i < m && j < n) tmp[k++] = cmp(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
  while (i < m) tmp[k++] = a[i++];
  while (j < n) tmp[k++] = a[j++];
  memcpy(a, tmp, n * sizeof *a);
}

int main(int argc, char** argv) {
  size_t n = argc > 1 ? strtoul(argv[1], 0, 10) : 100000;
  Rec* a = malloc(n * sizeof *a);
  Rec* b = malloc(n * sizeof *b);
  Rec* t = malloc(n * sizeof *t);
  uint64_t x = 88172645463325252ull;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    a[i].key = (int32_t)(x % 200003) - 100000;
    a[i].id = (uint32_t)i;
  }
  memcpy(b, a, n * sizeof *a);
  qsort(a, n, sizeof *a, cmp);
  msort(b, t, n);
  printf("sorted %zu same %d\n", n, memcmp(a, b, n * sizeof *a) == 0);
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ (uint32_t)a[i].key ^ ((uint64_t)a[i].id << 32)) * 1099511628211ull;
  printf("min %d max %d median %d hash %016llx\n", a[0].key, a[n - 1].key, a[n / 2].key, (unsigned long long)h);
  int found = 0, missing = 0;
  for (int32_t k = -100000; k <= 100002; k += 37) {
    Rec* r = bsearch(&k, a, n, sizeof *a, cmp_key);
    if (r) { found++; if (r->key != k) { puts("bsearch wrong"); return 1; } } else missing++;
  }
  printf("found %d missing %d\n", found, missing);
  free(a); free(b); free(t);
  return 0;
}
