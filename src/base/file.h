// Whole-file reads and writes with errors as values ("-" means stdin/stdout).
#pragma once

#include <string>

#include "base/bytes.h"
#include "base/error.h"

namespace ipvm {

Result<Bytes> read_file(const std::string& path);
// Writes atomically: a temporary file in the same folder, fsync, then rename.
Status write_file(const std::string& path, ByteView data);

}  // namespace ipvm
