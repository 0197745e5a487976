// RUN: ROUNDTRIP
// RUN: GENERIC_ROUNDTRIP
// RUN: atheena-opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: atheena-opt %s --split-input-file -p canonicalize | filecheck %s --check-prefix=FOLD

// ee.hardswish: custom and generic round trip, with and without a folding.
func.func @hardswish(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %0 = ee.hardswish %x : tensor<1x4x8x8xf32>
  %1 = ee.hardswish %0 {folding = #ee.fold<coarse_in = 2, coarse_out = 2>} : tensor<1x4x8x8xf32>
  func.return %1 : tensor<1x4x8x8xf32>
}
// CHECK-LABEL: func.func @hardswish
// CHECK-NEXT:    %0 = ee.hardswish %x : tensor<1x4x8x8xf32>
// CHECK-NEXT:    %1 = ee.hardswish %0 {folding = #ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 1>} : tensor<1x4x8x8xf32>
// GENERIC: %0 = "ee.hardswish"(%x) : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
// FOLD-LABEL: func.func @hardswish

// -----

// A constant operand folds: hardswish(-4, -1, 0, 1, 4) = (-0, -1/3, 0, 2/3, 4), in float32 as
// onnxruntime computes it (x * clip(x / 6 + 1/2, 0, 1): -1/3 rounds to -0.333333313).
func.func @fold() -> tensor<5xf32> {
  %c = ee.constant dense<[-4.0, -1.0, 0.0, 1.0, 4.0]> : tensor<5xf32>
  %r = ee.hardswish %c : tensor<5xf32>
  func.return %r : tensor<5xf32>
}
// CHECK-LABEL: func.func @fold
// FOLD-LABEL: func.func @fold
// FOLD-NEXT:    %r = ee.constant dense<[-0.000000e+00, -0.333333313, 0.000000e+00, 0.666666687, 4.000000e+00]> : tensor<5xf32>
// FOLD-NEXT:    func.return %r

