// One run checks four searches: the pipeline runs dse four times on the same net and
// --print-between-passes prints the IR after each; each group below reads its own dump (`X-NOT:
// IR after` keeps it there), the last one the final output.
// RUN: atheena-opt %s --print-between-passes -p 'dse{budget=0.2},dse{budget=1.0 constraints="conv2d.fine = 1; @Gemm_1.coarse_out = 1"},dse{objective=resources target=1000},dse{budget="dsp=20" algorithm=anneal seed=1 runs=1}' \
// RUN:   | filecheck %s --check-prefixes=BUDGET,RULES,TARGET,ANNEAL
//
// Errors: one message, exit code 1.
// RUN: not atheena-opt %s -p 'dse{budget=0.001}' 2>&1 | filecheck %s --check-prefix=SMALL
// RUN: not atheena-opt %s -p 'dse{objective=resources target=100000000}' 2>&1 | filecheck %s --check-prefix=FAST
// RUN: not atheena-opt %s -p 'dse{constraints="conv2d.fine <== 1"}' 2>&1 | filecheck %s --check-prefix=SYNTAX
// RUN: not atheena-opt %s -p 'dse{platform=nosuchboard}' 2>&1 | filecheck %s --check-prefix=BOARD
// RUN: not atheena-opt %s -p 'dse{algorithm=genetic}' 2>&1 | filecheck %s --check-prefix=ALGO

// A 2-channel 8x8 map: conv (4 filters, 3x3), pool, relu, a 64->3 classifier (no exits).
func.func @net(%x: tensor<1x2x8x8xf32>) -> tensor<1x3xf32> {
  %w = ee.constant dense<0.1> : tensor<4x2x3x3xf32>
  %c = ee.conv2d %x, %w strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 {onnx_name = "Conv_0"} : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  %p = ee.maxpool2d %c kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  %r = ee.relu %p : tensor<1x4x4x4xf32>
  %fl = ee.flatten %r axis 1 : tensor<1x4x4x4xf32> -> tensor<1x64xf32>
  %w2 = ee.constant dense<0.1> : tensor<3x64xf32>
  %z = ee.linear %fl, %w2 {onnx_name = "Gemm_1"} : (tensor<1x64xf32>, tensor<3x64xf32>) -> tensor<1x3xf32>
  func.return %z : tensor<1x3xf32>
}

// Every foldable op gets a folding; the function records the prediction.
// BUDGET:      IR after dse:
// BUDGET-NOT:  IR after
// BUDGET:      func.func @net
// BUDGET-SAME: dse.throughput = {{[0-9.e+]+}} : f64
// BUDGET-SAME: dse.resources = {lut = {{[0-9]+}} : i64, ff = {{[0-9]+}} : i64, dsp = {{[0-9]+}} : i64, bram = {{[0-9]+}} : i64}
// BUDGET-SAME: dse.utilisation = {{0\.[01][0-9]*|0\.2}} : f64
// BUDGET-SAME: dse.stage_throughputs = [{{[0-9.e+]+}} : f64]
// BUDGET-SAME: dse.platform = "zc706", dse.budget = "0.2", dse.algorithm = "exact"
// BUDGET-NOT:  IR after
// BUDGET:      ee.conv2d {{.*}}folding = #ee.fold<
// BUDGET-NOT:  IR after
// BUDGET:      ee.maxpool2d {{.*}}folding = #ee.fold<
// BUDGET-NOT:  IR after
// BUDGET:      ee.relu {{.*}}folding = #ee.fold<
// BUDGET-NOT:  IR after
// BUDGET:      ee.linear {{.*}}folding = #ee.fold<

// RULES:      IR after dse:
// RULES-NOT:  IR after
// RULES:      ee.conv2d {{.*}}fine = 1>
// RULES-NOT:  IR after
// RULES:      ee.linear {{.*}}#ee.fold<coarse_in = {{[0-9]+}}, coarse_out = 1,

// TARGET:     IR after dse:
// TARGET-NOT: IR after
// TARGET:     dse.objective = "resources"

// ANNEAL-NOT: IR after
// ANNEAL:     dse.budget = "dsp=20", dse.algorithm = "anneal"

// SMALL:  atheena-opt: error: budget 0.001 on zc706 is below the smallest design of @net; the smallest feasible budget is 0.{{[0-9]+}} of every resource
// FAST:   atheena-opt: error: target 100,000,000.0 samples/s is above what @net reaches on zc706 within budget 1: the largest reachable throughput is {{[0-9,.]+}} samples/s
// SYNTAX: atheena-opt: error: constraints:1:15: unexpected '='; expected an integer
// SYNTAX-NEXT: conv2d.fine <== 1
// SYNTAX-NEXT: {{^ +}}^
// BOARD:  atheena-opt: error: dse: unknown platform 'nosuchboard'
// ALGO:   atheena-opt: error: unknown algorithm 'genetic'; choose one of exact, anneal
