// IPLD commands: cid, dag (convert/get/put), block (put/get/has/rm), car (import/export).
// docs/cli.md describes every form and its output.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <memory>
#include <unistd.h>

#include "base/file.h"
#include "cli/context.h"
#include "ipld/block.h"
#include "ipld/car.h"
#include "ipld/cid.h"
#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"
#include "ipld/multihash.h"
#include "ipld/path.h"
#include "store/blocks.h"
#include "store/store.h"

namespace ipvm::cli {

namespace {

using ipld::Cid;

const std::map<std::string, uint64_t>& codec_names() {
  static const std::map<std::string, uint64_t> names{{"raw", ipld::codec::kRaw},
                                                     {"dag-cbor", ipld::codec::kDagCbor},
                                                     {"dag-json", ipld::codec::kDagJson},
                                                     {"dag-pb", ipld::codec::kDagPb},
                                                     {"libp2p-key", ipld::codec::kLibp2pKey}};
  return names;
}

Result<uint64_t> hash_from_name(const std::string& name) {
  auto code = ipld::hash_code_from_name(name);
  if (!code) return failf("cli", "unknown hash function \"{}\" (try sha2-256, sha2-512, sha3-256, "
                                 "sha3-512, blake2b-256, identity)", name);
  return *code;
}

std::string input_name(const std::string& file) { return file == "-" ? "standard input" : file; }

// A CID promises that the bytes decode with its codec, so never mint one for bytes that do not.
Status check_codec(uint64_t codec, ByteView data, const std::string& file) {
  if (codec == ipld::codec::kDagCbor) {
    auto v = ipld::dag_cbor_decode(data);
    if (!v) return failf(v.error().kind, "{}: {}", input_name(file), v.error().message);
  } else if (codec == ipld::codec::kDagJson) {
    auto v = ipld::dag_json_decode(data);
    if (!v) return failf(v.error().kind, "{}: {}", input_name(file), v.error().message);
  }
  return {};
}

Result<ipld::Value> decode_as(const std::string& codec, ByteView data, const std::string& file) {
  auto v = codec == "dag-cbor" ? ipld::dag_cbor_decode(data) : ipld::dag_json_decode(data);
  if (!v) return failf(v.error().kind, "{}: {}", input_name(file), v.error().message);
  return v;
}

Bytes encode_as(const std::string& codec, const ipld::Value& v) {
  if (codec == "dag-cbor") return ipld::dag_cbor_encode(v);
  return to_bytes(ipld::dag_json_encode(v));
}

Status write_stdout(ByteView data) { return write_file("-", data); }
Status print_line(const std::string& s) {
  std::string line = s + "\n";
  return write_stdout(as_bytes(line));
}

Result<Cid> parse_cid(const std::string& text) {
  auto cid = Cid::parse(text);
  if (!cid) return failf("cli", "bad CID \"{}\": {}", text, cid.error().message);
  return cid;
}

Result<std::unique_ptr<store::Store>> open_store(Context& ctx) {
  IPVM_TRY(std::string home, ctx.home());
  return store::Store::open_home(home);
}

// Runs a command body; an error becomes ctx.fail (one line on stderr, exit 1).
void run(Context& ctx, const std::function<Status()>& body) {
  auto st = body();
  if (!st) ctx.fail(st.error());
}

// ---- cid ----

void add_cid(CLI::App& app, Context& ctx) {
  struct Opts {
    std::string codec = "raw", hash = "sha2-256", file = "-";
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("cid", "Print the CIDv1 of some bytes (a file, or - for stdin)");
  cmd->add_option("--codec", o->codec, "content codec: raw, dag-cbor or dag-json (default raw)")
      ->check(CLI::IsMember({"raw", "dag-cbor", "dag-json"}));
  cmd->add_option("--hash", o->hash, "multihash function (default sha2-256)");
  cmd->add_option("file", o->file, "input file, or - for stdin (default)");
  cmd->callback([o, &ctx] {
    run(ctx, [&]() -> Status {
      IPVM_TRY(uint64_t hash, hash_from_name(o->hash));
      IPVM_TRY(Bytes data, read_file(o->file));
      uint64_t codec = codec_names().at(o->codec);
      IPVM_TRY_STATUS(check_codec(codec, data, o->file));
      IPVM_TRY(Cid cid, Cid::of(codec, data, hash));
      return print_line(cid.to_string());
    });
  });
}

// ---- dag ----

void add_dag(CLI::App& app, Context& ctx) {
  auto* dag = app.add_subcommand("dag", "Work with IPLD DAGs (DAG-JSON and DAG-CBOR)");
  dag->require_subcommand(1);

  {
    struct Opts {
      std::string from, to, file = "-";
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = dag->add_subcommand("convert", "Decode strictly and re-encode in another codec (to stdout)");
    cmd->add_option("--from", o->from, "input codec: dag-json or dag-cbor")
        ->required()
        ->check(CLI::IsMember({"dag-json", "dag-cbor"}));
    cmd->add_option("--to", o->to, "output codec: dag-json or dag-cbor")
        ->required()
        ->check(CLI::IsMember({"dag-json", "dag-cbor"}));
    cmd->add_option("file", o->file, "input file, or - for stdin (default)");
    cmd->callback([o, &ctx] {
      run(ctx, [&]() -> Status {
        IPVM_TRY(Bytes data, read_file(o->file));
        IPVM_TRY(ipld::Value v, decode_as(o->from, data, o->file));
        return write_stdout(encode_as(o->to, v));
      });
    });
  }

  {
    auto path = std::make_shared<std::string>();
    auto* cmd = dag->add_subcommand("get", "Print a node (or the value at a path) as DAG-JSON");
    cmd->add_option("path", *path, "CID or CID/path/to/value (links are followed)")->required();
    cmd->callback([path, &ctx] {
      run(ctx, [&]() -> Status {
        IPVM_TRY(ipld::IpldPath p, ipld::parse_path(*path));
        IPVM_TRY(auto store, open_store(ctx));
        IPVM_TRY(ipld::Resolved r, ipld::resolve_path(p, store->loader()));
        return write_stdout(as_bytes(ipld::dag_json_encode(r.value)));
      });
    });
  }

  {
    struct Opts {
      std::string input_codec = "dag-json", store_codec = "dag-cbor", hash = "sha2-256", file;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = dag->add_subcommand("put", "Store a document as a DAG-CBOR block and print its CID");
    cmd->add_option("--input-codec", o->input_codec, "codec of the input: dag-json (default) or dag-cbor")
        ->check(CLI::IsMember({"dag-json", "dag-cbor"}));
    cmd->add_option("--store-codec", o->store_codec, "codec to store: dag-cbor (default) or dag-json")
        ->check(CLI::IsMember({"dag-json", "dag-cbor"}));
    cmd->add_option("--hash", o->hash, "multihash function (default sha2-256)");
    cmd->add_option("file", o->file, "input file, or - for stdin")->required();
    cmd->callback([o, &ctx] {
      run(ctx, [&]() -> Status {
        IPVM_TRY(uint64_t hash, hash_from_name(o->hash));
        IPVM_TRY(Bytes data, read_file(o->file));
        IPVM_TRY(ipld::Value v, decode_as(o->input_codec, data, o->file));
        Bytes block = encode_as(o->store_codec, v);
        IPVM_TRY(Cid cid, Cid::of(codec_names().at(o->store_codec), block, hash));
        IPVM_TRY(auto store, open_store(ctx));
        IPVM_TRY_STATUS(store->put(cid, block));
        return print_line(cid.to_string());
      });
    });
  }
}

// ---- block ----

void add_block(CLI::App& app, Context& ctx) {
  auto* block = app.add_subcommand("block", "Store and fetch raw blocks by CID");
  block->require_subcommand(1);

  {
    struct Opts {
      std::string codec = "raw", hash = "sha2-256", file;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = block->add_subcommand("put", "Store bytes as a block and print its CID");
    cmd->add_option("--codec", o->codec, "codec of the block: raw (default), dag-cbor, dag-json, dag-pb")
        ->check(CLI::IsMember({"raw", "dag-cbor", "dag-json", "dag-pb", "libp2p-key"}));
    cmd->add_option("--hash", o->hash, "multihash function (default sha2-256)");
    cmd->add_option("file", o->file, "input file, or - for stdin")->required();
    cmd->callback([o, &ctx] {
      run(ctx, [&]() -> Status {
        IPVM_TRY(uint64_t hash, hash_from_name(o->hash));
        IPVM_TRY(Bytes data, read_file(o->file));
        uint64_t codec = codec_names().at(o->codec);
        IPVM_TRY_STATUS(check_codec(codec, data, o->file));
        IPVM_TRY(Cid cid, Cid::of(codec, data, hash));
        IPVM_TRY(auto store, open_store(ctx));
        IPVM_TRY_STATUS(store->put(cid, data));
        return print_line(cid.to_string());
      });
    });
  }

  {
    auto cid_text = std::make_shared<std::string>();
    auto* cmd = block->add_subcommand("get", "Write a block's bytes to stdout");
    cmd->add_option("cid", *cid_text, "the block's CID")->required();
    cmd->callback([cid_text, &ctx] {
      run(ctx, [&]() -> Status {
        IPVM_TRY(Cid cid, parse_cid(*cid_text));
        IPVM_TRY(auto store, open_store(ctx));
        IPVM_TRY(Bytes data, store->get(cid));
        return write_stdout(data);
      });
    });
  }

  {
    auto cid_text = std::make_shared<std::string>();
    auto* cmd = block->add_subcommand("has", "Exit 0 if the block is in the store, 1 if not");
    cmd->add_option("cid", *cid_text, "the block's CID")->required();
    cmd->callback([cid_text, &ctx] {
      run(ctx, [&]() -> Status {
        IPVM_TRY(Cid cid, parse_cid(*cid_text));
        IPVM_TRY(auto store, open_store(ctx));
        IPVM_TRY(bool present, store->has(cid));
        if (!present) return failf("store.not_found", "block {} is not in the store", cid.to_string());
        return {};
      });
    });
  }

  {
    auto cid_text = std::make_shared<std::string>();
    auto* cmd = block->add_subcommand("rm", "Delete a block from the store");
    cmd->add_option("cid", *cid_text, "the block's CID")->required();
    cmd->callback([cid_text, &ctx] {
      run(ctx, [&]() -> Status {
        IPVM_TRY(Cid cid, parse_cid(*cid_text));
        IPVM_TRY(auto store, open_store(ctx));
        IPVM_TRY(bool removed, store->remove(cid));
        if (!removed) return failf("store.not_found", "block {} is not in the store", cid.to_string());
        return {};
      });
    });
  }
}

// ---- car ----

// Writes to a temporary file next to `path`, then fsyncs and renames it into place.
class AtomicFile {
 public:
  static Result<AtomicFile> create(const std::string& path) {
    std::string tmp = path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return failf("io", "cannot create {}: {}", path, std::strerror(errno));
    return AtomicFile(path, tmp, fd);
  }
  AtomicFile(AtomicFile&& o) noexcept : path_(o.path_), tmp_(o.tmp_), fd_(o.fd_) { o.fd_ = -1; }
  ~AtomicFile() {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(tmp_.c_str());
    }
  }
  Status write(ByteView data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::write(fd_, data.data() + off, data.size() - off);
      if (n < 0) {
        if (errno == EINTR) continue;
        return failf("io", "cannot write {}: {}", path_, std::strerror(errno));
      }
      off += static_cast<size_t>(n);
    }
    return {};
  }
  Status commit() {
    int fd = fd_;
    fd_ = -1;
    if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp_.c_str(), path_.c_str()) != 0) {
      int e = errno;
      ::unlink(tmp_.c_str());
      return failf("io", "cannot write {}: {}", path_, std::strerror(e));
    }
    return {};
  }

 private:
  AtomicFile(std::string path, std::string tmp, int fd) : path_(std::move(path)), tmp_(std::move(tmp)), fd_(fd) {}
  std::string path_, tmp_;
  int fd_;
};

void add_car(CLI::App& app, Context& ctx) {
  auto* car = app.add_subcommand("car", "Import and export CARv1 archives");
  car->require_subcommand(1);

  {
    auto file = std::make_shared<std::string>();
    auto* cmd = car->add_subcommand(
        "import", "Verify and store every block of a CARv1; print `root <cid>` lines, then `blocks <n>`");
    cmd->add_option("file", *file, "the CAR file, or - for stdin")->required();
    cmd->callback([file, &ctx] {
      run(ctx, [&]() -> Status {
        IPVM_TRY(auto source, ipld::FileSource::open(*file));
        IPVM_TRY(auto store, open_store(ctx));
        std::vector<Cid> roots;
        uint64_t count = 0;
        // One transaction: a CAR that turns out to be broken stores nothing.
        auto st = store->write([&](store::sqlite::Db& db) -> Status {
          IPVM_TRY(ipld::CarReader reader, ipld::CarReader::open(*source));
          roots = reader.header().roots;
          for (;;) {
            IPVM_TRY(auto block, reader.next());
            if (!block) break;
            IPVM_TRY_STATUS(store::blocks::put(db, block->cid, block->data));
            ++count;
          }
          return {};
        });
        if (!st) return failf(st.error().kind, "{}: {}", input_name(*file), st.error().message);
        std::string out;
        for (const Cid& r : roots) out += "root " + r.to_string() + "\n";
        out += fmt::format("blocks {}\n", count);
        return write_stdout(as_bytes(out));
      });
    });
  }

  {
    struct Opts {
      std::string cid, output;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = car->add_subcommand("export", "Write a CARv1 of a DAG (root first, depth-first order)");
    cmd->add_option("cid", o->cid, "the root CID")->required();
    cmd->add_option("-o,--output", o->output, "output file (- for stdout)")->required();
    cmd->callback([o, &ctx] {
      run(ctx, [&]() -> Status {
        IPVM_TRY(Cid root, parse_cid(o->cid));
        IPVM_TRY(auto store, open_store(ctx));
        if (o->output == "-") {
          return ipld::write_car_dag(root, store->loader(), [](ByteView d) { return write_stdout(d); })
              .map([](uint64_t) {});
        }
        IPVM_TRY(AtomicFile out, AtomicFile::create(o->output));
        IPVM_TRY(uint64_t n, ipld::write_car_dag(root, store->loader(),
                                                 [&](ByteView d) { return out.write(d); }));
        (void)n;
        return out.commit();
      });
    });
  }
}

}  // namespace

void register_ipld_commands(CLI::App& app, Context& ctx) {
  add_cid(app, ctx);
  add_dag(app, ctx);
  add_block(app, ctx);
  add_car(app, ctx);
}

}  // namespace ipvm::cli
