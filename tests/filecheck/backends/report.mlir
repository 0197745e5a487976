// RUN: atheena-opt %s -p 'fold{fine=max}' -t report | filecheck %s
// RUN: atheena-opt %s -p 'fold{fine=max}' -t 'report{fidelity=atheena-v1 batch=1}' | filecheck %s --check-prefix=V1
// RUN: printf 'name = "tiny"\nclock_mhz = 100.0\n[resources]\nlut = 1000\nff = 100000\ndsp = 2\nbram18 = 100\n' > %t.tiny.toml
// RUN: atheena-opt %s -p 'fold{fine=max}' -t 'report{platform="%t.tiny.toml"}' | filecheck %s --check-prefix=OVER
//
// Errors: one message, exit code 1.
// RUN: printf 'name = "bad"\nclock_mhz = 100.0\n[resources]\nlut = -5\n' > %t.bad.toml
// RUN: not atheena-opt %s -t 'report{platform="%t.bad.toml"}' 2>&1 | filecheck %s --check-prefix=BADPLATFORM
// RUN: printf 'name = "bad\n' > %t.syntax.toml
// RUN: not atheena-opt %s -t 'report{platform="%t.syntax.toml"}' 2>&1 | filecheck %s --check-prefix=SYNTAX
// RUN: not atheena-opt %s -t 'report{platform=zc707}' 2>&1 | filecheck %s --check-prefix=UNKNOWN
// RUN: not atheena-opt %s -t 'report{fidelity=exact}' 2>&1 | filecheck %s --check-prefix=FIDELITY
// RUN: not atheena-opt %s -t 'report{batch=0}' 2>&1 | filecheck %s --check-prefix=BATCH

// A backbone without exits reports as one stage.
func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x3xf32> {
  %w = ee.constant dense<0.1> : tensor<2x1x3x3xf32>
  %c = ee.conv2d %x, %w strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 {onnx_name = "Conv_0"} : (tensor<1x1x8x8xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x8x8xf32>
  %r = ee.relu %c : tensor<1x2x8x8xf32>
  %fl = ee.flatten %r axis 1 : tensor<1x2x8x8xf32> -> tensor<1x128xf32>
  %w2 = ee.constant dense<0.1> : tensor<3x128xf32>
  %z = ee.linear %fl, %w2 {onnx_name = "Gemm_1"} : (tensor<1x128xf32>, tensor<3x128xf32>) -> tensor<1x3xf32>
  func.return %z : tensor<1x3xf32>
}

// CHECK:      atheena-ir cost report: @main on zc706 (xc7z045ffg900-2)
// CHECK-NEXT: clock 125 MHz, batch 1024, fidelity project
// CHECK-EMPTY:
// CHECK-NEXT: stage 0 (reach 1.0000)
// CHECK-NEXT:   layer        kind    c_in  c_out  c_grp  fine  interval  depth   LUT   LUT%    FF    FF%  DSP   DSP%  BRAM  BRAM%
// CHECK-NEXT:   Conv_0       conv       1      1      1     9       128     {{[0-9]+}}
// CHECK-NEXT:   relu0        relu       1      1      1     1       128      0
// CHECK-NEXT:   Gemm_1       linear     1      1      1     1       384
// CHECK-NEXT:   stage total                                         384
// CHECK-NEXT:   bottleneck Gemm_1 (384 cycles/sample), depth {{[0-9]+}} cycles
// CHECK-NEXT:   throughput {{[0-9]+\.[0-9][0-9]}} samples/s, latency {{[0-9]+\.[0-9][0-9][0-9]}} ms per batch of 1024
// The units lower-to-hws builds, as built (no accumulator: one input channel; no bias).
// CHECK-NEXT:   units built by lower-to-hws (5)
// CHECK-NEXT:     unit                   kind            lanes  depth   LUT    FF  DSP  BRAM
// CHECK-NEXT:     Conv_0/sliding_window  sliding_window   1->1
// CHECK-NEXT:     Conv_0/conv            conv             1->1  {{.*}}  9     9
// CHECK-NEXT:     Conv_0/glue            glue             1->1
// CHECK-NEXT:     relu0/relu             relu             1->1
// CHECK-NEXT:     Gemm_1/linear          linear           1->1
// CHECK-EMPTY:
// CHECK-NEXT: network
// CHECK-NEXT:   stage   reach  throughput/s  limit T/reach (/s)
// CHECK-NEXT:   0      1.0000  [[T:[0-9.]+]]  [[T]]  <- limits
// CHECK-NEXT:   throughput [[T]] samples/s (stage 0 limits), latency {{.*}} ms per batch of 1024
// CHECK-EMPTY:
// CHECK-NEXT: resources (all stages) on zc706
// CHECK-NEXT:   resource  used  on board  util
// CHECK-NEXT:   LUT       {{ *}}{{[0-9]+}}  218600
// CHECK-NEXT:   FF        {{ *}}{{[0-9]+}}  437200
// CHECK-NEXT:   DSP       {{ *}}{{[0-9]+}}     900
// CHECK-NEXT:   BRAM      {{ *}}{{[0-9]+}}    1090
// CHECK-NEXT:   fits the board

// The reference model runs at 125 MHz; a batch of 1 pays the whole pipeline depth.
// V1: clock 125 MHz, batch 1, fidelity atheena-v1
// V1: relu0        relu       1      1      1     1       128      0     0  0.00%     0  0.00%    0  0.00%     0  0.00%
// V1: latency {{.*}} ms per batch of 1
// V1-NOT: units built by lower-to-hws

// OVER: atheena-ir cost report: @main on tiny
// OVER-NEXT: clock 100 MHz, batch 1024, fidelity project
// OVER:      LUT {{.*}} 1000 {{.*}}% OVER
// OVER-NEXT: FF {{.*}} 100000 {{.*}}%{{$}}
// OVER-NEXT: DSP {{.*}} 2 {{.*}}% OVER
// OVER:      over the board: LUT, DSP

// BADPLATFORM: atheena-opt: error: {{.*}}.bad.toml: missing required key(s) resources.ff, resources.dsp, resources.bram18
// SYNTAX: atheena-opt: error: {{.*}}.syntax.toml: not valid TOML:
// UNKNOWN: atheena-opt: error: unknown platform 'zc707'; built-in platforms are u250, zc706, zcu102, zcu104, zedboard, or give the path of a .toml platform file
// FIDELITY: atheena-opt: error: unknown cost-model fidelity 'exact'; use one of 'project', 'atheena-v1'
// BATCH: atheena-opt: error: batch must be a positive integer, got 0
