// `ipvm wasm ...`: validate, run, resume and spectest.
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "base/bytes.h"
#include "base/file.h"
#include "cli/decimal.h"
#include "cli/context.h"
#include "wasm/decoder.h"
#include "wasm/engine.h"
#include "wasm/snapshot.h"
#include "wasm/spectest.h"
#include "wasm/validator.h"
#include "wasm/wat.h"
#include "wasm/wasi_process.h"

namespace ipvm::cli {
namespace {

using namespace ipvm::wasm;

constexpr int kExitSuspended = 75;  // EX_TEMPFAIL: the call is not finished; resume the snapshot

// ----- argument parsing and result printing for --invoke ---------------------------------------

Result<uint64_t> parse_int(const std::string& s, bool is64) {
  if (s.empty()) return fail("args", "empty integer argument");
  errno = 0;
  char* end = nullptr;
  bool neg = s[0] == '-';
  uint64_t v;
  if (neg) {
    long long x = std::strtoll(s.c_str(), &end, 10);
    if (is64 ? false : x < INT32_MIN) errno = ERANGE;
    v = static_cast<uint64_t>(x);
  } else {
    unsigned long long x = std::strtoull(s.c_str(), &end, 10);
    if (!is64 && x > UINT32_MAX) errno = ERANGE;
    v = x;
  }
  if (errno || !end || *end) return failf("args", "'{}' is not a {} integer", s, is64 ? "64-bit" : "32-bit");
  return is64 ? v : (v & 0xffffffffu);
}

Result<double> parse_float(const std::string& s) {
  std::string t;
  for (char c : s) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool neg = !t.empty() && t[0] == '-';
  std::string_view body = std::string_view(t).substr(neg || (!t.empty() && t[0] == '+') ? 1 : 0);
  if (body == "nan") return neg ? -std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::quiet_NaN();
  if (body == "inf" || body == "infinity")
    return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || !end || *end) return failf("args", "'{}' is not a number", s);
  return d;
}

Result<std::vector<Value>> parse_args(const FuncType& type, const std::vector<std::string>& args,
                                      const std::string& name) {
  if (args.size() != type.params.size())
    return failf("args", "{} takes {} argument(s), got {}", name, type.params.size(), args.size());
  std::vector<Value> out;
  for (size_t i = 0; i < args.size(); ++i) {
    switch (type.params[i]) {
      case ValType::kI32: {
        IPVM_TRY(uint64_t v, parse_int(args[i], false));
        out.push_back(Value::i32(static_cast<uint32_t>(v)));
        break;
      }
      case ValType::kI64: {
        IPVM_TRY(uint64_t v, parse_int(args[i], true));
        out.push_back(Value::i64(v));
        break;
      }
      case ValType::kF32: {
        IPVM_TRY(double d, parse_float(args[i]));
        out.push_back(Value::f32(static_cast<float>(d)));
        break;
      }
      case ValType::kF64: {
        IPVM_TRY(double d, parse_float(args[i]));
        out.push_back(Value::f64(d));
        break;
      }
      case ValType::kFuncRef:
      case ValType::kExternRef:
        if (args[i] != "null") return failf("args", "argument {} is a reference: only 'null' can be given", i + 1);
        out.push_back(Value::null(type.params[i]));
        break;
      default: return failf("args", "argument {} has type {}, which the command line cannot give", i + 1,
                            valtype_name(type.params[i]));
    }
  }
  return out;
}

template <class F>
std::string format_float(F f) {
  if (std::isnan(f)) return std::signbit(f) ? "-nan" : "nan";
  if (std::isinf(f)) return f < 0 ? "-inf" : "inf";
  return fmt::format("{}", f);
}

std::string format_result(const Value& v) {
  switch (v.type) {
    case ValType::kI32: return fmt::format("{}", v.as_i32());
    case ValType::kI64: return fmt::format("{}", v.as_i64());
    case ValType::kF32: return format_float(v.as_f32());
    case ValType::kF64: return format_float(v.as_f64());
    case ValType::kFuncRef: return v.is_null() ? "null" : fmt::format("funcref:{}", v.func_id());
    case ValType::kExternRef: return v.is_null() ? "null" : fmt::format("externref:{}", v.extern_value());
    default: return "v128";
  }
}

std::string trap_line(const Trap& t) {
  std::string s = "trap: " + t.message;
  if (!t.function.empty()) s += fmt::format(" in {} at 0x{:x}", t.function, t.offset);
  return s;
}

// ----- running and resuming a call ---------------------------------------------------------------

struct RunFlags {
  std::string seed_hex;                   // --seed: WASI random_get key (32 bytes, hex)
  std::optional<uint64_t> clock_ns;       // --clock: WASI virtual clock start
  std::optional<uint64_t> fuel;           // --fuel: total budget
  std::optional<uint64_t> suspend_after;  // --suspend-after
  std::string snapshot;                   // --snapshot
  bool stats = false;
};

Status check_suspend_flags(const RunFlags& f) {
  if (f.suspend_after.has_value() != !f.snapshot.empty())
    return fail("args", "--suspend-after and --snapshot go together");
  return {};
}

// Runs (or continues) `exec` within `budget` total fuel, suspending after flags.suspend_after.
// Prints results for --invoke calls; sets ctx.exit_code.
void drive(Context& ctx, WasiProcess& proc, Execution& exec, std::optional<uint64_t> budget,
           const RunFlags& flags, bool print_results) {
  // Budgets beyond kUnlimitedFuel are unlimited (Execution keeps fuel in an int64_t).
  uint64_t total = std::min(budget.value_or(kUnlimitedFuel), kUnlimitedFuel);
  uint64_t slice = total;
  bool suspend = false;
  if (flags.suspend_after && *flags.suspend_after < total) {
    slice = *flags.suspend_after;
    suspend = true;
  }
  exec.limits().suspend_on_fuel = suspend;
  exec.set_fuel(slice);
  uint64_t used_before = exec.fuel_used();
  auto t0 = std::chrono::steady_clock::now();
  Outcome out = exec.run();
  auto t1 = std::chrono::steady_clock::now();
  uint64_t used_now = exec.fuel_used() - used_before;
  std::fflush(stdout);
  if (flags.stats) {
    fmt::print(stderr, "fuel used: {}\ntime: {:.3f} ms\n", exec.fuel_used(),
               std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  switch (out.status) {
    case Outcome::Status::kReturned:
      if (print_results)
        for (const auto& v : out.results) fmt::print("{}\n", format_result(v));
      ctx.exit_code = 0;
      return;
    case Outcome::Status::kTrapped:
      if (out.trap.kind == TrapKind::kExit) {
        ctx.exit_code = out.trap.exit_code;
        return;
      }
      ctx.fail(trap_line(out.trap));
      return;
    case Outcome::Status::kSuspended: {
      std::optional<uint64_t> left;
      if (budget) left = *budget - std::min(*budget, used_now);
      auto car = save_snapshot(proc, exec, left);
      if (!car) {
        ctx.fail(car.error());
        return;
      }
      if (auto st = write_file(flags.snapshot, *car); !st) {
        ctx.fail(st.error());
        return;
      }
      ctx.exit_code = kExitSuspended;
      return;
    }
  }
}

// A module file: the binary format (decided by the "\0asm" magic, whatever the name), else the text
// format. A .wasm file that is not valid text either is left to the binary decoder, whose error
// ("magic header not detected", ...) is the useful one there; so is an empty file.
Result<Bytes> read_module(const std::string& path) {
  IPVM_TRY(Bytes bytes, read_file(path));
  bool named_binary = std::filesystem::path(path).extension() == ".wasm";
  if (is_wasm_binary(bytes) || (bytes.empty() && std::filesystem::path(path).extension() != ".wat")) return bytes;
  auto binary = wat_to_wasm(as_string_view(bytes));
  if (binary) return binary;
  if (named_binary) return bytes;
  return fail(binary.error().kind, path + ":" + binary.error().message);
}

void run_command(Context& ctx, const std::string& path, const std::string& invoke,
                 const std::vector<std::string>& args, const std::vector<std::string>& env,
                 const RunFlags& flags) {
  if (auto st = check_suspend_flags(flags); !st) return void(ctx.fail(st.error()));
  auto bytes = read_module(path);
  if (!bytes) return void(ctx.fail(bytes.error()));
  auto t0 = std::chrono::steady_clock::now();
  auto cm = CompiledModule::compile(*bytes);
  if (!cm) return void(ctx.fail(cm.error()));
  if (flags.stats)
    fmt::print(stderr, "compile: {:.3f} ms\n",
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());

  WasiState state;
  state.args.push_back(std::filesystem::path(path).filename().string());
  if (invoke.empty()) state.args.insert(state.args.end(), args.begin(), args.end());
  state.env = env;
  if (!flags.seed_hex.empty()) {
    Bytes seed;
    if (!from_hex(flags.seed_hex, seed) || seed.size() != 32)
      return void(ctx.fail("args: --seed must be 64 hex digits (32 bytes)"));
    state.random_seed = std::move(seed);
  }
  if (flags.clock_ns) state.clock_ns = *flags.clock_ns;
  state.stdin_passthrough = true;
  state.output_passthrough = true;
  CallLimits limits;
  if (flags.fuel) limits.fuel = *flags.fuel;
  auto proc = WasiProcess::create(*cm, std::move(state), limits);
  if (!proc) {
    const Error& e = proc.error();
    if (e.kind == "uninstantiable") return void(ctx.fail("trap: " + e.message));
    return void(ctx.fail(e));
  }
  WasiProcess& p = **proc;
  if (p.wasi->state().exited) return void(ctx.exit_code = p.wasi->state().exit_code);

  std::string name = invoke.empty() ? "_start" : invoke;
  Func* f = p.instance->func(name);
  if (!f) {
    if (invoke.empty()) return void(ctx.fail("run: the module exports no _start (a WASI command); use --invoke NAME"));
    return void(ctx.fail(fmt::format("run: the module exports no function '{}'", name)));
  }
  // A WASI reactor (wasi-libc -mexec-model=reactor) must be initialized before its exports run.
  if (!invoke.empty() && invoke != "_initialize") {
    Func* init = p.instance->func("_initialize");
    if (init && init->type->params.empty() && init->type->results.empty()) {
      Outcome o = p.store->call(init, {}, limits);
      if (o.trapped() && o.trap.kind == TrapKind::kExit) return void(ctx.exit_code = o.trap.exit_code);
      if (!o.ok()) return void(ctx.fail(o.trapped() ? trap_line(o.trap) : "run: _initialize did not finish"));
    }
  }
  std::vector<Value> values;
  if (!invoke.empty()) {
    auto v = parse_args(*f->type, args, name);
    if (!v) return void(ctx.fail(v.error()));
    values = std::move(*v);
  } else if (!f->type->params.empty() || !f->type->results.empty()) {
    return void(ctx.fail("run: _start must take no arguments and return nothing"));
  }
  auto exec = p.store->begin(f, values, limits);
  if (!exec) return void(ctx.fail(exec.error()));
  drive(ctx, p, **exec, flags.fuel, flags, !invoke.empty());
}

void resume_command(Context& ctx, const std::string& path, const RunFlags& flags) {
  if (auto st = check_suspend_flags(flags); !st) return void(ctx.fail(st.error()));
  auto car = read_file(path);
  if (!car) return void(ctx.fail(car.error()));
  auto restored = load_snapshot(*car);
  if (!restored) return void(ctx.fail(restored.error()));
  WasiState& ws = restored->process->wasi->state();
  ws.stdin_passthrough = true;
  ws.output_passthrough = true;
  std::optional<uint64_t> budget = flags.fuel ? flags.fuel : restored->fuel_budget;
  // Results are printed as `run --invoke` would; a WASI _start has none.
  drive(ctx, *restored->process, *restored->execution, budget, flags, /*print_results=*/true);
}

// ----- validate and spectest -----------------------------------------------------------------

void validate_command(Context& ctx, const std::string& path) {
  auto bytes = read_module(path);
  if (!bytes) return void(ctx.fail(bytes.error()));
  auto module = decode_module(*bytes);
  if (!module) return void(ctx.fail(module.error()));
  if (auto st = validate_module(*module); !st) return void(ctx.fail(st.error()));
  fmt::print("valid\n");
  ctx.exit_code = 0;
}

void spectest_command(Context& ctx, const std::vector<std::string>& files, bool verbose) {
  uint64_t passed = 0, failed = 0, skipped = 0;
  std::map<std::string, uint64_t> reasons;
  SpecOptions opts;
  opts.verbose = verbose;
  constexpr size_t kMaxDetails = 50;
  for (const auto& file : files) {
    auto r = run_spec_file(file, opts);
    if (!r) {
      fmt::print("{}: error: {}\n", file, r.error().message);
      ++failed;
      continue;
    }
    std::string line = fmt::format("{}: {} passed, {} failed", file, r->passed, r->failed);
    if (r->skipped) line += fmt::format(", {} skipped", r->skipped);
    fmt::print("{}\n", line);
    for (size_t i = 0; i < r->failures.size() && i < kMaxDetails; ++i)
      fmt::print("  {}:{}: {}\n", file, r->failures[i].line, r->failures[i].message);
    if (r->failures.size() > kMaxDetails) fmt::print("  ... and {} more\n", r->failures.size() - kMaxDetails);
    passed += r->passed;
    failed += r->failed;
    skipped += r->skipped;
    for (const auto& [k, v] : r->skip_reasons) reasons[k] += v;
    std::fflush(stdout);
  }
  std::string last = fmt::format("{} passed, {} failed", passed, failed);
  if (skipped) {
    std::string why;
    for (const auto& [k, v] : reasons) {
      if (!why.empty()) why += ", ";
      why += reasons.size() == 1 ? k : fmt::format("{}: {}", k, v);
    }
    last += fmt::format(", {} skipped ({})", skipped, why);
  }
  fmt::print("{}\n", last);
  ctx.exit_code = failed == 0 ? 0 : 1;
}

}  // namespace

void register_wasm_commands(CLI::App& app, Context& ctx) {
  auto* wasm = app.add_subcommand("wasm", "WebAssembly: validate, run, resume, spectest");
  wasm->require_subcommand(1);

  {
    auto* cmd = wasm->add_subcommand("validate", "Decode and validate a module (binary or text format): prints 'valid' or the first error");
    auto path = std::make_shared<std::string>();
    cmd->add_option("module", *path, "the module: binary (.wasm) or text format (.wat)")->required();
    cmd->callback([&ctx, path] { validate_command(ctx, *path); });
  }

  {
    auto* cmd = wasm->add_subcommand(
        "run", "Run a WASI command's _start (stdin/stdout/stderr and exit code passed through), or an export "
               "with --invoke NAME ARGS...");
    struct Opts {
      std::string module, invoke;
      std::vector<std::string> args, env;
      RunFlags flags;
      uint64_t fuel = 0, suspend_after = 0, clock_ns = 0;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("module", o->module, "the module: binary (.wasm) or text format (.wat)")->required();
    cmd->add_option("args", o->args, "arguments: of the export with --invoke, else the WASI program's (after --)");
    cmd->add_option("--invoke", o->invoke, "call this export with ARGS (parsed by its parameter types) and print its results");
    auto* fuel = cmd->add_option("--fuel", o->fuel, "fuel budget for the call (trap 'out of fuel' when exhausted)")
                     ->transform(decimal_u64());
    cmd->add_flag("--stats", o->flags.stats, "print fuel used and time to stderr");
    // One value per --env: a vector option would otherwise also swallow the arguments after it and
    // take the `--` that starts the WASI args as the end of its own list.
    cmd->add_option("--env", o->env, "KEY=VALUE for the WASI environment (repeatable)")->allow_extra_args(false);
    cmd->add_option("--seed", o->flags.seed_hex, "WASI random_get seed: 64 hex digits (default all zero)");
    auto* clock = cmd->add_option("--clock", o->clock_ns,
                                  "WASI virtual clock start, ns since the epoch (advances 1 ms per read)")
                      ->transform(decimal_u64());
    auto* sa = cmd->add_option("--suspend-after", o->suspend_after, "suspend the call after this much fuel (exit 75)")
                   ->transform(decimal_u64());
    cmd->add_option("--snapshot", o->flags.snapshot, "where to write the snapshot (a CAR file) when suspended");
    cmd->callback([&ctx, o, fuel, sa, clock] {
      if (fuel->count()) o->flags.fuel = o->fuel;
      if (sa->count()) o->flags.suspend_after = o->suspend_after;
      if (clock->count()) o->flags.clock_ns = o->clock_ns;
      run_command(ctx, o->module, o->invoke, o->args, o->env, o->flags);
    });
  }

  {
    auto* cmd = wasm->add_subcommand("resume", "Continue a call suspended into a snapshot (same exit codes as run)");
    struct Opts {
      std::string snapshot;
      RunFlags flags;
      uint64_t fuel = 0, suspend_after = 0;
    };
    auto o = std::make_shared<Opts>();
    cmd->add_option("car", o->snapshot, "the snapshot (.car) to continue")->required();
    auto* fuel = cmd->add_option("--fuel", o->fuel, "fuel budget for the rest of the call (default: the snapshot's)")
                     ->transform(decimal_u64());
    cmd->add_flag("--stats", o->flags.stats, "print fuel used and time to stderr");
    auto* sa = cmd->add_option("--suspend-after", o->suspend_after, "suspend again after this much fuel (exit 75)")
                   ->transform(decimal_u64());
    cmd->add_option("--snapshot", o->flags.snapshot, "where to write the next snapshot");
    cmd->callback([&ctx, o, fuel, sa] {
      if (fuel->count()) o->flags.fuel = o->fuel;
      if (sa->count()) o->flags.suspend_after = o->suspend_after;
      resume_command(ctx, o->snapshot, o->flags);
    });
  }

  {
    auto* cmd = wasm->add_subcommand("spectest", "Run spec test JSON files made by wast2json; exit 0 iff none fails");
    auto files = std::make_shared<std::vector<std::string>>();
    auto verbose = std::make_shared<bool>(false);
    cmd->add_option("files", *files, "FILE.json ...")->required();
    cmd->add_flag("--verbose", *verbose, "print spectest.print* calls");
    cmd->callback([&ctx, files, verbose] { spectest_command(ctx, *files, *verbose); });
  }
}

}  // namespace ipvm::cli
