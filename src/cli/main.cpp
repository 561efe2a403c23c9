#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sys/stat.h>

#include <fmt/format.h>

#include "cli/context.h"

namespace ipvm::cli {

Result<std::string> Context::home() {
  std::string dir = home_flag;
  if (dir.empty()) {
    if (const char* env = std::getenv("IPVM_HOME"); env && *env) dir = env;
  }
  if (dir.empty()) {
    const char* h = std::getenv("HOME");
    if (!h || !*h) return ipvm::fail("home", "cannot find the ipvm home: set --home or $IPVM_HOME");
    dir = std::string(h) + "/.ipvm";
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return failf("home", "{} is not a directory", dir);
  } else if (::mkdir(dir.c_str(), 0700) != 0) {
    return failf("home", "cannot create the ipvm home {}", dir);
  }
  return dir;
}

int Context::fail(const Error& e, int code) { return fail(e.to_string(), code); }

int Context::fail(const std::string& message, int code) {
  std::string line = message;
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  fmt::print(stderr, "ipvm: {}\n", line);
  exit_code = code;
  return code;
}

}  // namespace ipvm::cli

int main(int argc, char** argv) {
  using namespace ipvm::cli;
  CLI::App app{"ipvm: the InterPlanetary Virtual Machine (content-addressed, verifiable Wasm compute)"};
  app.require_subcommand(1);
  app.fallthrough();
  Context ctx;
  app.add_option("--home", ctx.home_flag, "ipvm home directory (default $IPVM_HOME, else ~/.ipvm)");
  register_ipld_commands(app, ctx);
  register_wasm_commands(app, ctx);
  register_ucan_commands(app, ctx);
  register_runtime_commands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    return ctx.fail(e.what());
  } catch (const std::exception& e) {
    return ctx.fail(std::string("internal error: ") + e.what());
  }
  std::fflush(stdout);
  return ctx.exit_code;
}
