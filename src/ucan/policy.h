// The UCAN policy language (delegation spec "Policy"): predicates a delegation places on the
// `args` of any invocation it proves. A policy is a list of statements, implicitly and-ed:
//
//   ["==", sel, ipld]  ["!=", sel, ipld]        deep equality; 1 == 1.0 (numbers compare by value)
//   ["<" | "<=" | ">" | ">=", sel, number]       numeric; a non-number never matches
//   ["like", sel, "glob"]                        `*` = any run of characters, `\*` a literal star
//   ["not", stmt]  ["and", [stmt...]]  ["or", [stmt...]]     (empty and/or are both true)
//   ["all", sel, stmt]  ["any", sel, stmt]       over a list's items or a map's values
//
// A statement whose selector does not resolve is false (never an error), `!=` included. A missing
// map key is not unresolvable: it reads as null (spec), so ["!=", ".from", "eve"] holds when
// "from" is absent; require presence with ["!=", ".from", null]. Quantifying over a
// non-collection is false.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "ipld/value.h"
#include "ucan/selector.h"

namespace ipvm::ucan {

struct Statement {
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kLike, kNot, kAnd, kOr, kAll, kAny };
  Op op = Op::kEq;
  Selector selector;
  ipld::Value value;                 // comparison operand
  std::vector<std::string> pattern;  // like: literal pieces, split where a wildcard stands
  std::vector<Statement> children;   // not (1), and/or (n), all/any (1)
  ipld::Value source;                // the statement as written, for messages
};

struct Policy {
  std::vector<Statement> statements;
  ipld::Value source;
};

// Parses the IPLD form (a list of statements); kind "policy", the message names the statement.
Result<Policy> parse_policy(const ipld::Value& v);
Result<Statement> parse_statement(const ipld::Value& v);

bool evaluate(const Statement& s, const ipld::Value& args);
bool matches(const Policy& p, const ipld::Value& args);

// The first top-level statement the arguments violate (nullptr if none).
const Statement* first_violation(const Policy& p, const ipld::Value& args);

// Glob match as used by `like`; exposed for tests.
bool glob_match(const std::vector<std::string>& pieces, std::string_view text);
Result<std::vector<std::string>> parse_glob(std::string_view pattern);

// Deep equality where integers and floats compare by numeric value.
bool policy_equal(const ipld::Value& a, const ipld::Value& b);

}  // namespace ipvm::ucan
