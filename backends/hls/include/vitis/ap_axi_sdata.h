// A stand-in for Vitis HLS's <ap_axi_sdata.h> in g++ C simulation (never synthesised; Vitis uses its
// own header, found first on its include path since this folder is not passed to it).
// ap_axiu<D, U, TI, TD>: one AXI4-Stream beat, D data bits, with the side channels Vitis gives it
// (TKEEP, TSTRB, TUSER, TLAST, TID, TDEST); a zero width holds one unused bit here.
#ifndef ATHEENA_AP_AXI_SDATA_STANDIN_H
#define ATHEENA_AP_AXI_SDATA_STANDIN_H

#ifdef __SYNTHESIS__
#error "include/vitis/ap_axi_sdata.h stands in for Vitis's header in g++ builds only"
#endif

#include <ap_int.h>

template <int D, int U, int TI, int TD>
struct ap_axiu {
  ap_uint<D> data;
  ap_uint<(D + 7) / 8> keep;
  ap_uint<(D + 7) / 8> strb;
  ap_uint<(U > 0 ? U : 1)> user;
  ap_uint<1> last;
  ap_uint<(TI > 0 ? TI : 1)> id;
  ap_uint<(TD > 0 ? TD : 1)> dest;
};

#endif  // ATHEENA_AP_AXI_SDATA_STANDIN_H
