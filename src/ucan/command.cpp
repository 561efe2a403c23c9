#include "ucan/command.h"

namespace ipvm::ucan {

Status validate_command(std::string_view cmd) {
  if (cmd.empty() || cmd[0] != '/')
    return failf("command", "command '{}' must start with '/' (for example /msg/send)", cmd);
  if (cmd == "/") return {};
  if (cmd.back() == '/') return failf("command", "command '{}' must not end with '/'", cmd);
  if (cmd.find("//") != std::string_view::npos)
    return failf("command", "command '{}' has an empty segment", cmd);
  for (char c : cmd)
    if (c >= 'A' && c <= 'Z') return failf("command", "command '{}' must be lower case", cmd);
  return {};
}

bool command_proves(std::string_view granted, std::string_view requested) {
  if (granted == "/") return true;
  if (requested.size() < granted.size() || requested.substr(0, granted.size()) != granted) return false;
  return requested.size() == granted.size() || requested[granted.size()] == '/';
}

}  // namespace ipvm::ucan
