// Runtime commands: call, invoke, run, receipt (show/verify). docs/cli.md and docs/formats.md
// describe the forms and outputs.
//
// Output convention for call/run: the task's output goes to stdout (DAG-JSON, one line per task),
// and one status line per task goes to stderr:
//   executed, fuel 5, 0.412 ms, receipt bafyrei...
//   replayed, fuel 5, 0.031 ms, receipt bafyrei...
// so `x=$(ipvm call add_one.wasm add_one 41)` captures just `42`. An error receipt prints one line
// `ipvm: <Name>: <message> [<status>]` on stderr instead and exits 1; it is stored all the same.
// The node key (HOME/node.key) is created on first use.
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <sys/stat.h>

#include "base/ellipsis.h"
#include "base/file.h"
#include "cli/decimal.h"
#include "cli/context.h"
#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"
#include "ipld/multibase.h"
#include "runtime/executor.h"
#include "runtime/receipt.h"
#include "runtime/task.h"
#include "store/store.h"
#include "ucan/did_key.h"
#include "ucan/invocation.h"
#include "ucan/keystore.h"
#include "ucan/revocation.h"

namespace ipvm::cli {

namespace {

using runtime::Executor;
using runtime::Receipt;
using runtime::TaskOutcome;

void run(Context& ctx, const std::function<Status()>& body) {
  auto st = body();
  if (!st) ctx.fail(st.error());
}

int64_t now_seconds() { return static_cast<int64_t>(std::time(nullptr)); }

Status print_out(const std::string& s) {
  std::string line = s + "\n";
  return write_file("-", as_bytes(line));
}

// The node: its home, store, key (created on first use) and executor.
struct Node {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const ucan::Ed25519Signer> signer;
  std::unique_ptr<ucan::RevocationFile> revoked;
  std::unique_ptr<Executor> exec;
};

Result<Node> open_node(Context& ctx) {
  IPVM_TRY(std::string home, ctx.home());
  Node n;
  IPVM_TRY(auto key, ucan::init_node_key(home));
  n.signer = std::make_shared<const ucan::Ed25519Signer>(std::move(key.signer));
  IPVM_TRY(n.store, store::Store::open_home(home));
  IPVM_TRY(n.revoked, ucan::RevocationFile::open(ucan::revocation_path(home)));
  runtime::ExecutorOptions opts;
  opts.revoked = n.revoked.get();
  IPVM_TRY(n.exec, Executor::create(*n.store, n.signer, std::move(opts)));
  return n;
}

// A token or receipt file: raw DAG-CBOR bytes, the same in base64 text, or its DAG-JSON form (as
// `ipvm receipt show` prints it).
Result<Bytes> read_token(const std::string& path) {
  IPVM_TRY(Bytes data, read_file(path));
  if (!data.empty() && (data[0] & 0xe0) == 0x80) return data;  // a CBOR array
  if (!data.empty() && (data[0] == '[' || data[0] == '{')) {
    // Any DAG-JSON document becomes its DAG-CBOR form, so what is wrong with it is reported by
    // the envelope decoder rather than as unreadable CBOR.
    if (auto v = ipld::dag_json_decode(data)) return ipld::dag_cbor_encode(*v);
  }
  std::string compact;
  for (uint8_t c : data)
    if (!std::isspace(c)) compact.push_back(static_cast<char>(c));
  if (auto b = ipld::base64_decode(compact)) return *b;
  if (auto b = ipld::base64_decode(compact, true)) return *b;
  return data;
}

std::string envelope_json(ByteView bytes) {
  auto v = ipld::dag_cbor_decode(bytes);
  return v ? ipld::dag_json_encode(*v) : std::string("null");
}

std::string status_line(const TaskOutcome& o) {
  double ms = static_cast<double>(o.elapsed.count()) / 1e6;
  return fmt::format("{}, fuel {}, {:.3f} ms, receipt {}", o.replayed ? "replayed" : "executed", o.receipt->fuel(), ms,
                     o.receipt->cid().to_string());
}

// Prints a task's result; returns false for an error receipt (already reported on stderr).
bool report(Context& ctx, const TaskOutcome& o, bool json, bool value_only) {
  const Receipt& r = *o.receipt;
  if (json) {
    (void)print_out(envelope_json(r.envelope.bytes));
  } else if (const ipld::Value* v = r.ok_value(); v && value_only) {
    (void)print_out(ipld::dag_json_encode(*v));
  } else if (!value_only) {
    (void)print_out(ipld::dag_json_encode(r.out));
  }
  if (r.ok()) {
    fmt::print(stderr, "{}\n", status_line(o));
    return true;
  }
  ctx.fail(fmt::format("{}: {} [{}]", r.error_name(), r.error_message(), status_line(o)));
  return false;
}

Result<ipld::List> parse_args(const std::vector<std::string>& args) {
  ipld::List out;
  for (size_t i = 0; i < args.size(); ++i) {
    auto v = ipld::dag_json_decode(args[i]);
    if (!v)
      return failf("cli", "argument {} ('{}') is not a DAG-JSON literal: {} (strings need quotes: '\"text\"')", i + 1,
                   ellipsize(args[i], 48), v.error().message);
    out.push_back(std::move(*v));
  }
  return out;
}

// Compares a fresh run with a receipt: output and fuel must be identical.
Status verify_by_rerun(Executor& exec, const ucan::Invocation& inv, const Receipt& r) {
  runtime::GuestResult g = exec.evaluate(inv);
  if (!(g.out == r.out))
    return failf("verify", "the re-run gave {} but receipt {} says {}", ipld::dag_json_encode(g.out),
                 r.cid().to_string(), ipld::dag_json_encode(r.out));
  if (g.fuel_used != r.fuel())
    return failf("verify", "the re-run used {} fuel but receipt {} says {}", g.fuel_used, r.cid().to_string(), r.fuel());
  fmt::print(stderr, "verified: a re-run gives the same output and fuel as receipt {}\n", r.cid().to_string());
  return {};
}

struct CallOpts {
  std::string module, fun, sig;
  std::vector<std::string> args;
  std::optional<uint64_t> fuel, memory, time_ms;
  bool no_cache = false, verify = false, json = false;
};

void add_call(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CallOpts>();
  auto* cmd = app.add_subcommand(
      "call", "Run FUNC of a Wasm module as a signed /wasm/run task (or answer it from a stored receipt); prints "
              "the output as DAG-JSON on stdout and a status line (executed|replayed, fuel, time, receipt CID) on stderr; "
              "an error receipt is one line 'ipvm: <Name>: <message> [<status>]' on stderr and exit code 1");
  cmd->add_option("MODULE", o->module, "The module file (.wasm); stored in the block store as a raw block")->required();
  cmd->add_option("FUNC", o->fun, "The exported function")->required();
  cmd->add_option("ARG", o->args, "Arguments as DAG-JSON literals: 41, 1.5, '\"text\"', '{\"/\": {\"bytes\": \"...\"}}'");
  cmd->add_option("--sig", o->sig, "WIT signature for the canonical ABI, e.g. 'func(a: string, b: string) -> string'");
  cmd->add_option("--fuel", o->fuel, fmt::format("Fuel limit (default {})", runtime::kDefaultFuel))
      ->transform(decimal_u64());
  cmd->add_option("--memory", o->memory, fmt::format("Memory limit in bytes (default {})", runtime::kDefaultMemory))
      ->transform(decimal_u64());
  cmd->add_option("--time", o->time_ms, fmt::format("Time limit in milliseconds (default {})", runtime::kDefaultTimeMs))
      ->transform(decimal_u64());
  cmd->add_flag("--no-cache", o->no_cache, "Run even if a stored receipt answers the task");
  cmd->add_flag("--verify", o->verify, "Run again and check the output and fuel match the receipt");
  cmd->add_flag("--json", o->json, "Print the whole receipt as DAG-JSON instead of the output");
  cmd->callback([o, &ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(Bytes wasm, read_file(o->module));
      IPVM_TRY(ipld::List params, parse_args(o->args));
      if (!o->sig.empty()) {
        auto f = runtime::parse_wit_func(o->sig);
        if (!f) return failf("cli", "--sig: {}", f.error().message);
      }
      IPVM_TRY(Node node, open_node(ctx));
      IPVM_TRY(ipld::Cid mod, node.exec->put_module(wasm));
      ucan::InvocationParams p;
      p.sub = node.exec->did();
      p.cmd = std::string(runtime::kWasmRunCmd);
      p.args = runtime::make_wasm_args(mod, o->fun, std::move(params), o->sig);
      ipld::Map meta;
      if (o->fuel) meta.emplace_back("fuel", ipld::Value::uinteger(*o->fuel));
      if (o->memory) meta.emplace_back("memory", ipld::Value::uinteger(*o->memory));
      if (o->time_ms) meta.emplace_back("time", ipld::Value::uinteger(*o->time_ms));
      if (!meta.empty()) p.meta = ipld::Value::map(std::move(meta));
      p.nonce = Bytes{};  // a pure task: memoized by {cmd, args}
      p.iat = now_seconds();
      IPVM_TRY(auto inv, node.exec->invoke(p));
      IPVM_TRY(TaskOutcome out, node.exec->run(inv, runtime::RunOptions{.use_cache = !o->no_cache}));
      report(ctx, out, o->json, true);
      if (o->verify) return verify_by_rerun(*node.exec, *inv, *out.receipt);
      return {};
    });
  });
}

