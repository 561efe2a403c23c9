#include "wasm/decoder.h"

#include <gtest/gtest.h>

#include "wasm_builder.h"

namespace ipvm::wasm {
namespace {

using namespace test;

constexpr uint8_t I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, FUNCREF = 0x70, EXTERNREF = 0x6f;

void expect_malformed(const Bytes& bytes, std::string_view text) {
  auto m = decode_module(bytes);
  ASSERT_FALSE(m) << "decoded but expected: " << text;
  EXPECT_EQ(m.error().kind, "malformed") << m.error().message;
  EXPECT_NE(m.error().message.find(text), std::string::npos) << m.error().message;
}

TEST(Decoder, EmptyModule) {
  ModuleBuilder b;
  auto m = decode_module(b.bytes());
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->bytes, b.bytes());
  EXPECT_EQ(m->total_funcs(), 0u);
}

TEST(Decoder, HeaderErrors) {
  expect_malformed(Bytes{}, "unexpected end");
  expect_malformed(Bytes{0x00, 0x61}, "unexpected end");
  expect_malformed(Bytes{0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0}, "magic header not detected");
  expect_malformed(Bytes{0x00, 0x61, 0x73, 0x6d, 1, 0}, "unexpected end");
  expect_malformed(Bytes{0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0}, "unknown binary version");
}

TEST(Decoder, SectionRules) {
  // Unknown section id.
  expect_malformed(ModuleBuilder().section(13, {}).bytes(), "malformed section id");
  // Out of order: function before type.
  expect_malformed(ModuleBuilder().section(3, vec({})).section(1, vec({})).bytes(), "unexpected content after last section");
  // Repeated.
  expect_malformed(ModuleBuilder().section(1, vec({})).section(1, vec({})).bytes(), "unexpected content after last section");
  // Data count goes before code: data count after code is out of order.
  expect_malformed(ModuleBuilder().section(10, vec({})).section(12, uleb(0)).bytes(), "unexpected content");
  // Content left over inside a section.
  expect_malformed(ModuleBuilder().section(1, Bytes{0x00, 0x00}).bytes(), "section size mismatch");
  // Section longer than the module.
  expect_malformed(ModuleBuilder().raw(Bytes{0x01, 0x05, 0x00}).bytes(), "length out of bounds");
  // Custom sections can appear anywhere, any number of times.
  auto m = decode_module(ModuleBuilder()
                             .section(0, cat({name("a"), Bytes{1, 2, 3}}))
                             .section(1, vec({}))
                             .section(0, name("b"))
                             .bytes());
  ASSERT_TRUE(m) << m.error().to_string();
  // Custom section names must be UTF-8.
  expect_malformed(ModuleBuilder().section(0, Bytes{0x01, 0xff}).bytes(), "malformed UTF-8 encoding");
}

TEST(Decoder, ErrorsCarryTheOffset) {
  auto m = decode_module(ModuleBuilder().section(1, Bytes{0x01, 0x61}).bytes());
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message, "malformed function type (expected 0x60) at offset 11");
}

TEST(Decoder, FunctionAndCodeCounts) {
  Bytes type = vec({functype({}, {})});
  expect_malformed(ModuleBuilder().section(1, type).section(3, vec({Bytes{0}})).bytes(),
                   "function and code section have inconsistent lengths");
  expect_malformed(ModuleBuilder().section(1, type).section(10, vec({code({}, {0x0b})})).bytes(),
                   "function and code section have inconsistent lengths");
}

TEST(Decoder, DataCount) {
  Bytes passive = cat({uleb(1), uleb(0)});
  expect_malformed(ModuleBuilder().section(12, uleb(2)).section(11, vec({passive})).bytes(),
                   "data count and data section have inconsistent lengths");
  expect_malformed(ModuleBuilder().section(12, uleb(1)).bytes(), "data count and data section have inconsistent lengths");
  auto m = decode_module(ModuleBuilder().section(12, uleb(1)).section(11, vec({passive})).bytes());
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->data_count, 1u);
}

TEST(Decoder, LocalsAreExpandedAndLimited) {
  auto m = decode_module(one_function({I32}, {}, {0x0b}, {}, {{2, I64}, {1, F32}}));
  ASSERT_TRUE(m) << m.error().to_string();
  ASSERT_EQ(m->functions.size(), 1u);
  EXPECT_EQ(m->functions[0].locals, (std::vector<ValType>{ValType::kI64, ValType::kI64, ValType::kF32}));
  EXPECT_EQ(m->functions[0].body_size, 1u);
  EXPECT_EQ(m->bytes[m->functions[0].body_offset], 0x0b);
  // 2^32-1 locals must fail without allocating them.
  expect_malformed(one_function({}, {}, {0x0b}, {}, {{0xffffffffu, I32}, {2, I64}}), "too many locals");
  expect_malformed(one_function({}, {}, {0x0b}, {}, {{kMaxLocals + 1, I32}}), "too many locals");
}

