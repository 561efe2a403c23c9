// A CLI11 validator for unsigned numeric options. CLI11 reads unsigned options with strtoull in
// base 0, so "-1" would wrap to 2^64-1 and "010" would be octal: limits such as fuel, memory and
// time must be plain decimal. Leading zeros are dropped; values above 2^64-1 are refused.
#pragma once

#include <algorithm>
#include <string>

#include <CLI/CLI.hpp>

namespace ipvm::cli {

inline CLI::Validator decimal_u64() {
  return CLI::Validator(
      [](std::string& s) {
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
          return "must be a non-negative decimal integer, not '" + s + "'";
        s.erase(0, std::min(s.find_first_not_of('0'), s.size() - 1));
        if (s.size() > 20 || (s.size() == 20 && s > "18446744073709551615")) return "'" + s + "' is larger than 2^64-1";
        return std::string();
      },
      "UINT");
}

}  // namespace ipvm::cli
