// Word frequencies of stdin with an open-addressing hash table of strdup'ed keys that grows by
// rehashing; prints the 25 most frequent words (ties by word) and table statistics.
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char* word; unsigned count; } Entry;
static Entry* table;
static size_t cap = 64, used = 0, probes = 0, rehashes = 0;

static uint32_t hash(const char* s) {
  uint32_t h = 2166136261u;
  while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h;
}
static void insert(char* w, unsigned count) {
  size_t i = hash(w) & (cap - 1);
  while (table[i].word && strcmp(table[i].word, w) != 0) { i = (i + 1) & (cap - 1); probes++; }
  if (!table[i].word) { table[i].word = w; used++; }
  table[i].count += count;
}
static void add(const char* w) {
  if (2 * (used + 1) > cap) {
    Entry* old = table;
    size_t oldcap = cap;
    cap *= 2;
    table = calloc(cap, sizeof *table);
    used = 0;
    rehashes++;
    for (size_t i = 0; i < oldcap; ++i) if (old[i].word) insert(old[i].word, old[i].count);
    free(old);
  }
  size_t i = hash(w) & (cap - 1);
  while (table[i].word && strcmp(table[i].word, w) != 0) { i = (i + 1) & (cap - 1); probes++; }
  if (table[i].word) table[i].count++;
  else insert(strdup(w), 1);
}
static int by_count(const void* a, const void* b) {
  const Entry *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->word, y->word);
}

int main(void) {
  table = calloc(cap, sizeof *table);
  char w[64];
  size_t n = 0, total = 0;
  int c;
  do {
    c = getchar();
    if (c != EOF && (isalnum(c) || c == '_')) {
      if (n < sizeof w - 1) w[n++] = (char)tolower(c);
    } else if (n) {
      w[n] = 0;
      add(w);
      total++;
      n = 0;
    }
  } while (c != EOF);
  Entry* all = malloc(used * sizeof *all);
  size_t k = 0;
  for (size_t i = 0; i < cap; ++i) if (table[i].word) all[k++] = table[i];
  qsort(all, k, sizeof *all, by_count);
  printf("%zu words, %zu distinct, table %zu, %zu rehashes, %zu probes\n", total, used, cap, rehashes, probes);
  for (size_t i = 0; i < k && i < 25; ++i) printf("%6u %s\n", all[i].count, all[i].word);
  for (size_t i = 0; i < cap; ++i) free(table[i].word);
  free(table);
  free(all);
  return 0;
}