TEST(Decoder, ImportsFillIndexSpaces) {
  Bytes imports = vec({
      cat({name("env"), name("f"), Bytes{0x00}, uleb(0)}),
      cat({name("env"), name("t"), Bytes{0x01, FUNCREF, 0x01}, uleb(1), uleb(10)}),
      cat({name("env"), name("m"), Bytes{0x02, 0x00}, uleb(1)}),
      cat({name("env"), name("g"), Bytes{0x03, I64, 0x01}}),
  });
  auto m = decode_module(ModuleBuilder().section(1, vec({functype({I32}, {I32})})).section(2, imports).bytes());
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->num_imported_funcs, 1u);
  EXPECT_EQ(m->num_imported_tables, 1u);
  EXPECT_EQ(m->num_imported_memories, 1u);
  EXPECT_EQ(m->num_imported_globals, 1u);
  EXPECT_EQ(m->func_type(0).params, std::vector<ValType>{ValType::kI32});
  EXPECT_EQ(m->table_type(0).limits.max, 10u);
  EXPECT_EQ(m->memory_type(0).limits.min, 1u);
  EXPECT_TRUE(m->global_type(0).mutable_);
  EXPECT_EQ(m->global_type(0).type, ValType::kI64);
  EXPECT_EQ(m->function_name(0), "func[0]");

  expect_malformed(ModuleBuilder().section(2, vec({cat({name("a"), name("b"), Bytes{0x04, 0x00}})})).bytes(),
                   "malformed import kind");
  expect_malformed(ModuleBuilder().section(2, vec({cat({name("a"), Bytes{0x01, 0xc0}})})).bytes(),
                   "malformed UTF-8 encoding");
  expect_malformed(ModuleBuilder().section(2, vec({cat({name("a"), name("b"), Bytes{0x03, I32, 0x02}})})).bytes(),
                   "malformed mutability");
}

TEST(Decoder, LimitsFlags) {
  expect_malformed(ModuleBuilder().section(5, vec({Bytes{0x02, 0x00}})).bytes(), "integer too large");
  expect_malformed(ModuleBuilder().section(5, vec({Bytes{0x81, 0x00, 0x00}})).bytes(), "integer representation too long");
}

TEST(Decoder, ElementSegmentKinds) {
  Bytes offset = {0x41, 0x00, 0x0b};
  Bytes elems = vec({
      cat({uleb(0), offset, vec({uleb(0)})}),                                      // active, table 0, funcidx
      cat({uleb(1), Bytes{0x00}, vec({uleb(0)})}),                                 // passive funcidx
      cat({uleb(2), uleb(0), offset, Bytes{0x00}, vec({uleb(0)})}),                // active explicit table
      cat({uleb(3), Bytes{0x00}, vec({uleb(0)})}),                                 // declarative
      cat({uleb(4), offset, vec({Bytes{0xd2, 0x00, 0x0b}})}),                      // active exprs
      cat({uleb(5), Bytes{EXTERNREF}, vec({Bytes{0xd0, EXTERNREF, 0x0b}})}),       // passive exprs
      cat({uleb(6), uleb(0), offset, Bytes{FUNCREF}, vec({Bytes{0xd0, FUNCREF, 0x0b}})}),
      cat({uleb(7), Bytes{FUNCREF}, vec({Bytes{0xd2, 0x00, 0x0b}})}),
  });
  auto m = decode_module(one_function({}, {}, {0x0b}, {{4, vec({Bytes{FUNCREF, 0x00, 0x01}})}, {9, elems}}));
  ASSERT_TRUE(m) << m.error().to_string();
  ASSERT_EQ(m->elems.size(), 8u);
  using Mode = ElemSegment::Mode;
  Mode modes[] = {Mode::kActive, Mode::kPassive, Mode::kActive, Mode::kDeclarative,
                  Mode::kActive, Mode::kPassive, Mode::kActive, Mode::kDeclarative};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(m->elems[i].mode, modes[i]) << i;
  EXPECT_EQ(m->elems[5].type, ValType::kExternRef);
  EXPECT_EQ(m->elems[5].items[0].op, ConstExpr::Op::kRefNull);
  EXPECT_EQ(m->elems[4].items[0].op, ConstExpr::Op::kRefFunc);

  expect_malformed(ModuleBuilder().section(9, vec({uleb(8)})).bytes(), "malformed elements segment kind");
  expect_malformed(ModuleBuilder().section(9, vec({cat({uleb(1), Bytes{0x01}, vec({})})})).bytes(), "malformed element kind");
}

