// split-exits on three exits (two early + final), from the option and from profiled
// exit_fraction attributes, and its option errors.
// RUN: atheena-opt %s --split-input-file -p 'split-exits{exit-probs=0.5,0.2}' | filecheck %s
// RUN: atheena-opt %s --split-input-file -p 'split-exits' --verify-diagnostics | filecheck %s --check-prefix=PROFILED
// RUN: not atheena-opt %s -p 'split-exits{exit-probs=abc}' 2>&1 | filecheck %s --check-prefix=ABC
// RUN: not atheena-opt %s -p 'split-exits{probs=0.5}' 2>&1 | filecheck %s --check-prefix=NAME
// RUN: atheena-opt %s --split-input-file -p 'split-exits{exit-probs=0.7,0.4}' --verify-diagnostics | filecheck %s --check-prefix=SUM
// RUN: atheena-opt %s --split-input-file -p 'split-exits{exit-probs=0.5}' --verify-diagnostics | filecheck %s --check-prefix=COUNT

// Profiling recorded a fraction on only one of the two exits: not usable.
func.func @half_profiled(%z0: tensor<1x2xf32>, %z1: tensor<1x2xf32>, %z2: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %d0 = ee.exit_decision top1(%z0) > 0.5 {exit_fraction = 0.5 : f64} : tensor<1x2xf32>
  %out = ee.exit %z0 if %d0 : tensor<1x2xf32> else {
    %d1 = ee.exit_decision top1(%z1) > 0.5 : tensor<1x2xf32>
    %r = ee.exit %z1 if %d1 : tensor<1x2xf32> else {
      ee.yield %z2 : tensor<1x2xf32>
    }
    ee.yield %r : tensor<1x2xf32>
  }
  func.return %out : tensor<1x2xf32>
}
// CHECK-LABEL: func.func @half_profiled
// CHECK: ee.stage 2 reach 0.3
// PROFILED: @half_profiled: no exit probabilities: give split-exits{exit-probs=...}

// -----

func.func @three(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %a = ee.relu %x : tensor<1x4xf32>
  %d0 = ee.exit_decision top1(%a) > 0.9 {exit_fraction = 0.6 : f64} : tensor<1x4xf32>
  %out = ee.exit %a if %d0 : tensor<1x4xf32> else {
    %b = ee.relu %a : tensor<1x4xf32>
    %d1 = ee.exit_decision top1(%b) > 0.8 {exit_fraction = 0.25 : f64} : tensor<1x4xf32>
    %r = ee.exit %b if %d1 : tensor<1x4xf32> else {
      %c = ee.relu %b : tensor<1x4xf32>
      ee.yield %c : tensor<1x4xf32>
    }
    ee.yield %r : tensor<1x4xf32>
  }
  func.return %out : tensor<1x4xf32>
}

// Stage k holds the layers before exit k, its decision and the two buffers; one merge.
// CHECK-LABEL: func.func @three
// CHECK-NEXT:    %[[A:.*]], %[[E0:.*]] = ee.stage 0 reach 1.0 -> (tensor<1x4xf32>, tensor<1x4xf32>) {
// CHECK-NEXT:      %[[R0:.*]] = ee.relu %x
// CHECK-NEXT:      %[[S0:.*]], %[[S1:.*]], %[[S2:.*]] = ee.split %[[R0]] into 3
// CHECK-NEXT:      %[[D0:.*]] = ee.exit_decision top1(%[[S2]]) > 0.9
// CHECK-NEXT:      %[[DA:.*]], %[[DB:.*]] = ee.split %[[D0]] into 2 : i1
// CHECK-NEXT:      %[[C0:.*]] = ee.cond_buffer %[[S1]], %[[DB]] forward continue
// CHECK-NEXT:      %[[X0:.*]] = ee.cond_buffer %[[S0]], %[[DA]] forward exit
// CHECK-NEXT:      ee.yield %[[C0]], %[[X0]]
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[B:.*]], %[[E1:.*]] = ee.stage 1 reach 0.5 -> (tensor<1x4xf32>, tensor<1x4xf32>) {
// CHECK-NEXT:      %[[R1:.*]] = ee.relu %[[A]]
// CHECK:           ee.exit_decision top1(%{{.*}}) > 0.8
// CHECK:           ee.cond_buffer %{{.*}} forward continue
// CHECK-NEXT:      ee.cond_buffer %{{.*}} forward exit
// CHECK:         %[[E2:.*]] = ee.stage 2 reach 0.3 -> (tensor<1x4xf32>) {
// CHECK-NEXT:      %[[R2:.*]] = ee.relu %[[B]]
// CHECK-NEXT:      ee.yield %[[R2]]
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[OUT:.*]], %{{.*}} = ee.exit_merge %[[E0]], %[[E1]], %[[E2]] : tensor<1x4xf32>
// CHECK-NEXT:    func.return %[[OUT]]

// Without exit-probs the profiled fractions give the reaches: 1, 1 - 0.6, 1 - 0.6 - 0.25.
// PROFILED: ee.stage 0 reach 1.0
// PROFILED: ee.stage 1 reach 0.4
// PROFILED: ee.stage 2 reach 0.15

// ABC: atheena-opt: error: bad option for pass 'split-exits': Incompatible types: given ('abc',), expected tuple[float, ...]. Valid options: exit-probs: tuple[float, ...]
// NAME: atheena-opt: error: unknown option 'probs' for pass 'split-exits'. Did you mean 'exit-probs'? Valid options: exit-probs: tuple[float, ...]
// SUM: the exit fractions [0.7, 0.4] sum to 1.1; they must sum to less than 1
// COUNT: exit-probs gives 1 value(s) but the network has 2 exit(s)

