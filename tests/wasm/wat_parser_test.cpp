// The text-format compiler: exact encodings of the abbreviations and immediates, identifier
// resolution, the grammar's error cases, and compiled modules that run.
#include <gtest/gtest.h>

#include <string>

#include "base/bytes.h"
#include "wasm/engine.h"
#include "wasm/wat.h"

namespace ipvm::wasm {
namespace {

Bytes compile_ok(std::string_view text) {
  auto r = wat_to_wasm(text);
  EXPECT_TRUE(r) << r.error().to_string() << "\n" << text;
  return r ? *r : Bytes{};
}

std::string error_of(std::string_view text) {
  auto r = wat_to_wasm(text);
  if (r) return "accepted";
  EXPECT_EQ(r.error().kind, "malformed");
  return r.error().message;
}

// The hex of everything after the 8-byte header.
std::string body_hex(std::string_view text) {
  Bytes b = compile_ok(text);
  if (b.size() < 8) return "";
  return to_hex(ByteView(b).subspan(8));
}

// Instantiates `text` and calls export `f` with i32 args, returning the first i32 result.
int64_t run_i64(std::string_view text, std::string_view f, std::vector<Value> args = {}) {
  Bytes b = compile_ok(text);
  auto cm = CompiledModule::compile(b);
  EXPECT_TRUE(cm) << cm.error().to_string();
  if (!cm) return -999;
  Store store;
  Linker linker;
  auto inst = linker.instantiate(store, *cm);
  EXPECT_TRUE(inst) << inst.error().to_string();
  if (!inst) return -999;
  Func* fn = (*inst)->func(std::string(f));
  EXPECT_NE(fn, nullptr);
  if (!fn) return -999;
  Outcome out = store.call(fn, args);
  EXPECT_TRUE(out.ok()) << (out.trapped() ? out.trap.to_string() : "suspended");
  if (!out.ok() || out.results.empty()) return -999;
  return out.results[0].type == ValType::kI32 ? int64_t{out.results[0].as_i32()} : out.results[0].as_i64();
}

TEST(WatParser, EmptyModuleInAllItsForms) {
  EXPECT_EQ(body_hex("(module)"), "");
  EXPECT_EQ(body_hex("(module $m)"), "");
  EXPECT_EQ(body_hex(""), "");
  EXPECT_EQ(body_hex(";; nothing\n"), "");
  EXPECT_EQ(compile_ok("(module)"), (Bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}));
}

TEST(WatParser, FunctionTypesLocalsAndImplicitTypes) {
  // An explicit type, a func whose inline type matches it (no new type) and one that does not (an
  // implicit type, appended after the explicit ones). Locals are grouped in runs of one type.
  EXPECT_EQ(body_hex("(type (func (param i32) (result i32)))"
                     "(func (param $x i32) (result i32) (local i64 i64) (local $y f32) local.get $x)"
                     "(func (param f64))"),
            "010a0260017f017f60017c00"             // type: [i32]->[i32], [f64]->[]
            "0303020001"                           // function: types 0 and 1
            "0a0d020802027e017d20000b02000b");     // code: (2 x i64, 1 x f32) local.get 0; empty
}

TEST(WatParser, TypeUseConsistency) {
  EXPECT_NE(compile_ok("(type $t (func (param i32))) (func (type $t) (param i32))").size(), 0u);
  EXPECT_NE(error_of("(type $t (func (param i32))) (func (type $t) (param i64))").find("inline function type"),
            std::string::npos);
  EXPECT_NE(error_of("(type $t (func (param i32))) (func (type $t) (result i32))").find("inline function type"),
            std::string::npos);
  EXPECT_NE(error_of("(func (type $nope))").find("unknown type $nope"), std::string::npos);
  EXPECT_NE(error_of("(func (result i32) (param i32) (i32.const 0))").find("unexpected token"), std::string::npos);
  EXPECT_NE(error_of("(func (param $x i32) (param $x i64))").find("duplicate local $x"), std::string::npos);
  EXPECT_NE(error_of("(func (param $x i32) (local $x i64))").find("duplicate local $x"), std::string::npos);
  // (type x) alone takes params from the type: local 0 exists and is an i32.
  EXPECT_EQ(run_i64("(type $t (func (param i32) (result i32)))"
                    "(func (export \"f\") (type $t) (i32.add (local.get 0) (i32.const 1)))",
                    "f", {Value::i32(41)}),
            42);
}

TEST(WatParser, IdentifiersAndForwardReferences) {
  std::string m = R"((module
    (func $a (export "a") (result i32) (call $b))
    (func $b (result i32) (global.get $g))
    (global $g i32 (i32.const 7))
    (global $h (mut i64) (i64.const -1))
    (func (export "h") (result i64) (global.set $h (i64.const 5)) (global.get $h))))";
  EXPECT_EQ(run_i64(m, "a"), 7);
  EXPECT_EQ(run_i64(m, "h"), 5);
  EXPECT_NE(error_of("(func $f) (func $f)").find("duplicate func $f"), std::string::npos);
  EXPECT_NE(error_of("(global $g i32 (i32.const 0)) (global $g i32 (i32.const 0))").find("duplicate global"),
            std::string::npos);
  EXPECT_NE(error_of("(memory $m 1) (memory $m 1)").find("duplicate memory"), std::string::npos);
  EXPECT_NE(error_of("(func (call $missing))").find("unknown func $missing"), std::string::npos);
  EXPECT_NE(error_of("(func (local.get $missing))").find("unknown local $missing"), std::string::npos);
}

