#include "wasm/spectest.h"

// Boost.JSON, header-only: this is the one translation unit that compiles its sources.
#include <boost/json/src.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "base/file.h"
#include "wasm/wat.h"

namespace ipvm::wasm {
namespace json = boost::json;
namespace {

// ---------------------------------------------------------------------------------------------
// Values and expectations

// What an assert_return expects of one result.
struct Expected {
  enum class Kind { kExact, kNanCanonical, kNanArithmetic, kAnyNonNullRef };
  Kind kind = Kind::kExact;
  Value value;
};

std::optional<ValType> parse_type(std::string_view t) {
  if (t == "i32") return ValType::kI32;
  if (t == "i64") return ValType::kI64;
  if (t == "f32") return ValType::kF32;
  if (t == "f64") return ValType::kF64;
  if (t == "v128") return ValType::kV128;
  if (t == "funcref") return ValType::kFuncRef;
  if (t == "externref") return ValType::kExternRef;
  return std::nullopt;
}

std::string_view str(const json::value* v) {
  if (!v || !v->is_string()) return {};
  const auto& s = v->get_string();
  return std::string_view(s.data(), s.size());
}

bool parse_u64(std::string_view s, uint64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Thrown-free parse of one {"type": T, "value": V} object. `unsupported` is set for v128.
Result<Expected> parse_expected(const json::value& jv, bool& simd) {
  if (!jv.is_object()) return fail("spectest", "value is not an object");
  const auto& o = jv.get_object();
  auto t = parse_type(str(o.if_contains("type")));
  if (!t) return failf("spectest", "unknown value type '{}'", str(o.if_contains("type")));
  if (*t == ValType::kV128) {
    simd = true;
    return Expected{};
  }
  Expected e;
  e.value.type = *t;
  const json::value* v = o.if_contains("value");
  if (!v) {
    if (is_reftype(*t)) {
      e.kind = Expected::Kind::kAnyNonNullRef;  // (ref.func) / (ref.extern) without an index
      return e;
    }
    return fail("spectest", "value without \"value\"");
  }
  std::string_view s = str(v);
  if (s == "nan:canonical") {
    e.kind = Expected::Kind::kNanCanonical;
    return e;
  }
  if (s == "nan:arithmetic") {
    e.kind = Expected::Kind::kNanArithmetic;
    return e;
  }
  if (is_reftype(*t)) {
    if (s == "null") return e;  // bits 0
    uint64_t n = 0;
    if (!parse_u64(s, n)) return failf("spectest", "bad reference value '{}'", s);
    if (*t == ValType::kExternRef) e.value = Value::externref(n);
    else e.value.bits = n + 1;  // funcrefs are never given by index in the suite; keep it total
    return e;
  }
  uint64_t n = 0;
  if (!parse_u64(s, n)) return failf("spectest", "bad number '{}'", s);
  e.value.bits = n;
  return e;
}

std::string show(const Value& v) {
  switch (v.type) {
    case ValType::kI32: return fmt::format("i32:{}", v.as_i32());
    case ValType::kI64: return fmt::format("i64:{}", v.as_i64());
    case ValType::kF32: return fmt::format("f32:{} (0x{:08x})", v.as_f32(), v.as_u32());
    case ValType::kF64: return fmt::format("f64:{} (0x{:016x})", v.as_f64(), v.as_u64());
    case ValType::kFuncRef: return v.is_null() ? "funcref:null" : fmt::format("funcref:{}", v.func_id());
    case ValType::kExternRef:
      return v.is_null() ? "externref:null" : fmt::format("externref:{}", v.extern_value());
    case ValType::kV128: return "v128";
  }
  return "?";
}

std::string show(const Expected& e) {
  const char* t = valtype_name(e.value.type);
  switch (e.kind) {
    case Expected::Kind::kNanCanonical: return fmt::format("{}:nan:canonical", t);
    case Expected::Kind::kNanArithmetic: return fmt::format("{}:nan:arithmetic", t);
    case Expected::Kind::kAnyNonNullRef: return fmt::format("{}:non-null", t);
    case Expected::Kind::kExact: break;
  }
  return show(e.value);
}

std::string show_list(const std::vector<Value>& vs) {
  std::string out;
  for (const auto& v : vs) {
    if (!out.empty()) out += ' ';
    out += show(v);
  }
  return out.empty() ? "()" : out;
}

bool matches(const Expected& e, const Value& got) {
  if (got.type != e.value.type) return false;
  switch (e.kind) {
    case Expected::Kind::kExact: return got.bits == e.value.bits;
    case Expected::Kind::kAnyNonNullRef: return !got.is_null();
    case Expected::Kind::kNanCanonical:
      return got.type == ValType::kF32 ? (got.bits & 0x7fffffffu) == 0x7fc00000u
                                       : (got.bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
    case Expected::Kind::kNanArithmetic:
      return got.type == ValType::kF32 ? (got.bits & 0x7fc00000u) == 0x7fc00000u
                                       : (got.bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
  }
  return false;
}

// Either text a prefix of the other: the engine may add detail, the suite may too.
bool text_matches(std::string_view got, std::string_view expected) {
  return got.substr(0, expected.size()) == expected || expected.substr(0, got.size()) == got;
}

// ---------------------------------------------------------------------------------------------
// The runner for one file

class FileRunner {
 public:
  FileRunner(std::string path, const SpecOptions& opts)
      : dir_(std::filesystem::path(path).parent_path()), opts_(opts) {
    result_.file = std::move(path);
    define_spectest_module(store_, linker_, opts.verbose);
  }

  SpecFileResult run(const json::array& commands) {
    for (const auto& c : commands) {
      if (!c.is_object()) continue;
      command(c.get_object());
    }
    return std::move(result_);
  }

 private:
  void pass() { ++result_.passed; }
  void skip(const std::string& reason) {
    ++result_.skipped;
    ++result_.skip_reasons[reason];
  }
  void failure(std::string message) {
    ++result_.failed;
    result_.failures.push_back(SpecFailure{line_, std::move(message)});
  }

  CallLimits limits() const {
    CallLimits l = opts_.limits;
    l.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(opts_.call_timeout_ms);
    return l;
  }

  // Text modules (wast2json writes them as .wat, module_type "text") go through the text-format
  // compiler first; its syntax errors are kind "malformed", like a binary decoder's.
  Result<std::shared_ptr<const CompiledModule>> compile(const json::object& c) {
    std::string_view filename = str(c.if_contains("filename"));
    IPVM_TRY(Bytes bytes, read_file((dir_ / std::string(filename)).string()));
    if (is_text(c) && !is_wasm_binary(bytes)) {
      IPVM_TRY(Bytes binary, wat_to_wasm(as_string_view(bytes)));
      return CompiledModule::compile(binary);
    }
    return CompiledModule::compile(bytes);
  }

  static bool is_text(const json::object& c) {
    return str(c.if_contains("module_type")) == "text" ||
           std::string_view(str(c.if_contains("filename"))).ends_with(".wat");
  }

  void command(const json::object& c) {
    std::string_view type = str(c.if_contains("type"));
    line_ = 0;
    if (const auto* l = c.if_contains("line"); l && l->is_int64()) line_ = static_cast<uint64_t>(l->get_int64());
    if (type == "register") return do_register(c);
    if (type == "module") return do_module(c);
    if (type == "action") return do_action(c);
    if (type == "assert_return") return do_assert_return(c);
    if (type == "assert_trap" || type == "assert_exhaustion") {
      if (c.if_contains("filename")) return do_module_failure(c, "uninstantiable");
      return do_assert_trap(c, type == "assert_exhaustion");
    }
    if (type == "assert_invalid" || type == "assert_malformed") return do_assert_invalid(c, type);
    if (type == "assert_unlinkable") return do_module_failure(c, "unlinkable");
    if (type == "assert_uninstantiable") return do_module_failure(c, "uninstantiable");
    failure(fmt::format("unknown command type '{}'", type));
  }

  void do_module(const json::object& c) {
    current_ = nullptr;
    auto cm = compile(c);
    if (!cm) return failure(fmt::format("module {}: {}", str(c.if_contains("filename")), cm.error().to_string()));
    auto inst = linker_.instantiate(store_, *cm, limits());
    if (!inst) return failure(fmt::format("module {}: {}", str(c.if_contains("filename")), inst.error().to_string()));
    current_ = *inst;
    if (auto name = str(c.if_contains("name")); !name.empty()) named_[std::string(name)] = current_;
    pass();
  }

  void do_register(const json::object& c) {
    Instance* inst = current_;
    if (auto name = str(c.if_contains("name")); !name.empty()) {
      auto it = named_.find(std::string(name));
      inst = it == named_.end() ? nullptr : it->second;
    }
    if (!inst) return failure(fmt::format("register: no module '{}'", str(c.if_contains("name"))));
    linker_.define_instance(std::string(str(c.if_contains("as"))), *inst);
  }

  struct ActionResult {
    bool ok = false;          // the action could be performed (false: setup error in `error`)
    std::string error;
    std::string what;         // "f(i32:1 i32:2)" for messages
    Outcome outcome;          // for invoke; for get: results holds the global's value
  };

  ActionResult act(const json::value* jv, bool& simd) {
    ActionResult r;
    if (!jv || !jv->is_object()) {
      r.error = "command without an action";
      return r;
    }
    const auto& a = jv->get_object();
    std::string field(str(a.if_contains("field")));
    Instance* inst = current_;
    if (auto m = str(a.if_contains("module")); !m.empty()) {
      auto it = named_.find(std::string(m));
      inst = it == named_.end() ? nullptr : it->second;
    }
    std::vector<Value> args;
    if (const auto* ja = a.if_contains("args"); ja && ja->is_array()) {
      for (const auto& x : ja->get_array()) {
        auto e = parse_expected(x, simd);
        if (!e) {
          r.error = e.error().message;
          return r;
        }
        args.push_back(e->value);
      }
    }
    r.what = fmt::format("{}({})", field, args.empty() ? std::string() : show_list(args));
    if (simd) return r;
    if (!inst) {
      r.error = "no module to act on (an earlier module failed?)";
      return r;
    }
    std::string_view type = str(a.if_contains("type"));
    if (type == "get") {
      GlobalVar* g = inst->global(field);
      if (!g) {
        r.error = fmt::format("no global export '{}'", field);
        return r;
      }
      r.ok = true;
      r.outcome.results.push_back(g->get());
      return r;
    }
    if (type != "invoke") {
      r.error = fmt::format("unknown action type '{}'", type);
      return r;
    }
    Func* f = inst->func(field);
    if (!f) {
      r.error = fmt::format("no function export '{}'", field);
      return r;
    }
    r.ok = true;
    r.outcome = store_.call(f, args, limits());
    return r;
  }

  void do_action(const json::object& c) {
    bool simd = false;
    ActionResult r = act(c.if_contains("action"), simd);
    if (simd) return skip("simd");
    if (!r.ok) return failure(fmt::format("action {}: {}", r.what, r.error));
    if (r.outcome.trapped()) return failure(fmt::format("action {}: trap: {}", r.what, r.outcome.trap.to_string()));
    pass();
  }

  void do_assert_return(const json::object& c) {
    bool simd = false;
    std::vector<Expected> expected;
    if (const auto* je = c.if_contains("expected"); je && je->is_array()) {
      for (const auto& x : je->get_array()) {
        auto e = parse_expected(x, simd);
        if (!e) return failure(fmt::format("assert_return: {}", e.error().message));
        expected.push_back(*e);
      }
    }
    ActionResult r = act(c.if_contains("action"), simd);
    if (simd) return skip("simd");
    if (!r.ok) return failure(fmt::format("assert_return {}: {}", r.what, r.error));
    const Outcome& out = r.outcome;
    if (out.trapped()) return failure(fmt::format("assert_return {}: trap: {}", r.what, out.trap.to_string()));
    if (out.suspended()) return failure(fmt::format("assert_return {}: call suspended", r.what));
    bool ok = out.results.size() == expected.size();
    for (size_t i = 0; ok && i < expected.size(); ++i) ok = matches(expected[i], out.results[i]);
    if (ok) return pass();
    std::string want;
    for (const auto& e : expected) {
      if (!want.empty()) want += ' ';
      want += show(e);
    }
    failure(fmt::format("assert_return {}: expected {}, got {}", r.what, want.empty() ? "()" : want,
                        show_list(out.results)));
  }

  void do_assert_trap(const json::object& c, bool exhaustion) {
    const char* kind = exhaustion ? "assert_exhaustion" : "assert_trap";
    std::string_view text = str(c.if_contains("text"));
    bool simd = false;
    ActionResult r = act(c.if_contains("action"), simd);
    if (simd) return skip("simd");
    if (!r.ok) return failure(fmt::format("{} {}: {}", kind, r.what, r.error));
    const Outcome& out = r.outcome;
    if (!out.trapped())
      return failure(fmt::format("{} {}: expected trap '{}', got {}", kind, r.what, text, show_list(out.results)));
    if (exhaustion && out.trap.kind != TrapKind::kCallStackExhausted)
      return failure(fmt::format("{} {}: expected '{}', got trap '{}'", kind, r.what, text, out.trap.message));
    if (!text_matches(out.trap.message, text))
      return failure(fmt::format("{} {}: expected trap '{}', got '{}'", kind, r.what, text, out.trap.message));
    pass();
  }

  void do_assert_invalid(const json::object& c, std::string_view type) {
    std::string_view file = str(c.if_contains("filename"));
    auto cm = compile(c);
    if (cm) return failure(fmt::format("{} {}: module was accepted, expected '{}'", type, file, str(c.if_contains("text"))));
    // A module that cannot be read at all is a runner problem, not a rejection.
    if (cm.error().kind != "malformed" && cm.error().kind != "invalid")
      return failure(fmt::format("{} {}: {}", type, file, cm.error().to_string()));
    pass();
  }

  // assert_unlinkable / assert_uninstantiable / assert_trap on a module: the module compiles but
  // instantiation fails in the expected way.
  void do_module_failure(const json::object& c, std::string_view want_kind) {
    std::string_view file = str(c.if_contains("filename"));
    std::string_view text = str(c.if_contains("text"));
    std::string label = fmt::format("{} {}", str(c.if_contains("type")), file);
    auto cm = compile(c);
    if (!cm) return failure(fmt::format("{}: does not compile: {}", label, cm.error().to_string()));
    auto inst = linker_.instantiate(store_, *cm, limits());
    if (inst) return failure(fmt::format("{}: module instantiated, expected '{}'", label, text));
    if (inst.error().kind != want_kind || !text_matches(inst.error().message, text))
      return failure(fmt::format("{}: expected {} '{}', got {}", label, want_kind, text, inst.error().to_string()));
    pass();
  }

  std::filesystem::path dir_;
  SpecOptions opts_;
  SpecFileResult result_;
  Store store_;
  Linker linker_;
  Instance* current_ = nullptr;
  std::map<std::string, Instance*> named_;
  uint64_t line_ = 0;
};

}  // namespace

Result<SpecFileResult> run_spec_file(const std::string& json_path, const SpecOptions& options) {
  IPVM_TRY(Bytes bytes, read_file(json_path));
  json::error_code ec;
  json::value doc = json::parse(as_string_view(bytes), ec);
  if (ec) return failf("spectest", "{}: not JSON: {}", json_path, ec.message());
  const json::array* commands = nullptr;
  if (doc.is_object())
    if (const auto* cv = doc.get_object().if_contains("commands"); cv && cv->is_array()) commands = &cv->get_array();
  if (!commands) return failf("spectest", "{}: no \"commands\" array (not a wast2json file?)", json_path);
  FileRunner runner(json_path, options);
  return runner.run(*commands);
}

}  // namespace ipvm::wasm
