// One run checks every way to give the factors: the pipeline folds the same net eight times and
// --print-between-passes prints the IR after each fold; the groups below check the dumps in order
// (each `X-NOT: IR after` pins a group to one dump). The last, plain `fold`, resets every factor.
// RUN: printf '[Conv_0]\ncoarse_out = 4\nfine = 9\n\n[maxpool0]\ncoarse = 2\n' > %t.toml
// RUN: printf '{"Gemm_1": {"coarse_in": 2, "coarse_out": 3}, "relu0": {"coarse_in": 4}}' > %t.json
// RUN: atheena-opt %s --print-between-passes -p 'fold,fold{coarse=max fine=max},fold{coarse=3 fine=3},fold{coarse-in=1 coarse-out=max},fold{file="%t.toml" coarse=max},fold{file="%t.json"},fold' \
// RUN:   | filecheck %s --check-prefixes=MIN,MAX,BOUND,SIDES,FILE,JSON,RESET
//
// Errors: one message naming the layer, the factor and the legal values; exit code 1.
// RUN: printf '[Conv_0]\ncoarse_out = 3\n' > %t.illegal.toml
// RUN: not atheena-opt %s -p 'fold{file="%t.illegal.toml"}' 2>&1 | filecheck %s --check-prefix=ILLEGAL
// RUN: printf '[Gemm_1]\ncoarse_in = 8\n' > %t.linear.toml
// RUN: not atheena-opt %s -p 'fold{file="%t.linear.toml"}' 2>&1 | filecheck %s --check-prefix=LINEAR
// RUN: printf '[CONVOLUTION13]\nfine = 9\n' > %t.unknown.toml
// RUN: not atheena-opt %s -p 'fold{file="%t.unknown.toml"}' 2>&1 | filecheck %s --check-prefix=UNKNOWN
// RUN: printf '[exit_decision0]\ncoarse = 1\n' > %t.nofold.toml
// RUN: not atheena-opt %s -p 'fold{file="%t.nofold.toml"}' 2>&1 | filecheck %s --check-prefix=NOFOLD
// RUN: printf '[maxpool0]\ncoarse_in = 2\ncoarse_out = 4\n' > %t.tied.toml
// RUN: not atheena-opt %s -p 'fold{file="%t.tied.toml"}' 2>&1 | filecheck %s --check-prefix=TIED
// RUN: printf '[Conv_0]\nlanes = 2\n' > %t.key.toml
// RUN: not atheena-opt %s -p 'fold{file="%t.key.toml"}' 2>&1 | filecheck %s --check-prefix=KEY
// RUN: printf '[Conv_0\n' > %t.bad.toml
// RUN: not atheena-opt %s -p 'fold{file="%t.bad.toml"}' 2>&1 | filecheck %s --check-prefix=SYNTAX
// RUN: not atheena-opt %s -p 'fold{file="%t.missing.toml"}' 2>&1 | filecheck %s --check-prefix=MISSING
// RUN: not atheena-opt %s -p 'fold{coarse=0}' 2>&1 | filecheck %s --check-prefix=OPTION
// RUN: not atheena-opt %s -p 'fold{fine=most}' 2>&1 | filecheck %s --check-prefix=OPTION-FINE

