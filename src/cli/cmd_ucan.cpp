#include "cli/context.h"

namespace ipvm::cli {

void register_ucan_commands(CLI::App& app, Context& ctx) {}

}  // namespace ipvm::cli
