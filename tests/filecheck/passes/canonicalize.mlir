// RUN: atheena-opt %s --split-input-file -p canonicalize | filecheck %s

// BatchNorm after a conv folds into its weights and bias:
// s = gamma / sqrt(var + eps) = [1, 3]; w' = w * s; b' = (b - mean) * s + beta.
func.func @bn_into_conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = ee.constant dense<0.5> : tensor<2x2x1x1xf32>
  %b = ee.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %s = ee.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %t = ee.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %m = ee.constant dense<[0.5, 0.5]> : tensor<2xf32>
  %v = ee.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %c = ee.conv2d %x, %w bias %b strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 {onnx_name = "Conv_0"} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %n = ee.batchnorm %c, %s, %t, %m, %v epsilon 0.0 : tensor<1x2x4x4xf32>, tensor<2xf32>
  func.return %n : tensor<1x2x4x4xf32>
}
// CHECK-LABEL: func.func @bn_into_conv
// CHECK-NEXT:    %[[W:.*]] = ee.constant dense<{{\[}}[{{\[}}[5.000000e-01]], {{\[}}[5.000000e-01]]], {{\[}}[{{\[}}1.500000e+00]], {{\[}}[1.500000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-NEXT:    %[[B:.*]] = ee.constant dense<[7.500000e-01, -4.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %[[C:.*]] = ee.conv2d %x, %[[W]] bias %[[B]] strides [1, 1] pads [0, 0, 0, 0] dilations [1, 1] groups 1 {onnx_name = "Conv_0"}
// CHECK-NEXT:    func.return %[[C]]

// -----

// BatchNorm after a bias-less linear gets a bias; one that follows neither stays.
func.func @bn_into_linear(%x: tensor<1x3xf32>, %f: tensor<1x2x2x2xf32>) -> tensor<1x2xf32> {
  %w = ee.constant dense<1.0> : tensor<2x3xf32>
  %s = ee.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %z = ee.constant dense<0.0> : tensor<2xf32>
  %one = ee.constant dense<1.0> : tensor<2xf32>
  %l = ee.linear %x, %w : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  %n = ee.batchnorm %l, %s, %z, %z, %one epsilon 0.0 : tensor<1x2xf32>, tensor<2xf32>
  %keep = ee.batchnorm %f, %s, %z, %z, %one epsilon 0.0 : tensor<1x2x2x2xf32>, tensor<2xf32>
  "test.op"(%keep) : (tensor<1x2x2x2xf32>) -> ()
  func.return %n : tensor<1x2xf32>
}
// CHECK-LABEL: func.func @bn_into_linear
// CHECK:         ee.constant dense<{{\[}}[2.000000e+00, 2.000000e+00, 2.000000e+00], [1.000000e+00, 1.000000e+00, 1.000000e+00]]> : tensor<2x3xf32>
// CHECK:         %[[L:.*]] = ee.linear %x, %{{.*}} bias %{{.*}} : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
// CHECK:         ee.batchnorm %f
// CHECK:         func.return %[[L]]

// -----

// Reshape chains collapse; a reshape that flattens becomes ee.flatten; identities go.
func.func @reshapes(%x: tensor<1x2x4x4xf32>) -> tensor<1x32xf32> {
  %r0 = ee.reshape %x : tensor<1x2x4x4xf32> -> tensor<1x2x16xf32>
  %r1 = ee.reshape %r0 : tensor<1x2x16xf32> -> tensor<1x32xf32>
  %r2 = ee.reshape %r1 : tensor<1x32xf32> -> tensor<1x32xf32>
  %f = ee.flatten %r2 axis 1 : tensor<1x32xf32> -> tensor<1x32xf32>
  func.return %f : tensor<1x32xf32>
}
// CHECK-LABEL: func.func @reshapes
// CHECK-NEXT:    %[[F:.*]] = ee.flatten %x axis 1 : tensor<1x2x4x4xf32> -> tensor<1x32xf32>
// CHECK-NEXT:    func.return %[[F]]

// -----

// Ops on constants fold; dead values go.
func.func @constants() -> tensor<2xf32> {
  %k = ee.constant dense<[-1.0, 2.0]> : tensor<2xf32>
  %r = ee.relu %k : tensor<2xf32>
  %a = ee.add %r, %k : tensor<2xf32>
  %dead = ee.relu %a : tensor<2xf32>
  func.return %a : tensor<2xf32>
}
// CHECK-LABEL: func.func @constants
// CHECK-NEXT:    %[[C:.*]] = ee.constant dense<[-1.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    func.return %[[C]]
