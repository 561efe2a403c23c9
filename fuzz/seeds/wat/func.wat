(module
  (type $t (func (param i32) (result i32)))
  (import "m" "f" (func $imp (type $t)))
  (memory (export "mem") 1 2)
  (table $tab 2 funcref)
  (global $g (mut i64) (i64.const -0x10))
  (func $f (export "f") (param $x i32) (result i32) (local $y f64)
    (block $b (result i32)
      (loop $l
        (br_if $b (i32.const 1) (i32.eqz (local.get $x)))
        (local.set $x (i32.sub (local.get $x) (i32.const 1)))
        (br $l))
      (unreachable)))
  (func (param i32) (result i32)
    local.get 0
    if (result i32) i32.const 1 else i32.const 2 end
    (call_indirect $tab (type $t))
    (i32.load offset=4 align=2 (i32.const 0))
    drop)
  (elem (table $tab) (i32.const 0) func $f $imp)
  (elem $p funcref (ref.func $f) (ref.null func))
  (data (i32.const 8) "data\00\ff\u{263a}")
  (start 2))
