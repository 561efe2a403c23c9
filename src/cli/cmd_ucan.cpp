// UCAN commands: key init/show, delegate, ucan inspect/verify/revoke. docs/ucan.md describes them.
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/file.h"
#include "cli/context.h"
#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"
#include "ipld/multibase.h"
#include "store/store.h"
#include "ucan/delegation.h"
#include "ucan/did_key.h"
#include "ucan/envelope.h"
#include "ucan/invocation.h"
#include "ucan/keystore.h"
#include "ucan/revocation.h"
#include "ucan/validator.h"

namespace ipvm::cli {
namespace {

constexpr int64_t kDefaultTtl = 30 * 24 * 3600;  // 30 days

void run(Context& ctx, const std::function<Status()>& body) {
  auto st = body();
  if (!st) ctx.fail(st.error());
}

Status print_line(const std::string& s) {
  std::string line = s + "\n";
  return write_file("-", as_bytes(line));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A token file holds the envelope's DAG-CBOR bytes; base64 text (standard or URL alphabet, padded
// or not) and DAG-JSON bytes ({"/": {"bytes": "..."}}) are accepted too.
Result<Bytes> read_token(const std::string& path) {
  IPVM_TRY(Bytes data, read_file(path));
  if (!data.empty() && data[0] == 0x82) return data;  // a CBOR two-element list: raw envelope
  std::string_view text = trim(as_string_view(data));
  if (text.empty()) return failf("cli", "{} is empty", path);
  if (text.front() == '{') {
    auto v = ipld::dag_json_decode(text);
    if (v && v->is_bytes()) return v->as_bytes();
  }
  std::string compact;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) compact += c;
  if (auto b = ipld::base64_decode(compact)) return *b;
  if (auto b = ipld::base64_decode(compact, true)) return *b;
  return data;  // let the decoder say what is wrong with it
}

int64_t now_seconds() { return static_cast<int64_t>(std::time(nullptr)); }

void add_key(CLI::App& app, Context& ctx) {
  auto* key = app.add_subcommand("key", "Manage this node's Ed25519 identity key");
  key->require_subcommand(1);
  auto* init = key->add_subcommand("init", "Create the node key (HOME/node.key, mode 0600) and print its DID; "
                                           "an existing key is kept and its DID printed");
  init->callback([&ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(std::string home, ctx.home());
      IPVM_TRY(auto k, ucan::init_node_key(home));
      if (!k.created) fmt::print(stderr, "ipvm: a key already exists in {}; keeping it\n", home);
      return print_line(k.signer.did());
    });
  });
  auto* show = key->add_subcommand("show", "Print the node's DID (did:key:z6Mk...)");
  show->callback([&ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(std::string home, ctx.home());
      IPVM_TRY(auto s, ucan::load_node_key(home));
      return print_line(s.did());
    });
  });
}

struct DelegateOpts {
  std::string to, cmd, sub, pol, meta, out;
  bool powerline = false, no_exp = false;
  std::optional<int64_t> exp, ttl, nbf;
};

void add_delegate(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DelegateOpts>();
  auto* cmd = app.add_subcommand("delegate", "Sign a UCAN delegation with the node key; write it to -o FILE, print its CID");
  cmd->add_option("--to", o->to, "Audience DID (who receives the authority)")->required();
  cmd->add_option("--cmd", o->cmd, "Command delegated, e.g. /wasm/run (\"/\" is everything)")->required();
  auto* sub = cmd->add_option("--sub", o->sub, "Subject DID (default: this node's DID)");
  auto* power = cmd->add_flag("--powerline", o->powerline, "Subject null: a powerline for whatever subject precedes it");
  sub->excludes(power);
  cmd->add_option("--pol", o->pol, "Policy as DAG-JSON, e.g. '[[\"==\", \".fuel\", 100]]' (default [])");
  auto* exp = cmd->add_option("--exp", o->exp, "Expiry, Unix seconds");
  auto* ttl = cmd->add_option("--ttl", o->ttl, "Expiry as seconds from now (default 2592000 = 30 days)");
  auto* noexp = cmd->add_flag("--no-exp", o->no_exp, "Never expires (exp: null)");
  exp->excludes(ttl);
  noexp->excludes(exp);
  noexp->excludes(ttl);
  cmd->add_option("--nbf", o->nbf, "Not valid before, Unix seconds");
  cmd->add_option("--meta", o->meta, "Metadata map as DAG-JSON");
  cmd->add_option("-o,--output", o->out, "Where to write the envelope bytes (DAG-CBOR; - for stdout)")->required();
  cmd->callback([o, &ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(std::string home, ctx.home());
      IPVM_TRY(auto signer, ucan::load_node_key(home));
      // A typo in a did:key would make a token nobody can use: refuse keys we cannot read.
      for (const std::string* did : {&o->to, &o->sub})
        if (did->rfind("did:key:", 0) == 0)
          if (auto k = ucan::parse_did_key(*did); !k) return fail("cli", k.error().message);
      ucan::DelegationParams p;
      p.aud = o->to;
      p.cmd = o->cmd;
      if (!o->powerline) p.sub = o->sub.empty() ? signer.did() : o->sub;
      if (!o->pol.empty()) {
        auto pol = ipld::dag_json_decode(o->pol);
        if (!pol) return failf("policy", "--pol is not valid DAG-JSON: {}", pol.error().message);
        p.pol = *pol;
      }
      if (!o->meta.empty()) {
        auto meta = ipld::dag_json_decode(o->meta);
        if (!meta || !meta->is_map()) return fail("cli", "--meta must be a DAG-JSON map");
        p.meta = *meta;
      }
      if (o->exp) p.exp = *o->exp;
      else if (!o->no_exp) p.exp = now_seconds() + (o->ttl ? *o->ttl : kDefaultTtl);
      p.nbf = o->nbf;
      if (p.exp && p.nbf && *p.exp < *p.nbf) return fail("cli", "--exp is before --nbf: the delegation would never be valid");
      IPVM_TRY(auto env, ucan::sign_delegation(signer, p));
      // Kept in the node's store too: when the audience invokes with it as a proof, `ipvm run`
      // finds it here without being given the file again.
      IPVM_TRY(auto store, store::Store::open_home(home));
      IPVM_TRY(bool added, store->put(env.cid, env.bytes));
      (void)added;
      IPVM_TRY_STATUS(write_file(o->out, env.bytes));
      if (o->out == "-") return {};
      return print_line(env.cid.to_string());
    });
  });
}

