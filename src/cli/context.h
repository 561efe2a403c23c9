// Shared state of one `ipvm` command line: the home directory and the exit code.
//
// Each area of the CLI registers its subcommands with a register_*_commands function (one file
// per area: cmd_ipld.cpp, cmd_wasm.cpp, cmd_ucan.cpp, cmd_runtime.cpp). A subcommand's callback
// sets ctx.exit_code; errors are printed as one line on stderr through ctx.fail().
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "base/error.h"

namespace ipvm::cli {

struct Context {
  std::string home_flag;  // --home DIR
  int exit_code = 0;

  // The ipvm home: --home DIR, else $IPVM_HOME, else ~/.ipvm. Created (0700) if missing.
  Result<std::string> home();

  // Prints "ipvm: <message>" to stderr and sets exit_code = code. Returns code.
  int fail(const Error& e, int code = 1);
  int fail(const std::string& message, int code = 1);
};

void register_ipld_commands(CLI::App& app, Context& ctx);
void register_wasm_commands(CLI::App& app, Context& ctx);
void register_ucan_commands(CLI::App& app, Context& ctx);
void register_runtime_commands(CLI::App& app, Context& ctx);

}  // namespace ipvm::cli
