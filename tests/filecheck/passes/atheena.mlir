// RUN: atheena-opt %S/../../../examples/two_exit_net.mlir -p 'atheena{exit-probs=0.5,0.3 budget=0.5}' | filecheck %s
// RUN: not atheena-opt %S/../../../examples/two_exit_net.mlir -p 'atheena' 2>&1 | filecheck %s --check-prefix=NOPROBS
// RUN: not atheena-opt %S/../../../examples/two_exit_net.mlir -p 'atheena{exit-probs=bogus}' 2>&1 | filecheck %s --check-prefix=BAD

// The default flow takes the two-exit example from ee to a folded hws design in one pass:
// three stages with the reaches of the exit fractions, folding chosen by the search.
// CHECK:      hws.design @main
// CHECK:        hws.stage 0 reach 1.0
// CHECK:          hws.exit_decision {{.*}} classes 4 threshold 0.9
// CHECK:          hws.cond_buffer {{.*}} forward continue
// CHECK:          hws.cond_buffer {{.*}} forward exit
// CHECK:        hws.stage 1 reach 0.5
// CHECK:        hws.stage 2 reach 0.2
// CHECK:        hws.exit_merge

// NOPROBS: atheena: the model records no exit probabilities: give exit-probs
// BAD: atheena: exit-probs='bogus': give fractions (e.g. 0.75), 'profile' or 'recorded'