TEST(WatParser, ImportsComeFirst) {
  Bytes b = compile_ok(R"((import "m" "f" (func $f (param i32)))
                          (func $g (import "m" "g") (result i32))
                          (memory (import "m" "mem") 1 2)
                          (table (import "m" "t") 0 funcref)
                          (global (import "m" "g") (mut f32))
                          (func (call $f (call $g))))");
  // function section lists only the defined function; its index is 2 (after two imports).
  auto decoded = CompiledModule::compile(b);  // decodes and validates (imports are bound later)
  EXPECT_TRUE(decoded) << decoded.error().to_string();
  EXPECT_NE(error_of("(func) (import \"m\" \"f\" (func))").find("import after function"), std::string::npos);
  EXPECT_NE(error_of("(global i32 (i32.const 0)) (import \"m\" \"t\" (table 0 funcref))").find("import after global"),
            std::string::npos);
  EXPECT_NE(error_of("(memory 0) (func (import \"m\" \"f\"))").find("import after memory"), std::string::npos);
  EXPECT_NE(error_of("(import \"m\" \"\\ff\" (func))").find("malformed UTF-8 encoding"), std::string::npos);
  EXPECT_NE(error_of("(func (export \"\\c0\\80\"))").find("malformed UTF-8 encoding"), std::string::npos);
}

TEST(WatParser, InlineExportsAndExportFields) {
  // Exports appear in the order written: f (func 0), m (memory 0), g (func 0 again).
  std::string hex = body_hex("(func (export \"f\")) (memory (export \"m\") 1) (export \"g\" (func 0))");
  EXPECT_NE(hex.find("07" "0d" "03" "0166" "0000" "016d" "0200" "0167" "0000"), std::string::npos) << hex;
}

TEST(WatParser, BlocksLabelsAndFoldedIf) {
  std::string m = R"((module
    (func (export "f") (param i32) (result i32)
      (block $out (result i32)
        (loop $again
          (br_if $out (i32.const 100) (i32.ge_u (local.get 0) (i32.const 10)))
          (local.set 0 (i32.add (local.get 0) (i32.const 3)))
          (br $again))
        (unreachable)))
    (func (export "g") (param i32) (result i32)
      local.get 0
      if $l (result i32)
        i32.const 1
      else $l
        i32.const 2
      end $l)
    (func (export "t") (param i32) (result i32)
      (block $a (block $b (block $c
        (br_table $a $b $c (local.get 0)))
        (return (i32.const 30)))
        (return (i32.const 20)))
      (i32.const 10))))";
  EXPECT_EQ(run_i64(m, "f", {Value::i32(0)}), 100);
  EXPECT_EQ(run_i64(m, "g", {Value::i32(5)}), 1);
  EXPECT_EQ(run_i64(m, "g", {Value::i32(0)}), 2);
  EXPECT_EQ(run_i64(m, "t", {Value::i32(0)}), 10);
  EXPECT_EQ(run_i64(m, "t", {Value::i32(1)}), 20);
  EXPECT_EQ(run_i64(m, "t", {Value::i32(2)}), 30);
  EXPECT_EQ(run_i64(m, "t", {Value::i32(9)}), 30);
  EXPECT_NE(error_of("(func block $a end $b)").find("mismatching label"), std::string::npos);
  EXPECT_NE(error_of("(func block end $b)").find("mismatching label"), std::string::npos);
  EXPECT_NE(error_of("(func (br $nowhere))").find("unknown label $nowhere"), std::string::npos);
  EXPECT_NE(error_of("(func block)").find("expected 'end'"), std::string::npos);
  // Labels shadow: the inner $l is depth 0, the outer one depth 1 after it ends.
  EXPECT_NE(body_hex("(func (block $l (block $m (block $l (br $m)) (br $l))))").find("024002400240" "0c010b" "0c010b0b0b"),
            std::string::npos);
}

