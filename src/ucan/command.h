// UCAN commands: "/"-separated, lowercase paths such as "/msg/send"; "/" alone means every command.
//
// A delegated command proves another only at segment boundaries: "/crypto" proves "/crypto" and
// "/crypto/sign", never "/cryptocurrency"; "/" proves everything.
#pragma once

#include <string_view>

#include "base/error.h"

namespace ipvm::ucan {

// Syntax check (kind "command"): starts with "/", no trailing "/" (except "/" itself), no empty
// segment, no upper-case ASCII letters.
Status validate_command(std::string_view cmd);

// Whether authority over `granted` covers `requested`. Both are assumed valid commands.
bool command_proves(std::string_view granted, std::string_view requested);

}  // namespace ipvm::ucan
