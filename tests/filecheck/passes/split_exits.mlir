// RUN: atheena-opt %s --split-input-file -p 'split-exits{exit-probs=0.75}' | filecheck %s
// RUN: atheena-opt %s --split-input-file -p 'split-exits' --verify-diagnostics | filecheck %s --check-prefix=NOPROBS
// RUN: atheena-opt %s --split-input-file -p 'split-exits{exit-probs=0.75,0.1}' --verify-diagnostics | filecheck %s --check-prefix=COUNT
// RUN: atheena-opt %s --split-input-file -p 'split-exits{exit-probs=1.0}' --verify-diagnostics | filecheck %s --check-prefix=SUM
// RUN: atheena-opt %s --split-input-file -p 'split-exits{exit-probs=-0.5}' --verify-diagnostics | filecheck %s --check-prefix=NEG

// One exit: the feature map %f feeds the exit branch and, buffered, the second stage.
func.func @one_exit(%x: tensor<1x4x4x4xf32>) -> tensor<1x3xf32> {
  %w = ee.constant dense<0.1> : tensor<3x64xf32>
  %f = ee.relu %x : tensor<1x4x4x4xf32>
  %flat = ee.flatten %f axis 1 : tensor<1x4x4x4xf32> -> tensor<1x64xf32>
  %z0 = ee.linear %flat, %w : (tensor<1x64xf32>, tensor<3x64xf32>) -> tensor<1x3xf32>
  %d = ee.exit_decision top1(%z0) > 0.9 : tensor<1x3xf32>
  %out = ee.exit %z0 if %d : tensor<1x3xf32> else {
    %g = ee.relu %f : tensor<1x4x4x4xf32>
    %gf = ee.flatten %g axis 1 : tensor<1x4x4x4xf32> -> tensor<1x64xf32>
    %z1 = ee.linear %gf, %w : (tensor<1x64xf32>, tensor<3x64xf32>) -> tensor<1x3xf32>
    ee.yield %z1 : tensor<1x3xf32>
  }
  func.return %out : tensor<1x3xf32>
}

// CHECK-LABEL: func.func @one_exit
// CHECK-NEXT:    %[[CONT:.*]], %[[EARLY:.*]] = ee.stage 0 reach 1.0 -> (tensor<1x4x4x4xf32>, tensor<1x3xf32>) {
// CHECK-NEXT:      %w = ee.constant dense<1.000000e-01> : tensor<3x64xf32>
// CHECK-NEXT:      %[[F:.*]] = ee.relu %x : tensor<1x4x4x4xf32>
// CHECK-NEXT:      %[[FA:.*]], %[[FB:.*]] = ee.split %[[F]] into 2 : tensor<1x4x4x4xf32>
// CHECK-NEXT:      %[[FLAT:.*]] = ee.flatten %[[FB]] axis 1
// CHECK-NEXT:      %[[Z0:.*]] = ee.linear %[[FLAT]], %w
// CHECK-NEXT:      %[[ZA:.*]], %[[ZB:.*]] = ee.split %[[Z0]] into 2 : tensor<1x3xf32>
// CHECK-NEXT:      %[[D:.*]] = ee.exit_decision top1(%[[ZB]]) > 0.9 : tensor<1x3xf32>
// CHECK-NEXT:      %[[DA:.*]], %[[DB:.*]] = ee.split %[[D]] into 2 : i1
// CHECK-NEXT:      %[[C:.*]] = ee.cond_buffer %[[FA]], %[[DB]] forward continue : tensor<1x4x4x4xf32>
// CHECK-NEXT:      %[[E:.*]] = ee.cond_buffer %[[ZA]], %[[DA]] forward exit : tensor<1x3xf32>
// CHECK-NEXT:      ee.yield %[[C]], %[[E]] : tensor<1x4x4x4xf32>, tensor<1x3xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[LATE:.*]] = ee.stage 1 reach 0.25 -> (tensor<1x3xf32>) {
// CHECK-NEXT:      %[[G:.*]] = ee.relu %[[CONT]] : tensor<1x4x4x4xf32>
// CHECK-NEXT:      %[[GF:.*]] = ee.flatten %[[G]] axis 1
// CHECK-NEXT:      %[[W1:.*]] = ee.constant dense<1.000000e-01> : tensor<3x64xf32>
// CHECK-NEXT:      %[[Z1:.*]] = ee.linear %[[GF]], %[[W1]]
// CHECK-NEXT:      ee.yield %[[Z1]] : tensor<1x3xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[OUT:.*]], %{{.*}} = ee.exit_merge %[[EARLY]], %[[LATE]] : tensor<1x3xf32>
// CHECK-NEXT:    func.return %[[OUT]] : tensor<1x3xf32>

// NOPROBS: no exit probabilities: give split-exits{exit-probs=...} (one fraction per exit) or profile the model first
// COUNT: exit-probs gives 2 value(s) but the network has 1 exit(s)
// SUM: the exit fractions [1.0] sum to 1; they must sum to less than 1
// NEG: exit 0 fraction -0.5 is not in [0, 1] (exit-probs)

// -----

// Profiled fractions on the decisions are used when the option is absent; a network
// without exits is left alone.
func.func @profiled(%z0: tensor<1x2xf32>, %z1: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %d = ee.exit_decision top1(%z0) > 0.5 {exit_fraction = 0.6 : f64} : tensor<1x2xf32>
  %out = ee.exit %z0 if %d : tensor<1x2xf32> else {
    ee.yield %z1 : tensor<1x2xf32>
  }
  func.return %out : tensor<1x2xf32>
}
func.func @no_exit(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  func.return %x : tensor<1x2xf32>
}
// CHECK-LABEL: func.func @profiled
// CHECK: ee.stage 1 reach 0.25
// CHECK-LABEL: func.func @no_exit
// CHECK-NEXT: func.return %x
// NOPROBS: ee.stage 1 reach 0.4
