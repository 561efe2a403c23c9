#include "cli/context.h"

namespace ipvm::cli {

void register_ipld_commands(CLI::App& app, Context& ctx) {}

}  // namespace ipvm::cli