struct InvokeOpts {
  std::string cmd, args, sub, aud, meta, out, nonce;
  std::vector<std::string> proofs;
  std::optional<int64_t> exp;
};

void add_invoke(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<InvokeOpts>();
  auto* cmd = app.add_subcommand("invoke", "Sign a UCAN invocation with the node key; write it to -o FILE, print its CID");
  cmd->add_option("--cmd", o->cmd, "Command, e.g. /wasm/run")->required();
  cmd->add_option("--args", o->args, "Arguments map as DAG-JSON, e.g. '{\"mod\": {\"/\": \"bafk...\"}, \"fun\": "
                                     "\"add_one\", \"params\": [41]}'")->required();
  cmd->add_option("--sub", o->sub, "Subject DID (default: this node's DID)");
  cmd->add_option("--aud", o->aud, "Executor DID, when it is not the subject");
  cmd->add_option("--proof", o->proofs, "A delegation file, root first (repeat); also stored in the node's store")
      ->allow_extra_args(false);  // one file per --proof: a file after it is not another proof
  cmd->add_option("--meta", o->meta, "Meta map as DAG-JSON, e.g. '{\"fuel\": 100000}'");
  cmd->add_option("--nonce", o->nonce, "'empty' (a pure, memoizable task; default for /wasm/run) or 'random' "
                                       "(default for other commands)");
  cmd->add_option("--exp", o->exp, "Expiry, Unix seconds (default: none)");
  cmd->add_option("-o,--output", o->out, "Where to write the envelope (DAG-CBOR; - for stdout)")->required();
  cmd->callback([o, &ctx] {
    run(ctx, [&]() -> Status {
      // A typo in a did:key would make an invocation no node accepts: refuse keys we cannot read.
      for (const std::string* did : {&o->sub, &o->aud})
        if (did->rfind("did:key:", 0) == 0)
          if (auto k = ucan::parse_did_key(*did); !k) return fail("cli", k.error().message);
      auto args = ipld::dag_json_decode(o->args);
      if (!args) return failf("cli", "--args is not DAG-JSON: {}", args.error().message);
      if (!args->is_map()) return fail("cli", "--args must be a DAG-JSON map, e.g. '{\"fun\": \"f\", ...}'");
      IPVM_TRY(Node node, open_node(ctx));
      ucan::InvocationParams p;
      p.sub = o->sub.empty() ? node.exec->did() : o->sub;
      if (!o->aud.empty()) p.aud = o->aud;
      p.cmd = o->cmd;
      p.args = *args;
      if (!o->meta.empty()) {
        auto meta = ipld::dag_json_decode(o->meta);
        if (!meta) return failf("cli", "--meta is not DAG-JSON: {}", meta.error().message);
        if (!meta->is_map()) return fail("cli", "--meta must be a DAG-JSON map, e.g. '{\"fuel\": 100000}'");
        p.meta = *meta;
      }
      std::string nonce = o->nonce.empty() ? (o->cmd == runtime::kWasmRunCmd ? "empty" : "random") : o->nonce;
      if (nonce == "empty") p.nonce = Bytes{};
      else if (nonce != "random") return fail("cli", "--nonce must be 'empty' or 'random'");
      for (const auto& f : o->proofs) {
        IPVM_TRY(Bytes bytes, read_token(f));
        auto cid = node.exec->put_proof(bytes);
        if (!cid) return failf("cli", "--proof {}: {}", f, cid.error().message);
        p.prf.push_back(*cid);
      }
      p.exp = o->exp;
      p.iat = now_seconds();
      IPVM_TRY(auto inv, node.exec->invoke(p));
      IPVM_TRY_STATUS(write_file(o->out, inv->envelope.bytes));
      if (o->out == "-") return {};
      return print_out(inv->cid().to_string());
    });
  });
}