TEST(WatParser, BlockTypesWithParameters) {
  std::string m = R"((module
    (func (export "f") (result i32)
      (i32.const 3) (i32.const 4)
      (block (param i32 i32) (result i32) (i32.mul))
      (i32.const 2)
      (if (param i32) (result i32) (i32.const 1) (then (i32.add (i32.const 0))) (else (i32.sub (i32.const 0))))
      (i32.add))))";
  EXPECT_EQ(run_i64(m, "f"), 14);
}

TEST(WatParser, MemArgsAndAlignment) {
  EXPECT_NE(body_hex("(memory 1) (func (drop (i64.load offset=0x10 align=4 (i32.const 0))))").find("41002902101a0b"),
            std::string::npos);
  EXPECT_NE(body_hex("(memory 1) (func (drop (i32.load8_u (i32.const 0))))").find("2d0000"), std::string::npos);
  EXPECT_NE(error_of("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))").find("alignment"), std::string::npos);
  EXPECT_NE(error_of("(memory 1) (func (drop (i32.load align=0 (i32.const 0))))").find("alignment"), std::string::npos);
  EXPECT_NE(error_of("(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))").find("out of range"),
            std::string::npos);
  EXPECT_NE(error_of("(memory 1) (func (drop (i32.load align=4 offset=0 (i32.const 0))))").find("unexpected token"),
            std::string::npos);
}

TEST(WatParser, Constants) {
  EXPECT_NE(body_hex("(func (result i32) i32.const 0xffffffff)").find("417f0b"), std::string::npos);
  EXPECT_NE(body_hex("(func (result i64) i64.const -0x8000000000000000)").find("42808080808080808080" "7f"),
            std::string::npos);
  EXPECT_NE(body_hex("(func (result f32) f32.const -nan:0x200000)").find("430000a0ff"), std::string::npos);
  EXPECT_NE(body_hex("(func (result f64) f64.const 0x1p-1)").find("44000000000000e03f"), std::string::npos);
  EXPECT_NE(error_of("(func i32.const 4294967296)").find("i32 constant out of range"), std::string::npos);
  EXPECT_NE(error_of("(func i32.const 0x)").find("unknown operator"), std::string::npos);
  EXPECT_NE(error_of("(func f32.const 1e39)").find("f32 constant out of range"), std::string::npos);
  EXPECT_NE(error_of("(func i32.const)").find("expected a number"), std::string::npos);
}

TEST(WatParser, TablesElementsAndReferences) {
  std::string m = R"((module
    (type $r (func (result i32)))
    (table $t funcref (elem $one $two))
    (table $u 2 externref)
    (func $one (result i32) (i32.const 1))
    (func $two (result i32) (i32.const 2))
    (elem $p funcref (ref.func $two) (ref.null func))
    (elem declare func $one)
    (func (export "call") (param i32) (result i32) (call_indirect $t (type $r) (local.get 0)))
    (func (export "size") (result i32) (table.size $u))
    (func (export "init") (result i32)
      (table.init $t $p (i32.const 0) (i32.const 0) (i32.const 1))
      (elem.drop $p)
      (call_indirect (type $r) (i32.const 0)))
    (func (export "null") (result i32) (ref.is_null (ref.func $one)))))";
  EXPECT_EQ(run_i64(m, "call", {Value::i32(0)}), 1);
  EXPECT_EQ(run_i64(m, "call", {Value::i32(1)}), 2);
  EXPECT_EQ(run_i64(m, "size"), 2);
  EXPECT_EQ(run_i64(m, "init"), 2);
  EXPECT_EQ(run_i64(m, "null"), 0);
  // The MVP forms: (elem (i32.const 0) $f) and (elem 0 (offset ...) ...).
  EXPECT_NE(compile_ok("(table 2 funcref) (func $f) (elem (i32.const 0) $f) (elem 0 (offset (i32.const 1)) 0)").size(), 0u);
}

TEST(WatParser, MemoryDataAndBulkOps) {
  std::string m = R"((module
    (memory $m (data "\01\02" "\03"))
    (data $d "hello")
    (func (export "size") (result i32) (memory.size))
    (func (export "load") (result i32) (i32.load8_u offset=2 (i32.const 0)))
    (func (export "init") (result i32)
      (memory.init $d (i32.const 0) (i32.const 1) (i32.const 4))
      (data.drop $d)
      (memory.copy (i32.const 8) (i32.const 0) (i32.const 4))
      (memory.fill (i32.const 12) (i32.const 0x21) (i32.const 1))
      (i32.add (i32.load8_u (i32.const 11)) (i32.load8_u (i32.const 12))))))";
  EXPECT_EQ(run_i64(m, "size"), 1);
  EXPECT_EQ(run_i64(m, "load"), 3);
  EXPECT_EQ(run_i64(m, "init"), 'o' + 0x21);
  // A data count section (12) comes before the code section when memory.init / data.drop are used.
  std::string hex = body_hex(m);
  EXPECT_NE(hex.find("0c0102"), std::string::npos) << hex;
}

