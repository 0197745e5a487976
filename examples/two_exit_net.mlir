// A small network with two early exits and a final classifier (1x8x8 input, 4 classes).
// Exit 0 after the first conv block (threshold 0.9), exit 1 after the second (0.8).
// Try: atheena-opt examples/two_exit_net.mlir -p canonicalize,cse
builtin.module {
  func.func @main(%0: tensor<1x1x8x8xf32>) -> tensor<1x4xf32> {
    %1 = ee.constant dense<[[[[0.000000e+00, 1.500000e-01, -1.400000e-01], [-4.500000e-01, -2.300000e-01, -5.000000e-01], [3.000000e-02, 6.700000e-01, -2.500000e-01]]], [[[-3.100000e-01, 2.400000e-01, 1.800000e-01], [5.000000e-02, -4.700000e-01, -1.000000e-02], [3.500000e-01, -6.700000e-01, -2.300000e-01]]]]> : tensor<2x1x3x3xf32>
    %2 = ee.constant dense<[-9.500000e-01, -6.400000e-01]> : tensor<2xf32>
    %3 = ee.conv2d %0, %1 bias %2 strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x1x8x8xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
    %4 = ee.relu %3 : tensor<1x2x8x8xf32>
    %5 = ee.maxpool2d %4 kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
    %6 = ee.flatten %5 axis 1 : tensor<1x2x4x4xf32> -> tensor<1x32xf32>
    %7 = ee.constant dense<"0x1F856BBF8FC2F5BDAE4721BF295C0F3E0AD7A33DEC51B8BDAE47A1BF713D8ABE0AD7A3BC8FC2753DB81E45BF8FC275BE48E1FABECDCCCCBE14AE073FCDCCCCBE0AD7A3BCAE47E13EE17A94BE8FC275BD8FC2753D8FC2F53CF6281CBF0AD7233D7B142E3FB81E45BFF628DC3E8FC2753D0AD7A3BE0000803F5C8FC23E9A9919BF0AD7233DE17A943EEC51B8BD7B14AE3E8FC2F5BCC3F5A83EEC51383F7B14AEBECDCCCC3D1F856BBE8FC2753D3D0A17BFE17A94BECDCCCCBD6666E63E85EB113FC3F528BFCDCCCCBE0AD7A33E000080BF1F856BBECDCC4CBDAE47213F7B14AE3E0AD723BEEC5138BEB81E05BE5C8F423F3D0A57BE9A9919BEEC51383E8FC275BDCDCCCCBD295C0FBF0AD723BCAE4761BEE17A143FC3F5A83E0AD723BCC3F5A83E7B142EBE14AE073F00000080E17A943E666626BF7B142E3E3D0A57BF5C8F82BF9A9919BE6666E6BE0AD7A33D295C8F3F3D0AD7BE52B89EBECDCCCC3D0000803EEC51B8BDCDCCCCBD3333B33EB81E853EB81E05BF0AD723BD0AD7A33C14AE07BFB81E053EF628DCBE48E1FA3ECDCCCC3D0AD7233D9A9999BE8FC275BD000080BF85EB11BFEC51383E14AE87BF3D0AD73E52B85EBF5C8FC23E3D0AD7BE14AEC73E295C8F3DB81E45BF52B81E3FEC51383F8FC2F5BC295C0FBE0AD7A3BD48E1FABECDCC0C3F713D8ABE8FC2F5BCCDCCCCBE52B89EBE0AD723BFAE47213F0AD7A3BD"> : tensor<4x32xf32>
    %8 = ee.constant dense<[4.800000e-01, 1.000000e-02, -3.500000e-01, -1.600000e-01]> : tensor<4xf32>
    %9 = ee.linear %6, %7 bias %8 : (tensor<1x32xf32>, tensor<4x32xf32>, tensor<4xf32>) -> tensor<1x4xf32>
    %10 = ee.exit_decision top1(%9) > 0.9 : tensor<1x4xf32>
    %11 = ee.exit %9 if %10 : tensor<1x4xf32> else {
      %12 = ee.constant dense<[[[[-2.800000e-01, 0.000000e+00, -1.900000e-01], [-1.500000e-01, -6.900000e-01, -4.000000e-01], [8.300000e-01, -3.400000e-01, -5.300000e-01]], [[1.700000e-01, 7.000000e-01, -7.300000e-01], [-1.000000e-01, -3.200000e-01, -8.800000e-01], [3.700000e-01, -1.000000e-02, 4.000000e-02]]], [[[-3.800000e-01, 2.300000e-01, -2.700000e-01], [-7.000000e-02, -5.500000e-01, -6.100000e-01], [6.700000e-01, -2.500000e-01, 1.500000e-01]], [[-2.000000e-02, -2.200000e-01, -2.500000e-01], [3.200000e-01, -1.500000e-01, -8.000000e-02], [1.000000e-02, 5.900000e-01, 3.400000e-01]]], [[[1.900000e-01, -2.800000e-01, -6.900000e-01], [4.700000e-01, 4.800000e-01, -7.000000e-02], [2.700000e-01, 3.900000e-01, 4.200000e-01]], [[4.600000e-01, -2.300000e-01, 7.600000e-01], [-6.200000e-01, 4.300000e-01, 2.500000e-01], [4.400000e-01, 9.400000e-01, 7.400000e-01]]], [[[-5.700000e-01, -8.400000e-01, 4.100000e-01], [-5.100000e-01, -1.000000e-02, 4.200000e-01], [-8.200000e-01, -1.050000e+00, 1.300000e-01]], [[2.000000e-02, -1.200000e-01, 2.000000e-02], [-4.300000e-01, -7.600000e-01, -8.000000e-02], [-4.900000e-01, -8.200000e-01, 2.500000e-01]]]]> : tensor<4x2x3x3xf32>
      %13 = ee.constant dense<[-3.000000e-02, 2.000000e-01, -4.900000e-01, -3.300000e-01]> : tensor<4xf32>
      %14 = ee.conv2d %5, %12 bias %13 strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x2x4x4xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
      %15 = ee.relu %14 : tensor<1x4x4x4xf32>
      %16 = ee.global_avgpool %15 : tensor<1x4x4x4xf32> -> tensor<1x4x1x1xf32>
      %17 = ee.flatten %16 axis 1 : tensor<1x4x1x1xf32> -> tensor<1x4xf32>
      %18 = ee.constant dense<[[-5.000000e-01, -4.400000e-01, 1.000000e-01, -3.900000e-01], [1.800000e-01, 1.700000e-01, 1.010000e+00, -7.000000e-01], [4.400000e-01, -4.000000e-02, -1.000000e-02, -7.200000e-01], [-2.300000e-01, 3.700000e-01, -4.000000e-02, 4.000000e-02]]> : tensor<4x4xf32>
      %19 = ee.constant dense<[-1.500000e-01, 5.800000e-01, -1.000000e-02, -1.100000e+00]> : tensor<4xf32>
      %20 = ee.linear %17, %18 bias %19 : (tensor<1x4xf32>, tensor<4x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
      %21 = ee.exit_decision top1(%20) > 0.8 : tensor<1x4xf32>
      %22 = ee.exit %20 if %21 : tensor<1x4xf32> else {
        %23 = ee.maxpool2d %15 kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x4x4x4xf32> -> tensor<1x4x2x2xf32>
        %24 = ee.flatten %23 axis 1 : tensor<1x4x2x2xf32> -> tensor<1x16xf32>
        %25 = ee.constant dense<[[-3.500000e-01, -9.800000e-01, -1.630000e+00, -2.700000e-01, 6.700000e-01, 2.000000e-02, -5.900000e-01, -4.700000e-01, 5.700000e-01, 8.000000e-02, 2.000000e-02, -3.000000e-02, 2.000000e-02, 4.000000e-01, 2.800000e-01, 1.100000e-01], [-5.200000e-01, 2.600000e-01, -3.400000e-01, 5.500000e-01, -6.400000e-01, -7.000000e-02, -0.000000e+00, -6.600000e-01, 8.600000e-01, 7.300000e-01, -2.300000e-01, 3.900000e-01, 1.900000e-01, -1.310000e+00, 1.300000e-01, -3.000000e-02], [4.000000e-02, -5.400000e-01, -1.300000e-01, -9.000000e-02, 5.900000e-01, 1.700000e-01, -0.000000e+00, 7.600000e-01, -2.800000e-01, -1.900000e-01, -9.100000e-01, 7.800000e-01, 4.800000e-01, 4.600000e-01, 3.300000e-01, 6.000000e-02], [1.100000e-01, -1.300000e-01, -1.000000e-01, 3.000000e-02, 7.600000e-01, 2.800000e-01, -3.000000e-02, -2.900000e-01, -3.200000e-01, 8.000000e-01, 2.500000e-01, 3.000000e-02, -1.700000e-01, -5.500000e-01, -3.000000e-02, 4.400000e-01]]> : tensor<4x16xf32>
        %26 = ee.constant dense<[-2.000000e-01, -1.100000e-01, -1.100000e-01, 5.000000e-02]> : tensor<4xf32>
        %27 = ee.linear %24, %25 bias %26 : (tensor<1x16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<1x4xf32>
        ee.yield %27 : tensor<1x4xf32>
      }
      ee.yield %22 : tensor<1x4xf32>
    }
    func.return %11 : tensor<1x4xf32>
  }
}
