#include "wasm/validator.h"

#include <gtest/gtest.h>

#include "wasm/decoder.h"
#include "wasm_builder.h"

namespace ipvm::wasm {
namespace {

using namespace test;

constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, FUNCREF = 0x70, EXTERNREF = 0x6f;
const std::pair<uint8_t, Bytes> kMemory = {5, vec({Bytes{0x00, 0x01}})};

Status check(const Bytes& bytes) {
  auto m = decode_module(bytes);
  if (!m) return tl::unexpected(m.error());
  return validate_module(*m);
}

void expect_valid(const Bytes& bytes) {
  Status s = check(bytes);
  EXPECT_TRUE(s) << s.error().to_string();
}

void expect_error(const Bytes& bytes, std::string_view kind, std::string_view text) {
  Status s = check(bytes);
  ASSERT_FALSE(s) << "accepted, expected: " << text;
  EXPECT_EQ(s.error().kind, kind) << s.error().message;
  EXPECT_NE(s.error().message.find(text), std::string::npos) << s.error().message;
}

TEST(Validator, SimpleFunctions) {
  expect_valid(one_function({I32, I32}, {I32}, {0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b}));
  expect_valid(one_function({}, {F64}, {0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x0b}));
  expect_valid(one_function({I64}, {I32}, {0x20, 0x00, 0xa7, 0x0b}, {}, {}));
}

TEST(Validator, TypeMismatchNamesFunctionAndOffset) {
  Bytes bytes = one_function({I32}, {I32}, {0x20, 0x00, 0x42, 0x01, 0x6a, 0x0b});
  Status s = check(bytes);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, "invalid");
  EXPECT_NE(s.error().message.find("type mismatch: expected i32, got i64 in function 0 at offset"), std::string::npos)
      << s.error().message;
  expect_error(one_function({}, {I32}, {0x0b}), "invalid", "type mismatch");
  expect_error(one_function({}, {}, {0x41, 0x00, 0x0b}), "invalid", "type mismatch");
}

TEST(Validator, UnreachableMakesTheStackPolymorphic) {
  // unreachable; i32.add; (result i32)
  expect_valid(one_function({}, {I32}, {0x00, 0x6a, 0x0b}));
  // unreachable; br_if 0 pushes the label's concrete types: i64.extend_i32_u then mismatches.
  expect_error(one_function({}, {I64}, {0x00, 0x0d, 0x00, 0xad, 0x0b}), "invalid", "type mismatch");
  // Still typed: unreachable; i64.const; i32.add
  expect_error(one_function({}, {I32}, {0x00, 0x42, 0x00, 0x6a, 0x0b}), "invalid", "type mismatch");
}

TEST(Validator, MultiValueBlocks) {
  // type 0: [] -> [i32 i32]; type 1: [i32 i32] -> [i32]
  ModuleBuilder b;
  b.section(1, vec({functype({}, {I32, I32}), functype({I32, I32}, {I32})}));
  b.section(3, vec({Bytes{0x00}}));
  // block (type 0) i32.const 1 i32.const 2 end; block (type 1) i32.add end; drop; i32.const 0 i32.const 0
  b.section(10, vec({code({}, {0x02, 0x00, 0x41, 0x01, 0x41, 0x02, 0x0b, 0x02, 0x01, 0x6a, 0x0b, 0x1a, 0x41,
                               0x00, 0x41, 0x00, 0x0b})}));
  expect_valid(b.bytes());
  // Unknown block type index.
  expect_error(one_function({}, {}, {0x02, 0x05, 0x0b, 0x0b}), "invalid", "unknown type");
  // if without else must have matching in/out types.
  expect_error(one_function({}, {}, {0x41, 0x00, 0x04, I32, 0x41, 0x01, 0x0b, 0x1a, 0x0b}), "invalid", "type mismatch");
  expect_valid(one_function({}, {I32}, {0x41, 0x00, 0x04, I32, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0b, 0x0b}));
}

TEST(Validator, Branches) {
  expect_error(one_function({}, {}, {0x0c, 0x01, 0x0b}), "invalid", "unknown label");
  // br_table with targets of different arity: block (result i32) block br_table 0 1
  expect_error(one_function({}, {}, {0x02, I32, 0x02, 0x40, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b, 0x41, 0x00,
                                     0x0b, 0x1a, 0x0b}),
               "invalid", "type mismatch");
  // loop labels take the loop's parameters: loop br 0 end
  expect_valid(one_function({}, {}, {0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b}));
  expect_valid(one_function({}, {I32}, {0x41, 0x07, 0x0f, 0x0b}));
}

TEST(Validator, Select) {
  expect_valid(one_function({}, {I32}, {0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1b, 0x0b}));
  expect_error(one_function({}, {}, {0x41, 0x01, 0x42, 0x02, 0x41, 0x00, 0x1b, 0x1a, 0x0b}), "invalid", "type mismatch");
  // Untyped select of references is not allowed; typed select is.
  Bytes refs = {0xd0, FUNCREF, 0xd0, FUNCREF, 0x41, 0x00};
  Bytes untyped = refs, typed = refs;
  untyped.insert(untyped.end(), {0x1b, 0x1a, 0x0b});
  typed.insert(typed.end(), {0x1c, 0x01, FUNCREF, 0x1a, 0x0b});
  expect_error(one_function({}, {}, untyped), "invalid", "type mismatch");
  expect_valid(one_function({}, {}, typed));
  expect_error(one_function({}, {}, {0x41, 0x01, 0x41, 0x01, 0x41, 0x00, 0x1c, 0x02, I32, I32, 0x1a, 0x0b}),
               "invalid", "invalid result arity");
}

TEST(Validator, LocalsAndGlobals) {
  expect_error(one_function({I32}, {}, {0x20, 0x02, 0x1a, 0x0b}, {}, {{1, F32}}), "invalid", "unknown local 2");
  expect_valid(one_function({I32}, {F32}, {0x20, 0x01, 0x0b}, {}, {{1, F32}}));
  std::pair<uint8_t, Bytes> globals = {6, vec({cat({Bytes{I32, 0x00, 0x41, 0x00, 0x0b}}),
                                               cat({Bytes{I64, 0x01, 0x42, 0x00, 0x0b}})})};
  expect_error(one_function({}, {}, {0x41, 0x00, 0x24, 0x00, 0x0b}, {globals}), "invalid", "global is immutable");
  expect_valid(one_function({}, {}, {0x42, 0x00, 0x24, 0x01, 0x0b}, {globals}));
  expect_error(one_function({}, {}, {0x23, 0x02, 0x1a, 0x0b}, {globals}), "invalid", "unknown global");
}

TEST(Validator, GlobalInitializers) {
  // global.get of a defined global is not constant in Wasm 2.0 (only imports).
  Bytes two = vec({cat({Bytes{I32, 0x00, 0x41, 0x00, 0x0b}}), cat({Bytes{I32, 0x00, 0x23, 0x00, 0x0b}})});
  expect_error(ModuleBuilder().section(6, two).bytes(), "invalid", "unknown global 0");
  Bytes import_mut = vec({cat({name("m"), name("g"), Bytes{0x03, I32, 0x01}})});
  expect_error(ModuleBuilder().section(2, import_mut).section(6, vec({Bytes{I32, 0x00, 0x23, 0x00, 0x0b}})).bytes(),
               "invalid", "constant expression required");
  expect_error(ModuleBuilder().section(6, vec({Bytes{I32, 0x00, 0x42, 0x00, 0x0b}})).bytes(), "invalid",
               "type mismatch");
}

TEST(Validator, MemoryInstructions) {
  expect_error(one_function({}, {I32}, {0x41, 0x00, 0x28, 0x02, 0x00, 0x0b}), "invalid", "unknown memory 0");
  expect_valid(one_function({}, {I32}, {0x41, 0x00, 0x28, 0x02, 0x00, 0x0b}, {kMemory}));
  expect_error(one_function({}, {I32}, {0x41, 0x00, 0x28, 0x03, 0x00, 0x0b}, {kMemory}), "invalid",
               "alignment must not be larger than natural");
  expect_error(one_function({}, {}, {0x41, 0x00, 0x41, 0x00, 0x3a, 0x01, 0x00, 0x0b}, {kMemory}), "invalid",
               "alignment must not be larger than natural");
  expect_error(one_function({}, {I32}, {0x3f, 0x01, 0x0b}, {kMemory}), "malformed", "zero byte expected");
  expect_valid(one_function({}, {I32}, {0x41, 0x01, 0x40, 0x00, 0x0b}, {kMemory}));
}

TEST(Validator, BulkMemoryNeedsDataCount) {
  Bytes body = {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b};
  expect_error(one_function({}, {}, body, {kMemory}), "malformed", "data count section required");
  ModuleBuilder b;
  b.section(1, vec({functype({}, {})})).section(3, vec({Bytes{0}})).section(5, vec({Bytes{0x00, 0x01}}));
  b.section(12, uleb(1)).section(10, vec({code({}, body)})).section(11, vec({cat({uleb(1), uleb(0)})}));
  expect_valid(b.bytes());
  Bytes drop_unknown = {0xfc, 0x09, 0x01, 0x0b};
  ModuleBuilder c;
  c.section(1, vec({functype({}, {})})).section(3, vec({Bytes{0}}));
  c.section(12, uleb(1)).section(10, vec({code({}, drop_unknown)})).section(11, vec({cat({uleb(1), uleb(0)})}));
  expect_error(c.bytes(), "invalid", "unknown data segment 1");
}

TEST(Validator, ReferenceTypes) {
  // ref.func needs the function declared outside bodies (here: none) ...
  expect_error(one_function({}, {}, {0xd2, 0x00, 0x1a, 0x0b}), "invalid", "undeclared function reference");
  // ... a declarative element segment declares it.
  std::pair<uint8_t, Bytes> declare = {9, vec({cat({uleb(3), Bytes{0x00}, vec({uleb(0)})})})};
  expect_valid(one_function({}, {}, {0xd2, 0x00, 0x1a, 0x0b}, {declare}));
  // So does an export.
  std::pair<uint8_t, Bytes> exp = {7, vec({cat({name("f"), Bytes{0x00}, uleb(0)})})};
  expect_valid(one_function({}, {}, {0xd2, 0x00, 0x1a, 0x0b}, {exp}));
  expect_error(one_function({}, {I32}, {0x41, 0x00, 0xd1, 0x0b}), "invalid", "type mismatch");
  expect_valid(one_function({}, {I32}, {0xd0, EXTERNREF, 0xd1, 0x0b}));
  // Tables of externref: table.get/set/size/grow/fill.
  std::pair<uint8_t, Bytes> tables = {4, vec({Bytes{EXTERNREF, 0x00, 0x01}, Bytes{FUNCREF, 0x00, 0x01}})};
  expect_valid(one_function({}, {I32}, {0xd0, EXTERNREF, 0x41, 0x01, 0xfc, 0x0f, 0x00, 0x0b}, {tables}));
  expect_error(one_function({}, {I32}, {0xd0, FUNCREF, 0x41, 0x01, 0xfc, 0x0f, 0x00, 0x0b}, {tables}), "invalid",
               "type mismatch");
  expect_error(one_function({}, {}, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0e, 0x00, 0x01, 0x0b}, {tables}),
               "invalid", "type mismatch");
  expect_error(one_function({}, {I32}, {0xfc, 0x10, 0x02, 0x0b}, {tables}), "invalid", "unknown table 2");
  // call_indirect needs a funcref table.
  expect_error(one_function({}, {}, {0x41, 0x00, 0x11, 0x00, 0x00, 0x0b}, {tables}), "invalid", "type mismatch");
  expect_valid(one_function({}, {}, {0x41, 0x00, 0x11, 0x00, 0x01, 0x0b}, {tables}));
}