TEST(WatParser, SelectAndMultiValue) {
  std::string m = R"((module
    (func $two (result i32 i64) (i32.const 5) (i64.const 6))
    (func (export "f") (result i64)
      (call $two) (drop) (drop) (select (result i64) (i64.const 1) (i64.const 2) (i32.const 0)))
    (func (export "s") (result i32) (select (i32.const 1) (i32.const 2) (i32.const 1)))))";
  EXPECT_EQ(run_i64(m, "s"), 1);
  EXPECT_EQ(run_i64(m, "f"), 2);
  EXPECT_NE(body_hex(m).find("1c017e"), std::string::npos);
}

TEST(WatParser, ModuleLevelErrors) {
  EXPECT_NE(error_of("(start 0) (start 0) (func)").find("multiple start sections"), std::string::npos);
  EXPECT_NE(error_of("(module (func) extra)").find("unexpected token 'extra'"), std::string::npos);
  EXPECT_NE(error_of("(module (frob))").find("expected a module field"), std::string::npos);
  EXPECT_NE(error_of("(type (func) i32)").find("unexpected token 'i32', expected ')'"), std::string::npos);
  EXPECT_NE(error_of("(type (func (param i32) (result i32) (param i32)))").find("in that order"), std::string::npos);
  EXPECT_NE(error_of("(module (func)").find("unexpected end of input"), std::string::npos);
  EXPECT_NE(error_of("(module) (module)").find("unexpected token"), std::string::npos);
  EXPECT_NE(error_of("(func (i32.foo))").find("unknown operator 'i32.foo'"), std::string::npos);
  EXPECT_NE(error_of("(func (nop) (local i32))").find("unexpected token 'local'"), std::string::npos);
  EXPECT_NE(error_of("(func br_table)").find("expected a label"), std::string::npos);
  EXPECT_NE(error_of("(func (ref.null any))").find("heap type"), std::string::npos);
  // The position is the offending token's line:column.
  EXPECT_EQ(error_of("(module\n  (func\n    i32.bogus))").substr(0, 5), "3:5: ");
}

TEST(WatParser, NestingIsBounded) {
  std::string deep_ok, deep_bad;
  for (int i = 0; i < 500; ++i) deep_ok += "(block ";
  deep_ok = "(func " + deep_ok + std::string(500, ')') + ")";
  EXPECT_NE(compile_ok(deep_ok).size(), 0u);
  for (int i = 0; i < 100000; ++i) deep_bad += "(block ";
  EXPECT_NE(error_of("(func " + deep_bad + std::string(100001, ')')).find("nested deeper than"), std::string::npos);
  EXPECT_NE(error_of("(func " + deep_bad).find("unexpected end of input"), std::string::npos);
  std::string plain_bad = "(func ";
  for (int i = 0; i < 100000; ++i) plain_bad += "block ";
  EXPECT_NE(error_of(plain_bad + ")").find("nested deeper than"), std::string::npos);
}

TEST(WatParser, ScriptModuleForms) {
  EXPECT_EQ(compile_ok("(module $m binary \"\\00asm\" \"\\01\\00\\00\\00\")"),
            (Bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}));
  EXPECT_EQ(compile_ok("(module quote \"(func (export \\\"f\\\"))\")"), compile_ok("(func (export \"f\"))"));
  EXPECT_NE(error_of("(module quote \"(func i32.frob)\")").find("unknown operator"), std::string::npos);
  std::string q = "(func)";
  for (int i = 0; i < 10; ++i) {
    std::string esc;
    for (char c : q) esc += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    q = "(module quote \"" + esc + "\")";
  }
  EXPECT_NE(error_of(q).find("nested more than 8 deep"), std::string::npos);
}

TEST(WatParser, BinaryMagicIsDetected) {
  Bytes b = compile_ok("(module)");
  EXPECT_TRUE(is_wasm_binary(b));
  EXPECT_FALSE(is_wasm_binary(to_bytes("(module)")));
  EXPECT_FALSE(is_wasm_binary(to_bytes("\0as")));
}

}  // namespace
}  // namespace ipvm::wasm