void add_inspect(CLI::App& ucan_cmd, Context& ctx) {
  auto file = std::make_shared<std::string>();
  auto* cmd = ucan_cmd.add_subcommand("inspect", "Print a token as DAG-JSON, with its decoded varsig header");
  cmd->add_option("FILE", *file, "Token file (DAG-CBOR bytes or base64)")->required();
  cmd->callback([file, &ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(Bytes bytes, read_token(*file));
      auto env = ucan::decode_envelope(bytes);
      if (!env) return failf("ucan", "{}: {}", *file, env.error().message);
      ipld::Map header{{"bytes", ipld::Value::bytes(env->header)}};
      ipld::Value described = ucan::describe_varsig(env->varsig);
      for (const auto& kv : described.as_map()) header.push_back(kv);
      std::string type = env->spec == "dlg" ? "delegation" : env->spec == "inv" ? "invocation" : env->spec;
      auto verified = ucan::verify_envelope(*env);
      ipld::Map out{{"cid", ipld::Value::link(env->cid)},
                    {"type", ipld::Value::string(type)},
                    {"tag", ipld::Value::string(env->tag)},
                    {"header", ipld::Value::map(header)},
                    {"signature", ipld::Value::bytes(env->signature)},
                    {"signature_valid", ipld::Value::boolean(bool(verified))},
                    {"payload", env->payload}};
      if (env->spec == "inv")
        if (auto inv = ucan::invocation_from_envelope(*env)) out.emplace_back("task", ipld::Value::link(ucan::task_id(*inv)));
      return print_line(ipld::dag_json_encode(ipld::Value::map(std::move(out))));
    });
  });
}

struct VerifyOpts {
  std::string invocation;
  std::vector<std::string> proofs;
  std::optional<int64_t> at;
};

void add_verify(CLI::App& ucan_cmd, Context& ctx) {
  auto o = std::make_shared<VerifyOpts>();
  auto* cmd = ucan_cmd.add_subcommand("verify", "Validate an invocation and its proof chain: prints `valid` (exit 0) "
                                                "or `invalid: <ErrorKind>: <message>` (exit 1)");
  cmd->add_option("INVOCATION", o->invocation, "Invocation token file")->required();
  cmd->add_option("--proof", o->proofs, "A delegation token file (repeat for each proof, root first)")
      ->allow_extra_args(false);
  cmd->add_option("--at", o->at, "Validate at this Unix time (default: now)");
  cmd->callback([o, &ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(Bytes inv, read_token(o->invocation));
      ucan::ProofStore store;
      for (const auto& f : o->proofs) {
        IPVM_TRY(Bytes p, read_token(f));
        store.add(std::move(p));
      }
      std::unique_ptr<ucan::RevocationFile> revoked;
      if (auto home = ctx.home()) {
        IPVM_TRY(revoked, ucan::RevocationFile::open(ucan::revocation_path(*home)));
      }
      ucan::ValidationOptions opts;
      opts.now = o->at ? *o->at : now_seconds();
      opts.revoked = revoked.get();
      auto r = ucan::validate_invocation(inv, store.lookup(), opts);
      if (r) return print_line("valid");
      std::string msg = r.error().message;
      for (char& c : msg)
        if (c == '\n') c = ' ';
      IPVM_TRY_STATUS(print_line("invalid: " + r.error().kind + ": " + msg));
      ctx.exit_code = 1;
      return {};
    });
  });
}

void add_revoke(CLI::App& ucan_cmd, Context& ctx) {
  auto cid_text = std::make_shared<std::string>();
  auto* cmd = ucan_cmd.add_subcommand("revoke", "Add a delegation's CID to this node's revocation list");
  cmd->add_option("CID", *cid_text, "CID of the delegation to revoke")->required();
  cmd->callback([cid_text, &ctx] {
    run(ctx, [&]() -> Status {
      auto cid = ipld::Cid::parse(*cid_text);
      if (!cid) return failf("cli", "bad CID \"{}\": {}", *cid_text, cid.error().message);
      IPVM_TRY(std::string home, ctx.home());
      IPVM_TRY(auto list, ucan::RevocationFile::open(ucan::revocation_path(home)));
      bool already = list->is_revoked(*cid);
      IPVM_TRY_STATUS(list->revoke(*cid));
      return print_line(fmt::format("{} {}", already ? "already revoked" : "revoked", cid->to_string()));
    });
  });
}

}  // namespace

void register_ucan_commands(CLI::App& app, Context& ctx) {
  add_key(app, ctx);
  add_delegate(app, ctx);
  auto* ucan_cmd = app.add_subcommand("ucan", "Inspect, verify and revoke UCAN tokens");
  ucan_cmd->require_subcommand(1);
  add_inspect(*ucan_cmd, ctx);
  add_verify(*ucan_cmd, ctx);
  add_revoke(*ucan_cmd, ctx);
}

}  // namespace ipvm::cli