TEST(Validator, ModuleLevelRules) {
  expect_error(ModuleBuilder().section(5, vec({Bytes{0x00, 0x01}, Bytes{0x00, 0x01}})).bytes(), "invalid",
               "multiple memories");
  expect_error(ModuleBuilder().section(5, vec({cat({Bytes{0x00}, uleb(65537)})})).bytes(), "invalid",
               "memory size must be at most 65536 pages (4GiB)");
  expect_error(ModuleBuilder().section(4, vec({Bytes{FUNCREF, 0x01, 0x02, 0x01}})).bytes(), "invalid",
               "size minimum must not be greater than maximum");
  std::pair<uint8_t, Bytes> dup = {7, vec({cat({name("a"), Bytes{0x00}, uleb(0)}), cat({name("a"), Bytes{0x00}, uleb(0)})})};
  expect_error(one_function({}, {}, {0x0b}, {dup}), "invalid", "duplicate export name");
  std::pair<uint8_t, Bytes> bad_export = {7, vec({cat({name("a"), Bytes{0x00}, uleb(1)})})};
  expect_error(one_function({}, {}, {0x0b}, {bad_export}), "invalid", "unknown function 1");
  expect_valid(one_function({}, {}, {0x0b}, {{8, uleb(0)}}));
  expect_error(one_function({I32}, {}, {0x0b}, {{8, uleb(0)}}), "invalid", "start function");
  expect_error(one_function({}, {}, {0x0b}, {{8, uleb(1)}}), "invalid", "unknown function");
  expect_error(ModuleBuilder().section(3, vec({Bytes{0x00}})).section(10, vec({code({}, {0x0b})})).bytes(), "invalid",
               "unknown type");
  // Active element segment into a missing table.
  expect_error(one_function({}, {}, {0x0b}, {{9, vec({cat({uleb(0), Bytes{0x41, 0x00, 0x0b}, vec({uleb(0)})})})}}),
               "invalid", "unknown table 0");
}