// The invocations in a file: one envelope (DAG-CBOR, or base64 of it), or a DAG-CBOR or DAG-JSON
// list of envelopes (as bytes).
Result<std::vector<Bytes>> read_invocations(const std::string& path) {
  IPVM_TRY(Bytes data, read_token(path));
  auto v = ipld::dag_cbor_decode(data);
  if (!v) {
    auto json = ipld::dag_json_decode(data);
    if (!json) return failf("cli", "{} is neither an invocation nor a list of invocations: {}", path, v.error().message);
    v = std::move(json);
  }
  const bool single = v->is_list() && v->as_list().size() == 2 && v->as_list()[0].is_bytes() && v->as_list()[1].is_map();
  if (single) return std::vector<Bytes>{ipld::dag_cbor_encode(*v)};
  if (!v->is_list()) return failf("cli", "{} must hold an invocation or a list of invocations", path);
  std::vector<Bytes> out;
  for (const auto& item : v->as_list()) {
    if (item.is_bytes()) out.push_back(item.as_bytes());
    else if (item.is_list()) out.push_back(ipld::dag_cbor_encode(item));
    else return failf("cli", "{}: each list item must be an invocation envelope (bytes)", path);
  }
  return out;
}

struct RunOpts {
  std::string file;
  std::vector<std::string> proofs;
  bool no_cache = false, json = false;
};

