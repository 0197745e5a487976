// set-exit-thresholds: one value for every exit, or one per exit (earliest first); a changed
// threshold drops the stale profiled exit_fraction; bad options are one clear error.
// RUN: atheena-opt %s --split-input-file -p 'set-exit-thresholds{thresholds=0.8,0.95}' | filecheck %s
// RUN: atheena-opt %s --split-input-file -p 'set-exit-thresholds{thresholds=0.9}' | filecheck %s --check-prefix=ONE
// split-exits{exit-probs=...} refuses a network without exits: only the first chunk for SPLIT.
// RUN: sed '/^\/\/ -----$/,$d' %s | atheena-opt -p 'set-exit-thresholds{thresholds=0.8,0.95},split-exits{exit-probs=0.5,0.25}' | filecheck %s --check-prefix=SPLIT
// RUN: sed '/^\/\/ -----$/,$d' %s | atheena-opt -p 'split-exits{exit-probs=0.5,0.25},set-exit-thresholds{thresholds=0.8,0.95}' | filecheck %s --check-prefix=SPLIT
// RUN: atheena-opt %s --split-input-file -p 'set-exit-thresholds{thresholds=0.8,0.95,0.99}' --verify-diagnostics | filecheck %s --check-prefix=COUNT
// RUN: atheena-opt %s --split-input-file -p 'set-exit-thresholds{thresholds=1.5}' --verify-diagnostics | filecheck %s --check-prefix=RANGE
// RUN: atheena-opt %s --split-input-file -p 'set-exit-thresholds' --verify-diagnostics | filecheck %s --check-prefix=NONE
// RUN: not atheena-opt %s -p 'set-exit-thresholds{thresholds=high}' 2>&1 | filecheck %s --check-prefix=ABC

func.func @two_exits(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %a = ee.relu %x : tensor<1x4xf32>
  %d0 = ee.exit_decision top1(%a) > 0.9 {exit_fraction = 0.6 : f64} : tensor<1x4xf32>
  %out = ee.exit %a if %d0 : tensor<1x4xf32> else {
    %b = ee.relu %a : tensor<1x4xf32>
    %d1 = ee.exit_decision top1(%b) > 0.95 {exit_fraction = 0.2 : f64} : tensor<1x4xf32>
    %r = ee.exit %b if %d1 : tensor<1x4xf32> else {
      %c = ee.relu %b : tensor<1x4xf32>
      ee.yield %c : tensor<1x4xf32>
    }
    ee.yield %r : tensor<1x4xf32>
  }
  func.return %out : tensor<1x4xf32>
}

// Exit 0 changes (its fraction goes), exit 1 keeps 0.95 and its fraction.
// CHECK-LABEL: func.func @two_exits
// CHECK:         %d0 = ee.exit_decision top1(%a) > 0.8 : tensor<1x4xf32>
// CHECK:         %d1 = ee.exit_decision top1(%b) > 0.95 {exit_fraction = 2.000000e-01 : f64} : tensor<1x4xf32>

// ONE-LABEL: func.func @two_exits
// ONE:         %d0 = ee.exit_decision top1(%a) > 0.9 {exit_fraction = 6.000000e-01 : f64}
// ONE:         %d1 = ee.exit_decision top1(%b) > 0.9 : tensor<1x4xf32>

// Before or after split-exits, the decisions are numbered in order.
// SPLIT:       ee.stage 0
// SPLIT:         ee.exit_decision top1(%{{.*}}) > 0.8
// SPLIT:       ee.stage 1
// SPLIT:         ee.exit_decision top1(%{{.*}}) > 0.95

// COUNT: @two_exits: 3 thresholds for 2 exit(s); give one value for every exit or one per exit
// RANGE: threshold 1.5 is not in (0, 1)
// NONE: set-exit-thresholds needs thresholds
// ABC: atheena-opt: error: bad option for pass 'set-exit-thresholds': Incompatible types: given ('high',), expected tuple[float, ...]. Valid options: thresholds: tuple[float, ...]

// -----

// A function without exits is left alone.
func.func @no_exit(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  func.return %x : tensor<1x4xf32>
}
// CHECK-LABEL: func.func @no_exit
// CHECK-NEXT:    func.return %x