TEST(Decoder, DataSegments) {
  Bytes datas = vec({
      cat({uleb(0), Bytes{0x41, 0x08, 0x0b}, uleb(3), Bytes{'a', 'b', 'c'}}),
      cat({uleb(1), uleb(2), Bytes{'x', 'y'}}),
      cat({uleb(2), uleb(0), Bytes{0x41, 0x00, 0x0b}, uleb(0)}),
  });
  auto m = decode_module(ModuleBuilder().section(5, vec({Bytes{0x00, 0x01}})).section(11, datas).bytes());
  ASSERT_TRUE(m) << m.error().to_string();
  ASSERT_EQ(m->datas.size(), 3u);
  EXPECT_EQ(m->datas[0].offset.bits, 8u);
  EXPECT_EQ(m->datas[0].size, 3u);
  EXPECT_EQ(m->bytes[m->datas[0].offset_in_module], 'a');
  EXPECT_EQ(m->datas[1].mode, DataSegment::Mode::kPassive);
  EXPECT_EQ(m->bytes[m->datas[1].offset_in_module + 1], 'y');
  expect_malformed(ModuleBuilder().section(11, vec({uleb(3)})).bytes(), "malformed data segment kind");
  expect_malformed(ModuleBuilder().section(11, vec({cat({uleb(1), uleb(5), Bytes{'a'}})})).bytes(), "unexpected end");
}

TEST(Decoder, ConstantExpressions) {
  auto global = [](Bytes init) { return ModuleBuilder().section(6, vec({cat({Bytes{I64, 0x00}, init})})).bytes(); };
  auto m = decode_module(global({0x42, 0x7f, 0x0b}));
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->globals[0].init.op, ConstExpr::Op::kI64Const);
  EXPECT_EQ(m->globals[0].init.bits, ~uint64_t{0});

  auto non_const = decode_module(global({0x41, 0x00, 0x41, 0x00, 0x6a, 0x0b}));
  ASSERT_FALSE(non_const);
  EXPECT_EQ(non_const.error().kind, "invalid");
  auto nop = decode_module(global({0x01, 0x0b}));
  ASSERT_FALSE(nop);
  EXPECT_EQ(nop.error().kind, "invalid");
  EXPECT_NE(nop.error().message.find("constant expression required"), std::string::npos);
  auto empty = decode_module(global({0x0b}));
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("type mismatch"), std::string::npos);
  auto simd = decode_module(global({0xfd, 0x0c}));
  ASSERT_FALSE(simd);
  EXPECT_EQ(simd.error().kind, "unsupported");
}

TEST(Decoder, NameSectionGivesFunctionNames) {
  Bytes function_names = vec({cat({uleb(0), name("main")})});
  Bytes names = cat({name("name"), Bytes{0x01}, uleb(function_names.size()), function_names});
  ModuleBuilder b;
  b.section(1, vec({functype({}, {})})).section(3, vec({Bytes{0}}));
  b.section(7, vec({cat({name("run"), Bytes{0x00}, uleb(0)})}));
  b.section(10, vec({code({}, {0x0b})})).section(0, names);
  auto m = decode_module(b.bytes());
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->function_name(0), "main");
  // A broken name section is ignored; the export name is the fallback.
  ModuleBuilder broken;
  broken.section(1, vec({functype({}, {})})).section(3, vec({Bytes{0}}));
  broken.section(7, vec({cat({name("run"), Bytes{0x00}, uleb(0)})}));
  broken.section(10, vec({code({}, {0x0b})})).section(0, cat({name("name"), Bytes{0x01, 0x09, 0x01}}));
  auto m2 = decode_module(broken.bytes());
  ASSERT_TRUE(m2) << m2.error().to_string();
  EXPECT_EQ(m2->function_name(0), "run");
}

TEST(Decoder, HostileCountsDoNotAllocate) {
  // A type section claiming 2^32-1 entries in a few bytes.
  expect_malformed(ModuleBuilder().section(1, uleb(0xffffffffu)).bytes(), "unexpected end");
  expect_malformed(ModuleBuilder().section(1, vec({cat({Bytes{0x60}, uleb(kMaxFunctionParams + 1)})})).bytes(),
                   "unexpected end");
}

}  // namespace
}  // namespace ipvm::wasm
