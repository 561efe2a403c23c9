#include "ucan/command.h"

#include <gtest/gtest.h>

namespace ipvm::ucan {
namespace {

TEST(Command, ProvesOnlyAtSegmentBoundaries) {
  EXPECT_TRUE(command_proves("/crypto", "/crypto"));
  EXPECT_TRUE(command_proves("/crypto", "/crypto/sign"));
  EXPECT_TRUE(command_proves("/crypto", "/crypto/sign/ed25519"));
  EXPECT_FALSE(command_proves("/crypto", "/cryptocurrency"));
  EXPECT_FALSE(command_proves("/crypto/sign", "/crypto"));
  EXPECT_FALSE(command_proves("/crypto/sign", "/crypto/signature"));
  EXPECT_FALSE(command_proves("/msg", "/ms"));
  EXPECT_TRUE(command_proves("/", "/"));
  EXPECT_TRUE(command_proves("/", "/anything/at/all"));
  EXPECT_FALSE(command_proves("/a", "/"));
}

TEST(Command, Syntax) {
  EXPECT_TRUE(validate_command("/"));
  EXPECT_TRUE(validate_command("/msg/send"));
  EXPECT_TRUE(validate_command("/wasm/run"));
  EXPECT_FALSE(validate_command(""));
  EXPECT_FALSE(validate_command("msg/send"));
  EXPECT_FALSE(validate_command("/msg/"));
  EXPECT_FALSE(validate_command("/msg//send"));
  EXPECT_FALSE(validate_command("/Msg/Send"));
  EXPECT_EQ(validate_command("/x/").error().kind, "command");
}

}  // namespace
}  // namespace ipvm::ucan
