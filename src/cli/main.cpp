#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>
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

namespace {

// CLI11 splits any value of a multi-value option written as "[a,b]" into "a" and "b", which would
// turn the DAG-JSON list argument '[1,2]' of `ipvm call` into two arguments (and split WASI args).
// So such values are marked before parsing and every option strips the mark from what it receives.
constexpr char kBracketMark = '\x1f';

std::vector<std::string> mark_bracketed(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = argc - 1; i >= 1; --i) {  // CLI11 takes the arguments in reverse order
    std::string a = argv[i];
    if (a.size() >= 2 && a.front() == '[' && a.back() == ']') a.insert(a.begin(), kBracketMark);
    args.push_back(std::move(a));
  }
  return args;
}

void unmark_values(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    if (opt->get_expected_max() == 0) continue;  // a flag
    opt->transform([](const std::string& v) { return v.starts_with(kBracketMark) ? v.substr(1) : v; });
  }
  for (CLI::App* sub : app.get_subcommands({})) unmark_values(*sub);
}

// "A subcommand is required" names neither the command nor the choices: say both.
std::string missing_subcommand(CLI::App& app) {
  CLI::App* cur = &app;
  std::string path = "ipvm";
  for (std::vector<CLI::App*> parsed = cur->get_subcommands(); !parsed.empty(); parsed = cur->get_subcommands()) {
    cur = parsed.front();
    path += " " + cur->get_name();
  }
  std::string names;
  for (CLI::App* sub : cur->get_subcommands({})) names += (names.empty() ? "" : ", ") + sub->get_name();
  return fmt::format("'{}' needs a command: one of {} (see {} --help)", path, names, path);
}

}  // namespace

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
  unmark_values(app);
  try {
    app.name(argc > 0 ? argv[0] : "ipvm");
    std::vector<std::string> args = mark_bracketed(argc, argv);
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    if (dynamic_cast<const CLI::RequiredError*>(&e) && std::string_view(e.what()) == "A subcommand is required")
      return ctx.fail(missing_subcommand(app));
    return ctx.fail(e.what());
  } catch (const std::exception& e) {
    return ctx.fail(std::string("internal error: ") + e.what());
  }
  std::fflush(stdout);
  return ctx.exit_code;
}