void add_run(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<RunOpts>();
  auto* cmd = app.add_subcommand("run", "Run the invocations in FILE (one envelope, or a list); prints each receipt's "
                                        "out as DAG-JSON on stdout and a status line on stderr (exit code 1 if any is an error receipt)");
  cmd->add_option("FILE", o->file, "Invocation file (DAG-CBOR envelope, or a DAG-CBOR/DAG-JSON list of them)")->required();
  cmd->add_option("--proof", o->proofs, "Delegation files the invocations' prf name (repeat)")
      ->allow_extra_args(false);  // `ipvm run --proof D FILE`: FILE is the invocation, not a proof
  cmd->add_flag("--no-cache", o->no_cache, "Run even if a stored receipt answers the task");
  cmd->add_flag("--json", o->json, "Print whole receipts as DAG-JSON");
  cmd->callback([o, &ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(auto invocations, read_invocations(o->file));
      IPVM_TRY(Node node, open_node(ctx));
      for (const auto& f : o->proofs) {
        IPVM_TRY(Bytes bytes, read_token(f));
        auto cid = node.exec->put_proof(bytes);
        if (!cid) return failf("cli", "--proof {}: {}", f, cid.error().message);
      }
      bool all_ok = true;
      for (size_t i = 0; i < invocations.size(); ++i) {
        auto out = node.exec->submit(invocations[i], runtime::RunOptions{.use_cache = !o->no_cache});
        if (!out) return failf(out.error().kind, "invocation {} of {}: {}", i + 1, invocations.size(), out.error().message);
        if (!report(ctx, *out, o->json, false)) all_ok = false;
      }
      if (!all_ok) ctx.exit_code = 1;
      return {};
    });
  });
}

