"""The numeric model of the hardware: what the HLS units compute, bit for bit.

- `fixed_point`: fixed-point types (`FixedType`) and the numpy model of every unit's arithmetic;
- `exp_table`: the exit decision's exponential table and threshold limit;
- `layout`: the stream order of tensors and the units' weight arrays.

The dialects, the lowering, the interpreter, the HLS printer and the C simulation all import it;
it imports none of them (numpy and the standard library only).
"""
