// RUN: atheena-opt %s -p 'split-exits{exit-probs=0.75},fold{coarse=max}' -t report-json | filecheck %s
// RUN: atheena-opt %s -p 'split-exits{exit-probs=0.75},fold{coarse=max}' -t 'report{batch=8}' | filecheck %s --check-prefix=TEXT
// RUN: not atheena-opt %s -t report-json 2>&1 | filecheck %s --check-prefix=UNSPLIT

// One exit: two stages, the second reached by a quarter of the samples.
func.func @main(%x: tensor<1x4x4x4xf32>) -> tensor<1x3xf32> {
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

// CHECK:      {
// CHECK-NEXT:   "schema": "atheena-ir/report/v1",
// CHECK-NEXT:   "function": "main",
// CHECK-NEXT:   "platform": {
// CHECK-NEXT:     "name": "zc706",
// CHECK:        "model": {
// CHECK-NEXT:     "fidelity": "project",
// CHECK-NEXT:     "clock_hz": 125000000.0,
// CHECK-NEXT:     "batch": 1024
// CHECK-NEXT:   },
// CHECK-NEXT:   "stages": [
// CHECK-NEXT:     {
// CHECK-NEXT:       "index": 0,
// CHECK-NEXT:       "reach": 1.0,
// CHECK:            "bottleneck": "
// CHECK:            "layers": [
// CHECK-NEXT:         {
// CHECK-NEXT:           "name": "relu0",
// CHECK-NEXT:           "op": "ee.relu",
// CHECK-NEXT:           "kind": "relu",
// CHECK-NEXT:           "folding": {
// CHECK-NEXT:             "coarse_in": 4,
// CHECK-NEXT:             "coarse_out": 4,
// CHECK-NEXT:             "coarse_group": 1,
// CHECK-NEXT:             "fine": 1
// CHECK-NEXT:           },
// CHECK-NEXT:           "interval": 16.0,
// CHECK:            "name": "exit_decision0",
// CHECK:            "name": "cond_buffer0",
// CHECK:            "name": "exit_merge0",
// CHECK:            "index": 1,
// CHECK-NEXT:       "reach": 0.25,
// CHECK:        "network": {
// CHECK-NEXT:     "throughput":
// CHECK-NEXT:     "latency_s":
// CHECK-NEXT:     "limiting_stage": 0,
// CHECK:          "over_budget": []
// CHECK-NEXT:   }
// CHECK-NEXT: }

// TEXT: stage 0 (reach 1.0000)
// TEXT: stage 1 (reach 0.2500)
// TEXT: network
// TEXT-NEXT: stage   reach  throughput/s  limit T/reach (/s)
// TEXT-NEXT: 0      1.0000
// TEXT-NEXT: 1      0.2500

// UNSPLIT: atheena-opt: error: @main still has ee.exit ops: cut it into stages first (-p 'split-exits{exit-probs=...}')
