// atheena-ir HLS unit library: every unit (one per header). See docs/hls_units.md.
#ifndef ATHEENA_UNITS_H
#define ATHEENA_UNITS_H

#include "accum.h"
#include "add.h"
#include "bias.h"
#include "cond_buffer.h"
#include "concat.h"
#include "conv.h"
#include "dataflow.h"
#include "exit_decision.h"
#include "exit_merge.h"
#include "fifo.h"
#include "fork.h"
#include "glue.h"
#include "hardswish.h"
#include "lanewise.h"
#include "linear.h"
#include "mac.h"
#include "pool.h"
#include "relu.h"
#include "sliding_window.h"
#include "split.h"
#include "squeeze.h"
#include "types.h"

#endif  // ATHEENA_UNITS_H