Result<std::shared_ptr<const Receipt>> find_receipt(Node& node, const std::string& text) {
  auto cid = ipld::Cid::parse(text);
  if (!cid) return fail("cli", cid.error().message);  // names the text: "invalid CID '...': ..."
  IPVM_TRY(auto r, node.exec->find_receipt(*cid));
  if (!r) return failf("receipt", "no receipt {} (nor one for an invocation with that CID) in this store", text);
  return r;
}

void add_receipt(CLI::App& app, Context& ctx) {
  auto* rc = app.add_subcommand("receipt", "Show and verify receipts");
  rc->require_subcommand(1);

  auto show_cid = std::make_shared<std::string>();
  auto* show = rc->add_subcommand("show", "Print a receipt (by its CID, or its invocation's CID) as DAG-JSON");
  show->add_option("CID", *show_cid, "Receipt CID or invocation CID")->required();
  show->callback([show_cid, &ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(Node node, open_node(ctx));
      IPVM_TRY(auto r, find_receipt(node, *show_cid));
      return print_out(envelope_json(r->envelope.bytes));
    });
  });

  auto target = std::make_shared<std::string>();
  auto* verify = rc->add_subcommand("verify", "Check a receipt's signature and links: prints `valid` (exit 0) or "
                                              "`invalid: <Kind>: <message>` (exit 1)");
  verify->add_option("RECEIPT", *target, "A receipt file (DAG-CBOR) or a receipt/invocation CID")->required();
  verify->callback([target, &ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(Node node, open_node(ctx));
      Result<Receipt> r = fail("receipt", "");
      struct stat st;
      if (::stat(target->c_str(), &st) == 0 || *target == "-") {
        IPVM_TRY(Bytes bytes, read_token(*target));
        r = runtime::decode_receipt(bytes);
      } else {
        if (auto cid = ipld::Cid::parse(*target); !cid)
          return failf("cli", "'{}' is neither a receipt file (no such file) nor a CID ({})", ellipsize(*target),
                       cid.error().message);
        IPVM_TRY(auto found, find_receipt(node, *target));
        r = *found;
      }
      auto invalid = [&](const Error& e) -> Status {
        IPVM_TRY_STATUS(print_out("invalid: " + e.kind + ": " + e.message));
        ctx.exit_code = 1;
        return {};
      };
      if (!r) return invalid(r.error());
      if (auto sig = runtime::verify_receipt_signature(*r); !sig) return invalid(sig.error());
      // Links: the invocation it answers and the module it ran, when this store has them.
      auto inv_bytes = node.store->find(r->ran);
      if (!inv_bytes) return tl::unexpected(inv_bytes.error());
      if (const std::optional<Bytes>& b = *inv_bytes; b.has_value()) {
        auto inv = ucan::decode_invocation(*b);
        if (!inv) return invalid(Error{"InvalidLink", fmt::format("ran {} is not an invocation: {}", r->ran.to_string(),
                                                                 inv.error().message)});
      } else {
        fmt::print(stderr, "note: the invocation {} is not in this store\n", r->ran.to_string());
      }
      if (const ipld::Value* mod = r->meta.find("mod"); mod && mod->is_link()) {
        IPVM_TRY(bool has, node.store->has(mod->as_link()));
        if (!has) fmt::print(stderr, "note: the module {} is not in this store\n", mod->as_link().to_string());
      }
      fmt::print(stderr, "receipt {} issued by {} answers {}\n", r->cid().to_string(), r->iss, r->ran.to_string());
      return print_out("valid");
    });
  });
}

}  // namespace

void register_runtime_commands(CLI::App& app, Context& ctx) {
  add_call(app, ctx);
  add_invoke(app, ctx);
  add_run(app, ctx);
  add_receipt(app, ctx);
}

}  // namespace ipvm::cli
