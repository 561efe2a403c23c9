// C++ with libc++ (no exceptions): static constructors and destructors, virtual calls, templates,
// lambdas and std::function, and the containers and algorithms programs lean on.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

struct Noisy {
  const char* name;
  explicit Noisy(const char* n) : name(n) { std::printf("construct %s\n", name); }
  ~Noisy() { std::printf("destruct %s\n", name); }
};
static Noisy first("first global"), second("second global");

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
  virtual const char* kind() const = 0;
};
struct Rect : Shape {
  double w, h;
  Rect(double a, double b) : w(a), h(b) {}
  double area() const override { return w * h; }
  const char* kind() const override { return "rect"; }
};
struct Circle : Shape {
  double r;
  explicit Circle(double a) : r(a) {}
  double area() const override { return 3.141592653589793 * r * r; }
  const char* kind() const override { return "circle"; }
};

template <typename T>
T sum_of_squares(const std::vector<T>& v) {
  return std::accumulate(v.begin(), v.end(), T{}, [](T acc, T x) { return acc + x * x; });
}

int main() {
  static Noisy local("function static");
  std::vector<std::unique_ptr<Shape>> shapes;
  for (int i = 1; i <= 6; ++i) {
    if (i % 2) shapes.push_back(std::make_unique<Rect>(i, i + 0.5));
    else shapes.push_back(std::make_unique<Circle>(i * 0.75));
  }
  std::sort(shapes.begin(), shapes.end(), [](auto& a, auto& b) { return a->area() < b->area(); });
  for (auto& s : shapes) std::printf("%s %.6f\n", s->kind(), s->area());

  std::vector<long long> v(200000);
  std::iota(v.begin(), v.end(), -100000);
  std::printf("sum of squares %lld\n", sum_of_squares(v));
  std::vector<unsigned> r(100000);
  unsigned x = 12345;
  for (auto& e : r) e = (x = x * 1103515245u + 12345u) >> 8;
  std::stable_sort(r.begin(), r.end(), [](unsigned a, unsigned b) { return a % 1000 < b % 1000; });
  std::printf("stable_sort %u %u %u\n", r[0], r[50000], r[99999]);
  auto [lo, hi] = std::minmax_element(r.begin(), r.end());
  std::printf("minmax %u %u nth ", *lo, *hi);
  std::nth_element(r.begin(), r.begin() + 777, r.end());
  std::printf("%u\n", r[777]);

  std::map<std::string, int> ordered;
  std::unordered_map<std::string, int> hashed;
  std::set<int> primes;
  for (int i = 0; i < 5000; ++i) {
    std::string key = "k" + std::to_string(i % 301);
    ordered[key] += i;
    hashed[key] ^= i;
  }
  for (int n = 2; primes.size() < 100; ++n)
    if (std::none_of(primes.begin(), primes.end(), [n](int p) { return n % p == 0; })) primes.insert(n);
  std::printf("map %zu first %s=%d last %s=%d\n", ordered.size(), ordered.begin()->first.c_str(),
              ordered.begin()->second, ordered.rbegin()->first.c_str(), ordered.rbegin()->second);
  std::vector<std::pair<std::string, int>> items(hashed.begin(), hashed.end());
  std::sort(items.begin(), items.end());
  long long h = 0;
  for (auto& [k, val] : items) h = h * 31 + val + (long long)k.size();
  std::printf("unordered %zu hash %lld 100th prime %d\n", items.size(), h, *primes.rbegin());

  std::function<long long(int)> fib = [&](int n) -> long long { return n < 2 ? n : fib(n - 1) + fib(n - 2); };
  std::printf("fib(27) %lld\n", fib(27));
  std::string s = "The quick brown fox";
  std::reverse(s.begin(), s.end());
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return c ^ 0x20; });
  std::printf("%s find %zu\n", s.c_str(), s.find("KCIUQ"));
  return 0;
}
