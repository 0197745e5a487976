// RUN: ROUNDTRIP
// RUN: GENERIC_ROUNDTRIP
// RUN: atheena-opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=GENERIC

// Two nested exits: three ways out.
func.func @exits(%z0: tensor<1x10xf32>, %z1: tensor<1x10xf32>, %z2: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %d0 = ee.exit_decision top1(%z0) > 0.996 : tensor<1x10xf32>
  %out = ee.exit %z0 if %d0 : tensor<1x10xf32> else {
    %d1 = ee.exit_decision top1(%z1) > 0.5 : tensor<1x10xf32>
    %r = ee.exit %z1 if %d1 : tensor<1x10xf32> else {
      %s = ee.relu %z2 : tensor<1x10xf32>
      ee.yield %s : tensor<1x10xf32>
    }
    ee.yield %r : tensor<1x10xf32>
  }
  func.return %out : tensor<1x10xf32>
}
// CHECK-LABEL: func.func @exits
// CHECK-NEXT:    %d0 = ee.exit_decision top1(%z0) > 0.996 : tensor<1x10xf32>
// CHECK-NEXT:    %out = ee.exit %z0 if %d0 : tensor<1x10xf32> else {
// CHECK-NEXT:      %d1 = ee.exit_decision top1(%z1) > 0.5 : tensor<1x10xf32>
// CHECK-NEXT:      %r = ee.exit %z1 if %d1 : tensor<1x10xf32> else {
// CHECK-NEXT:        %s = ee.relu %z2 : tensor<1x10xf32>
// CHECK-NEXT:        ee.yield %s : tensor<1x10xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      ee.yield %r : tensor<1x10xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %out : tensor<1x10xf32>
// GENERIC: %d0 = "ee.exit_decision"(%z0) <{criterion = "top1", threshold = 9.960000e-01 : f64}> : (tensor<1x10xf32>) -> i1
// GENERIC: %out = "ee.exit"(%z0, %d0) ({

// -----

// After split-exits: stages, split, buffers, merge.
func.func @stages(%x: tensor<1x5x16x16xf32>, %z0: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %cont, %keep = ee.stage 0 reach 1.0 -> (tensor<1x5x16x16xf32>, tensor<1x10xf32>) {
    %a, %b = ee.split %x into 2 : tensor<1x5x16x16xf32>
    %z, %zd = ee.split %z0 into 2 {folding = #ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 1>} : tensor<1x10xf32>
    %d = ee.exit_decision top1(%zd) > 0.75 : tensor<1x10xf32>
    %k = ee.cond_buffer %z, %d forward exit : tensor<1x10xf32>
    %c = ee.cond_buffer %b, %d forward continue : tensor<1x5x16x16xf32>
    ee.yield %c, %k : tensor<1x5x16x16xf32>, tensor<1x10xf32>
  }
  %late = ee.stage 1 reach 0.25 -> (tensor<1x10xf32>) {
    %r = ee.relu %z0 : tensor<1x10xf32>
    ee.yield %r : tensor<1x10xf32>
  }
  %out, %exit = ee.exit_merge %keep, %late : tensor<1x10xf32>
  func.return %out : tensor<1x10xf32>
}
// CHECK-LABEL: func.func @stages
// CHECK-NEXT:    %cont, %keep = ee.stage 0 reach 1.0 -> (tensor<1x5x16x16xf32>, tensor<1x10xf32>) {
// CHECK-NEXT:      %a, %b = ee.split %x into 2 : tensor<1x5x16x16xf32>
// CHECK-NEXT:      %z, %zd = ee.split %z0 into 2 {folding = #ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 1>} : tensor<1x10xf32>
// CHECK-NEXT:      %d = ee.exit_decision top1(%zd) > 0.75 : tensor<1x10xf32>
// CHECK-NEXT:      %k = ee.cond_buffer %z, %d forward exit : tensor<1x10xf32>
// CHECK-NEXT:      %c = ee.cond_buffer %b, %d forward continue : tensor<1x5x16x16xf32>
// CHECK-NEXT:      ee.yield %c, %k : tensor<1x5x16x16xf32>, tensor<1x10xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    %late = ee.stage 1 reach 0.25 -> (tensor<1x10xf32>) {
// CHECK:         %out, %exit = ee.exit_merge %keep, %late : tensor<1x10xf32>
// GENERIC: "ee.stage"() <{index = 0 : i64, reach = 1.000000e+00 : f64}> ({
// GENERIC: "ee.split"(%x) : (tensor<1x5x16x16xf32>) -> (tensor<1x5x16x16xf32>, tensor<1x5x16x16xf32>)
// GENERIC: "ee.cond_buffer"(%z, %d) <{mode = "exit"}> : (tensor<1x10xf32>, i1) -> tensor<1x10xf32>
// GENERIC: "ee.exit_merge"(%keep, %late) : (tensor<1x10xf32>, tensor<1x10xf32>) -> (tensor<1x10xf32>, i32)
