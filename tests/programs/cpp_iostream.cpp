// iostreams: reads stdin line by line with std::getline, counts words with a stringstream, and
// formats numbers with <iomanip> (fixed, scientific, precision, width, fill, hex, boolalpha).
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

int main() {
  std::ios::sync_with_stdio(false);
  std::map<std::string, int> words;
  std::string line;
  size_t lines = 0, longest = 0, chars = 0;
  while (std::getline(std::cin, line)) {
    ++lines;
    chars += line.size();
    longest = std::max(longest, line.size());
    std::istringstream in(line);
    std::string w;
    while (in >> w) ++words[w];
  }
  std::cout << "lines " << lines << " chars " << chars << " longest " << longest << " distinct " << words.size() << '\n';
  std::vector<std::pair<int, std::string>> top;
  for (auto& [w, n] : words) top.emplace_back(-n, w);
  std::sort(top.begin(), top.end());
  for (size_t i = 0; i < top.size() && i < 12; ++i)
    std::cout << std::setw(6) << -top[i].first << ' ' << std::left << std::setw(20) << top[i].second << std::right << "|\n";
  double vals[] = {0.0, 1.0 / 3, -2.5e-7, 6.02214076e23, 123456.789, 1e100};
  for (double v : vals) {
    std::cout << std::defaultfloat << v << " | " << std::fixed << std::setprecision(4) << v << " | "
              << std::scientific << std::setprecision(3) << v << " | " << std::setprecision(6) << std::defaultfloat
              << std::setprecision(12) << v << std::setprecision(6) << '\n';
  }
  std::cout << std::hex << std::showbase << 255 << ' ' << std::uppercase << 48879 << std::dec << std::noshowbase
            << std::nouppercase << ' ' << std::setfill('*') << std::setw(8) << 42 << std::setfill(' ') << ' '
            << std::boolalpha << true << ' ' << std::noboolalpha << false << '\n';
  std::ostringstream os;
  for (int i = 0; i < 1000; ++i) os << i * i << (i % 25 == 24 ? '\n' : ',');
  std::string out = os.str();
  std::cout << out.size() << ' ' << out.substr(out.size() - 30);
  int a = 0, b = 0;
  std::istringstream nums("17 -4 x 9");
  nums >> a >> b;
  std::cout << "parsed " << a << ' ' << b << " fail " << nums.fail() << ' ';
  nums.clear();
  std::string junk;
  nums >> junk >> a;
  std::cout << junk << ' ' << a << std::endl;
  std::cerr << "cerr line " << 3.5 << std::endl;
  return 0;
}