// A 2-channel 8x8 map: conv (4 filters, 3x3), pool, relu, a 64->3 classifier with an exit.
func.func @net(%x: tensor<1x2x8x8xf32>) -> tensor<1x3xf32> {
  %w = ee.constant dense<0.1> : tensor<4x2x3x3xf32>
  %c = ee.conv2d %x, %w strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 {onnx_name = "Conv_0"} : (tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  %p = ee.maxpool2d %c kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x4x8x8xf32> -> tensor<1x4x4x4xf32>
  %r = ee.relu %p : tensor<1x4x4x4xf32>
  %fl = ee.flatten %r axis 1 : tensor<1x4x4x4xf32> -> tensor<1x64xf32>
  %w2 = ee.constant dense<0.1> : tensor<3x64xf32>
  %z = ee.linear %fl, %w2 {onnx_name = "Gemm_1"} : (tensor<1x64xf32>, tensor<3x64xf32>) -> tensor<1x3xf32>
  %d = ee.exit_decision top1(%z) > 0.9 : tensor<1x3xf32>
  %out = ee.exit %z if %d : tensor<1x3xf32> else {
    ee.yield %z : tensor<1x3xf32>
  }
  func.return %out : tensor<1x3xf32>
}

// Nothing given: every factor 1.
// MIN:      IR after fold:
// MIN-NOT:  IR after
// MIN:      ee.conv2d {{.*}} {onnx_name = "Conv_0", folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>}
// MIN-NEXT: ee.maxpool2d {{.*}} {folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>}
// MIN-NEXT: ee.relu {{.*}} {folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>}
// MIN-NOT:  IR after
// MIN:      ee.linear {{.*}} {onnx_name = "Gemm_1", folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>}
// MIN-NEXT: ee.exit_decision top1(%{{.*}}) > 0.9 : tensor<1x3xf32>

// `max`: the largest legal value of each op.
// MAX:      IR after fold:
// MAX-NOT:  IR after
// MAX:      ee.conv2d {{.*}}folding = #ee.fold<coarse_in = 2, coarse_out = 4, coarse_group = 1, fine = 9>
// MAX-NEXT: ee.maxpool2d {{.*}}folding = #ee.fold<coarse_in = 4, coarse_out = 4, coarse_group = 1, fine = 1>
// MAX-NEXT: ee.relu {{.*}}folding = #ee.fold<coarse_in = 4, coarse_out = 4, coarse_group = 1, fine = 1>
// MAX-NOT:  IR after
// MAX:      ee.linear {{.*}}folding = #ee.fold<coarse_in = 4, coarse_out = 3, coarse_group = 1, fine = 1>

// An integer is an upper bound: the largest legal value not above it.
// BOUND:      IR after fold:
// BOUND-NOT:  IR after
// BOUND:      ee.conv2d {{.*}}folding = #ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 3>
// BOUND-NEXT: ee.maxpool2d {{.*}}folding = #ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 1>
// BOUND-NEXT: ee.relu {{.*}}folding = #ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 1>
// BOUND-NOT:  IR after
// BOUND:      ee.linear {{.*}}folding = #ee.fold<coarse_in = 2, coarse_out = 3, coarse_group = 1, fine = 1>

// coarse-in/coarse-out bound one side; ops with one coarse factor take the smaller bound.
// SIDES:      IR after fold:
// SIDES-NOT:  IR after
// SIDES:      ee.conv2d {{.*}}folding = #ee.fold<coarse_in = 1, coarse_out = 4, coarse_group = 1, fine = 1>
// SIDES-NEXT: ee.maxpool2d {{.*}}folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>
// SIDES-NOT:  IR after
// SIDES:      ee.linear {{.*}}folding = #ee.fold<coarse_in = 1, coarse_out = 3, coarse_group = 1, fine = 1>

// File entries are exact; layers and factors it leaves out take the option bounds.
// FILE:      IR after fold:
// FILE-NOT:  IR after
// FILE:      ee.conv2d {{.*}}folding = #ee.fold<coarse_in = 2, coarse_out = 4, coarse_group = 1, fine = 9>
// FILE-NEXT: ee.maxpool2d {{.*}}folding = #ee.fold<coarse_in = 2, coarse_out = 2, coarse_group = 1, fine = 1>
// FILE-NEXT: ee.relu {{.*}}folding = #ee.fold<coarse_in = 4, coarse_out = 4, coarse_group = 1, fine = 1>
// FILE-NOT:  IR after
// FILE:      ee.linear {{.*}}folding = #ee.fold<coarse_in = 4, coarse_out = 3, coarse_group = 1, fine = 1>

// JSON works alike; one coarse factor given on a pool/relu sets both.
// JSON:      IR after fold:
// JSON-NOT:  IR after
// JSON:      ee.conv2d {{.*}}folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>
// JSON-NOT:  IR after
// JSON:      ee.relu {{.*}}folding = #ee.fold<coarse_in = 4, coarse_out = 4, coarse_group = 1, fine = 1>
// JSON-NOT:  IR after
// JSON:      ee.linear {{.*}}folding = #ee.fold<coarse_in = 2, coarse_out = 3, coarse_group = 1, fine = 1>

// A plain fold after all of them sets every factor back to 1 (the final output, after the dumps).
// RESET-NOT:  IR after
// RESET:      ee.conv2d {{.*}} {onnx_name = "Conv_0", folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>}
// RESET-NEXT: ee.maxpool2d {{.*}} {folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>}
// RESET-NEXT: ee.relu {{.*}} {folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>}
// RESET:      ee.linear {{.*}} {onnx_name = "Gemm_1", folding = #ee.fold<coarse_in = 1, coarse_out = 1, coarse_group = 1, fine = 1>}

// ILLEGAL: atheena-opt: error: fold: {{.*}}.illegal.toml: layer 'Conv_0' (ee.conv2d): coarse_out = 3 is not legal; legal values: 1, 2, 4
// The classifier's coarse_in splits the 4 channels of the map it reads (not the 64 flattened values).
// LINEAR: atheena-opt: error: fold: {{.*}}.linear.toml: layer 'Gemm_1' (ee.linear): coarse_in = 8 is not legal; legal values: 1, 2, 4
// UNKNOWN: atheena-opt: error: fold: {{.*}}.unknown.toml: unknown layer 'CONVOLUTION13'; known layers: Conv_0, maxpool0, relu0, Gemm_1
// NOFOLD: atheena-opt: error: fold: {{.*}}.nofold.toml: layer 'exit_decision0' (ee.exit_decision) has no folding in the ee dialect; foldable layers: Conv_0, maxpool0, relu0, Gemm_1
// TIED: atheena-opt: error: fold: {{.*}}.tied.toml: layer 'maxpool0' (ee.maxpool2d) has one coarse factor: coarse_in (2) and coarse_out (4) must be equal
// KEY: atheena-opt: error: fold: {{.*}}.key.toml: layer 'Conv_0': unknown factor 'lanes'; allowed: coarse_in, coarse_out, coarse_group, fine, coarse
// SYNTAX: atheena-opt: error: fold: {{.*}}.bad.toml: not valid TOML:
// MISSING: atheena-opt: error: fold: cannot read factors file '{{.*}}.missing.toml': No such file or directory
// OPTION: atheena-opt: error: fold: option coarse-in=0 must be a positive integer or 'max'
// OPTION-FINE: atheena-opt: error: fold: option fine='most' must be a positive integer or 'max'
