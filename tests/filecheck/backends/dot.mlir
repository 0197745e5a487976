// RUN: atheena-opt %s -t dot | filecheck %s
// Same input, same text:
// RUN: atheena-opt %s -t dot > %t.a && atheena-opt %s -t dot > %t.b && diff %t.a %t.b

// Two stages, one exit: stages become clusters, buffers show their maps, edges their lanes and depths.
hws.design @early_exit attributes {port_maps = [array<i64: 1, 1, 4>, array<i64: 1, 1, 2>]} {
^bb0(%x: !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>):
  %cont, %keep = hws.stage 0 reach 1.0 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) {
    %f0, %f1 = hws.split %x depth [2, 2] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    %q = hws.squeeze %f1 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %z = hws.linear %q weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<1.250000e-01> : tensor<4x2x1x1xf32> acc(!hws.fixed<32, 16>) depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %z0, %z1 = hws.split %z depth [2, 2] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %d0, %d1 = hws.exit_decision %z1 classes 2 threshold 0.75 limit 87382 depth [3, 3] : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.ctrl, !hws.ctrl
    %e = hws.cond_buffer %z0, %d0 forward exit map_words 2 maps 3 depth 3 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    %c = hws.cond_buffer %f0, %d1 forward continue map_words 2 maps 3 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    hws.yield %c, %e : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
  }
  %late = hws.stage 1 reach 0.25 -> (!hws.stream<fixed<16, 8, rnd_conv, sat>, 1>) {
    %r = hws.relu %cont depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2>
    %y = hws.linear %r weights(!hws.fixed<16, 8, rnd_conv, sat>) dense<1.250000e-01> : tensor<2x2x1x2xf32> acc(!hws.fixed<32, 16>) depth 3 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 2> -> !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
    hws.yield %y : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>
  }
  %out = hws.exit_merge %keep, %late map_words 2 depth 2 : !hws.stream<fixed<16, 8, rnd_conv, sat>, 1>, !hws.stream<fixed<16, 8, rnd_conv, sat>, 1> -> !hws.result<fixed<16, 8, rnd_conv, sat>, 1>
  hws.output %out : !hws.result<fixed<16, 8, rnd_conv, sat>, 1>
}

// CHECK:      digraph "early_exit" {
// CHECK-NEXT:   rankdir=TB;
// CHECK-NEXT:   node [fontname="Helvetica", fontsize=10];
// CHECK-NEXT:   edge [fontname="Helvetica", fontsize=9];
// CHECK-NEXT:   n0 [label="in0 x", shape=ellipse];
// CHECK-NEXT:   subgraph cluster_stage0 {
// CHECK-NEXT:     label="stage 0 (reach 1)";
// CHECK-NEXT:     n1 [label="hws.split\nf0", shape=box];
// CHECK-NEXT:     n2 [label="hws.squeeze\nq", shape=box];
// CHECK-NEXT:     n3 [label="hws.linear\nz\n4x1 -> 2x1", shape=box];
// CHECK-NEXT:     n4 [label="hws.split\nz0", shape=box];
// CHECK-NEXT:     n5 [label="hws.exit_decision\nd0\n2 classes, thr 0.75", shape=box];
// CHECK-NEXT:     n6 [label="hws.cond_buffer\ne\nforward exit\n3 maps x 2 words", shape=box3d];
// CHECK-NEXT:     n7 [label="hws.cond_buffer\nc\nforward continue\n3 maps x 2 words", shape=box3d];
// CHECK-NEXT:   }
// CHECK-NEXT:   subgraph cluster_stage1 {
// CHECK-NEXT:     label="stage 1 (reach 0.25)";
// CHECK-NEXT:     n8 [label="hws.relu\nr", shape=box];
// CHECK-NEXT:     n9 [label="hws.linear\ny\n2x2 -> 2x1", shape=box];
// CHECK-NEXT:   }
// CHECK-NEXT:   n10 [label="hws.exit_merge\nout\n2 exits, 2 words", shape=box];
// CHECK-NEXT:   out0 [label="out0", shape=ellipse];
// CHECK-NEXT:   n0 -> n1 [label="L=2"];
// CHECK-NEXT:   n1 -> n2 [label="L=2, d=2"];
// CHECK-NEXT:   n2 -> n3 [label="L=1, d=2"];
// CHECK-NEXT:   n3 -> n4 [label="L=1, d=2"];
// CHECK-NEXT:   n4 -> n5 [label="L=1, d=2"];
// CHECK-NEXT:   n4 -> n6 [label="L=1, d=2"];
// CHECK-NEXT:   n5 -> n6 [label="ctrl, d=3"];
// CHECK-NEXT:   n1 -> n7 [label="L=2, d=2"];
// CHECK-NEXT:   n5 -> n7 [label="ctrl, d=3"];
// CHECK-NEXT:   n7 -> n8 [label="L=2, d=2"];
// CHECK-NEXT:   n8 -> n9 [label="L=2, d=2"];
// CHECK-NEXT:   n6 -> n10 [label="L=1, d=3"];
// CHECK-NEXT:   n9 -> n10 [label="L=1, d=3"];
// CHECK-NEXT:   n10 -> out0 [label="L=1, d=2"];
// CHECK-NEXT: }
