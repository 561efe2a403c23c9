// A reverse-Polish calculator over stdin read with scanf: numbers (integers, decimals, exponents)
// and operators separated by white space; each line's result is printed when '=' is read.
#include <math.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  double st[64];
  int sp = 0, results = 0, errors = 0;
  char tok[64];
  while (scanf("%63s", tok) == 1) {
    double v;
    char extra;
    if (sscanf(tok, "%lf%c", &v, &extra) == 1) {
      if (sp < 64) st[sp++] = v;
      else errors++;
      continue;
    }
    if (!strcmp(tok, "=")) {
      if (sp == 1) printf("%d: %.10g\n", ++results, st[0]);
      else { printf("%d: error (stack %d)\n", ++results, sp); errors++; }
      sp = 0;
      continue;
    }
    if (!strcmp(tok, "sqrt") || !strcmp(tok, "neg")) {
      if (sp < 1) { errors++; continue; }
      st[sp - 1] = tok[0] == 's' ? sqrt(st[sp - 1]) : -st[sp - 1];
      continue;
    }
    if (sp < 2 || strlen(tok) != 1 || !strchr("+-*/^%", tok[0])) { errors++; continue; }
    double b = st[--sp], a = st[sp - 1];
    switch (tok[0]) {
      case '+': a += b; break;
      case '-': a -= b; break;
      case '*': a *= b; break;
      case '/': a /= b; break;
      case '^': a = pow(a, b); break;
      case '%': a = fmod(a, b); break;
    }
    st[sp - 1] = a;
  }
  int n = 0;
  long long sum = 0;
  printf("results %d errors %d scanf-ints:", results, errors);
  while (scanf("%d", &n) == 1) sum += n;
  printf(" %lld\n", sum);
  return errors ? 3 : 0;
}
