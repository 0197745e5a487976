// RUN: atheena-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%w = "test.op"() : () -> tensor<8x3x3x3xf32>
%y = "ee.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 2 : i64}> : (tensor<1x4x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK: weight has shape 8x3x3x3, expected 8x2x3x3

// -----

%x = "test.op"() : () -> tensor<1x3x8x8xf32>
%w = "test.op"() : () -> tensor<8x1x3x3xf32>
%y = "ee.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 2 : i64}> : (tensor<1x3x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK: input channels (3) and filters (8) must be divisible by groups (2)

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%w = "test.op"() : () -> tensor<8x4x3x3xf32>
%y = "ee.conv2d"(%x, %w) <{strides = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK: strides must be >= 1, got [0, 1]

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%w = "test.op"() : () -> tensor<8x4x3x3xf32>
%y = "ee.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, pads = array<i64: 0, -1, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK: pads must be >= 0, got [0, -1, 0, 0]

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%w = "test.op"() : () -> tensor<8x4x3x3xf32>
%y = "ee.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32>
// CHECK: result has shape 1x8x8x8, expected 1x8x6x6

// -----

%x = "test.op"() : () -> tensor<4x8x8xf32>
%w = "test.op"() : () -> tensor<8x4x3x3xf32>
%y = "ee.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64}> : (tensor<4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK: input must have rank 4, got tensor<4x8x8xf32>

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%w = "test.op"() : () -> tensor<8x4x3x3xf32>
%y = "ee.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64, folding = #ee.fold<coarse_in = 3, coarse_out = 1, coarse_group = 1, fine = 1>}> : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK: 'ee.conv2d': folding factor coarse_in = 3 is not legal; allowed: 1, 2, 4

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%w = "test.op"() : () -> tensor<8x4x3x3xf32>
%y = "ee.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64, folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 4>}> : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
// CHECK: 'ee.conv2d': folding factor fine = 4 is not legal; allowed: 1, 3, 9

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%y = "ee.maxpool2d"(%x) <{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, folding = #ee.fold<coarse_in = 2, coarse_out = 4, coarse_group = 1, fine = 1>}> : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
// CHECK: coarse_in (2) and coarse_out (4) must be equal on this op

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%y = "ee.maxpool2d"(%x) <{kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>}> : (tensor<1x4x8x8xf32>) -> tensor<1x4x5x4xf32>
// CHECK: pads [2, 0, 0, 0] must be smaller than the kernel [2, 2]

// -----

%x = "test.op"() : () -> tensor<1x4x3x3xf32>
%y = "ee.avgpool2d"(%x) <{kernel = array<i64: 5, 5>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}> : (tensor<1x4x3x3xf32>) -> tensor<1x4x1x1xf32>
// CHECK: the 5x5 window does not fit the 3x3 input

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%y = "ee.global_avgpool"(%x) : (tensor<1x4x8x8xf32>) -> tensor<1x4xf32>
// CHECK: result has shape 1x4, expected 1x4x1x1

// -----

%x = "test.op"() : () -> tensor<1x640xf32>
%w = "test.op"() : () -> tensor<10x64xf32>
%y = "ee.linear"(%x, %w) : (tensor<1x640xf32>, tensor<10x64xf32>) -> tensor<1x10xf32>
// CHECK: weight has shape 10x64, expected 10x640

// -----

%x = "test.op"() : () -> tensor<1x640xf32>
%w = "test.op"() : () -> tensor<10x640xf32>
%b = "test.op"() : () -> tensor<12xf32>
%y = "ee.linear"(%x, %w, %b) : (tensor<1x640xf32>, tensor<10x640xf32>, tensor<12xf32>) -> tensor<1x10xf32>
// CHECK: bias has shape 12, expected 10

// -----

%x = "test.op"() : () -> tensor<1x10xf32>
%y = "ee.softmax"(%x) <{axis = 2 : i64}> : (tensor<1x10xf32>) -> tensor<1x10xf32>
// CHECK: axis 2 is out of range for rank 2

// -----

%x = "test.op"() : () -> tensor<1x10xf32>
%y = "test.op"() : () -> tensor<1x12xf32>
%z = "ee.add"(%x, %y) : (tensor<1x10xf32>, tensor<1x12xf32>) -> tensor<1x10xf32>
// CHECK: operand 'rhs' at position 1 does not verify

// -----

%x = "test.op"() : () -> tensor<1x16x4x4xf32>
%s = "test.op"() : () -> tensor<8xf32>
%y = "ee.batchnorm"(%x, %s, %s, %s, %s) <{epsilon = 1.0e-05 : f64}> : (tensor<1x16x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x16x4x4xf32>
// CHECK: scale has shape 8, expected 16

// -----

%x = "test.op"() : () -> tensor<1x10x8x8xf32>
%y = "ee.flatten"(%x) <{axis = 1 : i64}> : (tensor<1x10x8x8xf32>) -> tensor<1x600xf32>
// CHECK: result has shape 1x600, expected 1x640

// -----

%x = "test.op"() : () -> tensor<1x640xf32>
%y = "ee.reshape"(%x) : (tensor<1x640xf32>) -> tensor<1x10x8x7xf32>
// CHECK: cannot reshape 1x640 (640 elements) to 1x10x8x7 (560 elements)

// -----

%x = "test.op"() : () -> tensor<1x10x8x8xf32>
%y = "test.op"() : () -> tensor<1x6x4x8xf32>
%z = "ee.concat"(%x, %y) <{axis = 1 : i64}> : (tensor<1x10x8x8xf32>, tensor<1x6x4x8xf32>) -> tensor<1x16x8x8xf32>
// CHECK: input 1 has shape 1x6x4x8, which does not match 1x10x8x8 outside axis 1

// -----

%c = "ee.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
// CHECK: result type tensor<3xf32> differs from the value's type tensor<2xf32>

// -----

%z = "test.op"() : () -> tensor<1x10xf32>
%d = "ee.exit_decision"(%z) <{criterion = "top1", threshold = 1.5 : f64}> : (tensor<1x10xf32>) -> i1
// CHECK: threshold must lie in (0, 1), got 1.5

// -----

%z = "test.op"() : () -> tensor<1x10xf32>
%d = "ee.exit_decision"(%z) <{criterion = "entropy", threshold = 0.5 : f64}> : (tensor<1x10xf32>) -> i1
// CHECK: unknown exit criterion 'entropy', expected one of: top1

// -----

%z = "test.op"() : () -> tensor<2x10xf32>
%d = "ee.exit_decision"(%z) <{criterion = "top1", threshold = 0.5 : f64}> : (tensor<2x10xf32>) -> i1
// CHECK: logits must hold one sample's scores of at least 2 classes (shape 1x...x1xC), got 2x10

// -----

%z = "test.op"() : () -> tensor<1x10xf32>
%d = "test.op"() : () -> i1
%o = "ee.exit"(%z, %d) ({
  %w = "test.op"() : () -> tensor<1x5xf32>
  "ee.yield"(%w) : (tensor<1x5xf32>) -> ()
}) : (tensor<1x10xf32>, i1) -> tensor<1x10xf32>
// CHECK: the region yields (tensor<1x5xf32>) but the exit's result is tensor<1x10xf32>: every exit must give the same type

// -----

"func.func"() <{sym_name = "f", function_type = () -> ()}> ({
  %a = "test.op"() : () -> tensor<1x10xf32>
  "ee.yield"(%a) : (tensor<1x10xf32>) -> ()
}) : () -> ()
// CHECK: 'ee.yield' expects parent op 'ee.exit' or 'ee.stage', got 'func.func'

// -----

%r = "ee.stage"() <{index = 1 : i64, reach = 1.25 : f64}> ({
  %a = "test.op"() : () -> tensor<1x10xf32>
  "ee.yield"(%a) : (tensor<1x10xf32>) -> ()
}) : () -> tensor<1x10xf32>
// CHECK: reach probability must lie in (0, 1], got 1.25

// -----

%r = "ee.stage"() <{index = 1 : i64, reach = 0.5 : f64}> ({
  %a = "test.op"() : () -> tensor<1x10xf32>
  "ee.yield"(%a) : (tensor<1x10xf32>) -> ()
}) : () -> tensor<1x12xf32>
// CHECK: the region yields (tensor<1x10xf32>) but the stage returns (tensor<1x12xf32>)

// -----

%x = "test.op"() : () -> tensor<1x10xf32>
%a = "ee.split"(%x) : (tensor<1x10xf32>) -> tensor<1x10xf32>
// CHECK: a split needs at least 2 results, got 1

// -----

%x = "test.op"() : () -> tensor<1x10xf32>
%a, %b = "ee.split"(%x) : (tensor<1x10xf32>) -> (tensor<1x10xf32>, tensor<1x11xf32>)
// CHECK: result 1 has type tensor<1x11xf32>, expected tensor<1x10xf32>

// -----

%x = "test.op"() : () -> tensor<1x10xf32>
%d = "test.op"() : () -> i1
%b = "ee.cond_buffer"(%x, %d) <{mode = "always"}> : (tensor<1x10xf32>, i1) -> tensor<1x10xf32>
// CHECK: unknown buffer mode 'always', expected one of: exit, continue

// -----

%x = "test.op"() : () -> tensor<1x10xf32>
%o, %i = "ee.exit_merge"(%x) : (tensor<1x10xf32>) -> (tensor<1x10xf32>, i32)
// CHECK: an exit merge needs at least 2 inputs, got 1

// -----

%x = "test.op"() : () -> tensor<1x10xf32>
%y = ee.split %x into 1 : tensor<1x10xf32>
// CHECK: a split needs at least 2 results, got 1

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%y = ee.relu %x {folding = #ee.fold<coarse = 2>} : tensor<1x4x8x8xf32>
// CHECK: unknown folding factor 'coarse', expected one of coarse_in, coarse_out, coarse_group, fine

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%y = ee.relu %x {folding = #ee.fold<coarse_in = 0>} : tensor<1x4x8x8xf32>
// CHECK: folding factor coarse_in must be >= 1, got 0

// -----

%x = "test.op"() : () -> tensor<1x10x8x8xf32>
%w = "test.op"() : () -> tensor<4x640xf32>
%f = "ee.flatten"(%x) <{axis = 1 : i64}> : (tensor<1x10x8x8xf32>) -> tensor<1x640xf32>
%y = "ee.linear"(%f, %w) <{folding = #ee.fold<coarse_in = 64, coarse_out = 1, coarse_group = 1, fine = 1>}> : (tensor<1x640xf32>, tensor<4x640xf32>) -> tensor<1x4xf32>
// CHECK: 'ee.linear': folding factor coarse_in = 64 is not legal; allowed: 1, 2, 5, 10

// -----

%x = "test.op"() : () -> tensor<1x4x8x8xf32>
%w = "test.op"() : () -> tensor<8x4x1x3xf32>
%y = "ee.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64, folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 3>}> : (tensor<1x4x8x8xf32>, tensor<8x4x1x3xf32>) -> tensor<1x8x8x6xf32>
// CHECK-NOT: folding factor fine = 3 is not legal