TEST(Validator, BodyEncodingErrorsAreMalformed) {
  expect_error(one_function({}, {}, {0x01}), "malformed", "END opcode expected");
  expect_error(one_function({}, {}, {0x0b, 0x01}), "malformed", "section size mismatch");
  expect_error(one_function({}, {}, {0x27, 0x0b}), "malformed", "illegal opcode 0x27");
  expect_error(one_function({}, {}, {0xfc, 0x12, 0x0b}), "malformed", "illegal opcode");
  expect_error(one_function({}, {I32}, {0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b}), "malformed",
               "integer representation too long");
  expect_error(one_function({}, {}, {0x05, 0x0b}), "malformed", "else");
}

TEST(Validator, SimdIsUnsupported) {
  expect_error(one_function({}, {}, {0xfd, 0x0c, 0x0b}), "unsupported", "SIMD not supported yet");
  expect_error(one_function({0x7b}, {}, {0x0b}), "unsupported", "SIMD not supported yet");
}

TEST(Validator, HostileBodiesHitStackLimits) {
  Bytes many(1000, I32);
  Bytes calls;
  for (int i = 0; i < 70; ++i) calls.insert(calls.end(), {0x10, 0x00});  // each call pushes 1000 values
  calls.insert(calls.end(), {0x00, 0x0b});
  expect_error(one_function({}, many, calls), "invalid", "function too complex");
  Bytes nested;
  for (uint32_t i = 0; i <= kMaxControlDepth; ++i) nested.insert(nested.end(), {0x02, 0x40});
  nested.insert(nested.end(), kMaxControlDepth + 2, 0x0b);
  expect_error(one_function({}, {}, nested), "invalid", "function too complex");
}

TEST(Validator, SaturatingAndSignExtension) {
  expect_valid(one_function({F64}, {I64}, {0x20, 0x00, 0xfc, 0x07, 0x0b}));
  expect_valid(one_function({I32}, {I32}, {0x20, 0x00, 0xc0, 0x0b}));
  expect_error(one_function({F32}, {I64}, {0x20, 0x00, 0xfc, 0x07, 0x0b}), "invalid", "type mismatch");
}

}  // namespace
}  // namespace ipvm::wasm
