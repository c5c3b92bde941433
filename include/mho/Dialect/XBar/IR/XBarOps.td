//===- XBarOps.td - xbar structure and instruction ops ----*- tablegen -*-===//
//
// Structure ops (program, core, weight_block, symbol, dram_init) describe a
// program image (docs/ISA.md §5); instruction ops are ISA instructions
// (docs/ISA.md §3), one op each, with the instruction's fields as attributes.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_XBAR_IR_XBAROPS_TD
#define MHO_DIALECT_XBAR_IR_XBAROPS_TD

include "mho/Dialect/XBar/IR/XBarAttributes.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/IR/SymbolInterfaces.td"

//===----------------------------------------------------------------------===//
// Instruction interface
//===----------------------------------------------------------------------===//

def XBar_InstructionOpInterface : OpInterface<"InstructionOpInterface"> {
  let cppNamespace = "::mho::xbar";
  let description = [{
    An op that is exactly one ISA instruction. Only such ops may appear in an
    `xbar.core`.
  }];
  let methods = [
    InterfaceMethod<[{
        The instruction this op stands for (`mho::isa::Instruction`), with
        `weightBlock` as the weight-table index of `xbar.wprog`'s block
        (other ops ignore it). The op's address fields must fit their
        operands, which the op verifiers check.
      }],
      "::mho::isa::Instruction", "getInstruction",
      (ins "uint32_t":$weightBlock)>
  ];
}

class XBar_InstructionOp<string mnemonic, list<Trait> traits = []>
    : XBar_Op<mnemonic, !listconcat(traits, [HasParent<"CoreOp">,
        DeclareOpInterfaceMethods<XBar_InstructionOpInterface>])> {
  // Every instruction is checked against the ISA library's rules.
  let hasVerifier = 1;
}

// Field kinds. Addresses are 64-bit (DRAM addresses have 48 bits; the
// verifiers check that each fits its encoding), other operands 32-bit, MVM
// unit indices 8-bit, all unsigned as in the encoding.
defvar Address = UI64Attr;
defvar U32 = UI32Attr;
defvar UnitIndex = UI8Attr;

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

def XBar_ProgramOp : XBar_Op<"program", [
    IsolatedFromAbove, SymbolTable, NoRegionArguments
  ] # GraphRegionNoTerminator.traits> {
  let summary = "a program image: unit configuration, data and core streams";
  let description = [{
    One program image (docs/ISA.md §5). The region holds, in image order, the
    `xbar.weight_block`s (weight table), `xbar.symbol`s (symbol table),
    `xbar.dram_init`s (DRAM initialisers) and `xbar.core`s (instruction
    streams). Core addresses are unique.

    ```mlir
    xbar.program #xbar.unit_config<...> {
      xbar.weight_block @w0 : tensor<128x128xi8> = dense<1>
      xbar.core at <0, 0, 0> {
        xbar.wprog unit 0 @w0
        xbar.halt
      }
    }
    ```
  }];
  let arguments = (ins XBar_UnitConfigAttr:$config);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "qualified($config) attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "UnitConfigAttr":$config)>];
}

def XBar_CoreOp : XBar_Op<"core", [
    HasParent<"ProgramOp">, SingleBlock, NoRegionArguments
  ]> {
  let summary = "the instruction stream of one core";
  let description = [{
    The instructions core `<chip, tile, core>` executes, in order, ending with
    `xbar.halt`. The address must be inside the unit configuration's
    `chips × tiles × cores`.

    ```mlir
    xbar.core at <0, 3, 1> {
      xbar.nop
      xbar.halt
    }
    ```
  }];
  let arguments = (ins UI16Attr:$chip, UI16Attr:$tile, UI16Attr:$core);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `at` ` ` `<` $chip `,` $tile `,` $core `>` attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "uint16_t":$chip, "uint16_t":$tile, "uint16_t":$core)>
  ];
}

def XBar_WeightBlockOp : XBar_Op<"weight_block", [
    HasParent<"ProgramOp">, Symbol
  ]> {
  let summary = "a weight block of the image's weight table";
  let description = [{
    An integer weight matrix that `xbar.wprog` programs into an MVM unit.
    Its element width is the configuration's `weight_bits` and its shape is at
    most the crossbar's `rows × cols`. The value is a `dense<...>` attribute,
    or a `dense_resource<...>` (shape-only compilation, possibly elided).

    ```mlir
    xbar.weight_block @w0 : tensor<2x3xi8> = dense<[[1, -2, 3], [4, 5, -6]]>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, ElementsAttr:$value);
  let assemblyFormat = "$sym_name custom<TypedValue>($value) attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The weights, row-major, when the value holds them: a dense<...>
    /// attribute, or a dense_resource<...> whose blob is present and holds
    /// i8 or i16 elements. std::nullopt otherwise (e.g. elided data).
    std::optional<std::vector<int16_t>> readWeights();
  }];
}

def XBar_SymbolOp : XBar_Op<"symbol", [HasParent<"ProgramOp">, Symbol]> {
  let summary = "a host-visible tensor in DRAM (input, output or constant)";
  let description = [{
    Where the host puts an input or finds an output (symbol table of the
    image), normally in DRAM. `scale` and `zero_point` describe the
    quantisation of integer tensors (defaults 1.0 and 0).

    ```mlir
    xbar.symbol @x input : tensor<1x128xi8> at dram[0x1000] {scale = 0.5 : f32}
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    XBar_SymbolKind:$kind,
    TypeAttrOf<AnyRankedTensor>:$type,
    XBar_MemorySpace:$space,
    Address:$address,
    DefaultValuedAttr<F32Attr, "1.0f">:$scale,
    DefaultValuedAttr<I32Attr, "0">:$zero_point
  );
  let assemblyFormat = [{
    $sym_name $kind `:` $type `at` $space `[` custom<Address>($address) `]`
    attr-dict
  }];
  let hasVerifier = 1;
}

def XBar_DramInitOp : XBar_Op<"dram_init", [HasParent<"ProgramOp">]> {
  let summary = "initial DRAM contents (constants) of the image";
  let description = [{
    The bytes of `value` (little-endian, row-major) placed at `address` in
    DRAM before the program runs.

    ```mlir
    xbar.dram_init dram[0x2000] = dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins Address:$address, ElementsAttr:$value);
  let assemblyFormat = [{
    `dram` `[` custom<Address>($address) `]` `=` $value attr-dict
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Control and synchronisation
//===----------------------------------------------------------------------===//

def XBar_NopOp : XBar_InstructionOp<"nop"> {
  let summary = "no operation (opcode 0x00)";
  let assemblyFormat = "attr-dict";
}

def XBar_HaltOp : XBar_InstructionOp<"halt", [Terminator]> {
  let summary = "the core stops (opcode 0x01)";
  let assemblyFormat = "attr-dict";
}

def XBar_BarrierOp : XBar_InstructionOp<"barrier"> {
  let summary = "wait until `count` cores reached barrier `id` (opcode 0x02)";
  let arguments = (ins U32:$id, U32:$count);
  let assemblyFormat = "`id` $id `count` $count attr-dict";
}

def XBar_SendOp : XBar_InstructionOp<"send"> {
  let summary = "copy bytes to another tile's buffer (opcode 0x03)";
  let description = [{
    The destination tile is a global tile id (`chip << 16 | tile`), written
    `<chip, tile>`.

    ```mlir
    xbar.send spad[0x100] to <0, 3> tbuf[0x200] bytes 64 tag 7
    ```
  }];
  let arguments = (ins XBar_MemorySpace:$src_space, Address:$src,
                       U32:$dst_tile, Address:$dst, U32:$bytes, U32:$tag);
  let assemblyFormat = [{
    $src_space `[` custom<Address>($src) `]` `to` custom<TileId>($dst_tile)
    `tbuf` `[` custom<Address>($dst) `]` `bytes` $bytes `tag` $tag attr-dict
  }];
}

def XBar_RecvOp : XBar_InstructionOp<"recv"> {
  let summary = "wait for a matching send to arrive (opcode 0x04)";
  let arguments = (ins U32:$tag, U32:$src_tile, U32:$bytes);
  let assemblyFormat = [{
    `tag` $tag `from` custom<TileId>($src_tile) `bytes` $bytes attr-dict
  }];
}

//===----------------------------------------------------------------------===//
// Weights and crossbars
//===----------------------------------------------------------------------===//

def XBar_WProgOp : XBar_InstructionOp<"wprog", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>
  ]> {
  let summary = "program an MVM unit with a weight block (opcode 0x10)";
  let arguments = (ins UnitIndex:$unit, FlatSymbolRefAttr:$block);
  let assemblyFormat = "`unit` $unit $block attr-dict";
}

def XBar_MvmOp : XBar_InstructionOp<"mvm"> {
  let summary = "bit-sliced matrix-vector products (opcode 0x11)";
  let description = [{
    For each of `count` input vectors (`rows` i8 at `src + v·src_stride`)
    writes, or with `accumulate` adds, `cols` i32 results at
    `dst + v·dst_stride`, where `rows × cols` is the shape of the block the
    unit was last programmed with. With `count_indirect`, `count` is the spad
    address of an i32 count.

    ```mlir
    xbar.mvm unit 3 src 0x100 dst 0x400 count 16 strides [128, 512]
             {accumulate}
    ```
  }];
  let arguments = (ins UnitIndex:$unit, Address:$src, Address:$dst, U32:$count,
                       U32:$src_stride, U32:$dst_stride, UnitAttr:$accumulate,
                       UnitAttr:$count_indirect);
  let assemblyFormat = [{
    `unit` $unit `src` custom<Address>($src) `dst` custom<Address>($dst)
    `count` $count `strides` ` ` `[` $src_stride `,` $dst_stride `]` attr-dict
  }];
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def XBar_DmaOp : XBar_InstructionOp<"dma"> {
  let summary = "2-D copy between memory spaces (opcode 0x20)";
  let description = [{
    ```mlir
    xbar.dma dram[0x1000] to spad[0x0] rows 4 row_bytes 128 strides [256, 128]
    ```
  }];
  let arguments = (ins XBar_MemorySpace:$src_space, Address:$src,
                       XBar_MemorySpace:$dst_space, Address:$dst,
                       U32:$rows, U32:$row_bytes, U32:$src_stride,
                       U32:$dst_stride);
  let assemblyFormat = [{
    $src_space `[` custom<Address>($src) `]` `to`
    $dst_space `[` custom<Address>($dst) `]` `rows` $rows `row_bytes` $row_bytes
    `strides` ` ` `[` $src_stride `,` $dst_stride `]` attr-dict
  }];
}

def XBar_VGatherOp : XBar_InstructionOp<"vgather"> {
  let summary = "gather scratchpad rows by an index vector (opcode 0x21)";
  let arguments = (ins Address:$dst, Address:$src, Address:$index, U32:$count,
                       U32:$row_bytes, UnitAttr:$count_indirect);
  let assemblyFormat = [{
    `dst` custom<Address>($dst) `src` custom<Address>($src)
    `index` custom<Address>($index) `count` $count `row_bytes` $row_bytes
    attr-dict
  }];
}

def XBar_VScatterOp : XBar_InstructionOp<"vscatter"> {
  let summary = "scatter scratchpad rows by an index vector (opcode 0x22)";
  let arguments = (ins Address:$dst, Address:$src, Address:$index, U32:$count,
                       U32:$row_bytes, UnitAttr:$accumulate,
                       UnitAttr:$count_indirect);
  let assemblyFormat = [{
    `dst` custom<Address>($dst) `src` custom<Address>($src)
    `index` custom<Address>($index) `count` $count `row_bytes` $row_bytes
    attr-dict
  }];
}

def XBar_VDispatchOp : XBar_InstructionOp<"vdispatch"> {
  let summary = "route entries to per-expert slot lists (opcode 0x23)";
  let description = [{
    Mixture-of-experts dispatch: `dst_lists[e]` receives, in ascending
    order, the positions `i` of the `entries` i32 expert indices at `src`
    with `src[i] == e`, padded with -1 to `capacity`; `dst_counts[e]` how
    many there are. Negative indices are skipped.

    ```mlir
    xbar.vdispatch dst_lists 0x100 dst_counts 0x200 src 0x0 entries 8
                   experts 4 capacity 2
    ```
  }];
  let arguments = (ins Address:$dst_lists, Address:$dst_counts, Address:$src,
                       U32:$entries, U32:$experts, U32:$capacity);
  let assemblyFormat = [{
    `dst_lists` custom<Address>($dst_lists)
    `dst_counts` custom<Address>($dst_counts)
    `src` custom<Address>($src) `entries` $entries `experts` $experts
    `capacity` $capacity attr-dict
  }];
}

//===----------------------------------------------------------------------===//
// Vector unit
//===----------------------------------------------------------------------===//

def XBar_VecOp : XBar_InstructionOp<"vec"> {
  let summary = "element-wise function on a rows × cols block (opcode 0x30)";
  let description = [{
    `dst[r][c] = func(src1[r][c], s2(r, c))`, `s2` by `src2`'s mode (`elem`
    `src2[r][c]`, `row` `src2[r]`, `col` `src2[c]`). Without `src2` a binary
    function takes the immediate `imm0` (an i32 for i32 functions, else an
    f32) as its second operand. The conversions `cvt`,
    `quant` and `dequant` name their result type after `to`; `quant` takes
    1/scale in `imm0` and the zero point in `imm1`, `dequant` its scale in
    `imm0`.

    ```mlir
    xbar.vec add f32 dst 0x0 src1 0x100 src2 row 0x200 rows 4 cols 64
    xbar.vec mul f32 dst 0x0 src1 0x100 imm0 5.000000e-01 : f32 rows 4 cols 64
    xbar.vec quant f32 to i8 dst 0x0 src1 0x100 imm0 4.0 : f32 imm1 -3
             rows 4 cols 64
    ```
  }];
  let arguments = (ins
    XBar_VecFunction:$func,
    XBar_DataType:$type,
    OptionalAttr<XBar_DataType>:$result_type,
    Address:$dst,
    Address:$src1,
    OptionalAttr<XBar_Src2Mode>:$src2_mode,
    OptionalAttr<Address>:$src2,
    U32:$rows,
    U32:$cols,
    OptionalAttr<AnyAttrOf<[F32Attr, I32Attr]>>:$imm0,
    OptionalAttr<I32Attr>:$imm1
  );
  let assemblyFormat = [{
    $func $type (`to` $result_type^)?
    `dst` custom<Address>($dst) `src1` custom<Address>($src1)
    (`src2` $src2_mode^ custom<Address>($src2))?
    (`imm0` $imm0^)? (`imm1` $imm1^)?
    `rows` $rows `cols` $cols attr-dict
  }];
}

def XBar_VRedOp : XBar_InstructionOp<"vred"> {
  let summary = "reduce each row of a rows × cols block (opcode 0x31)";
  let arguments = (ins XBar_ReduceKind:$kind, XBar_DataType:$type,
                       Address:$dst, Address:$src, U32:$rows, U32:$cols);
  let assemblyFormat = [{
    $kind $type `dst` custom<Address>($dst) `src` custom<Address>($src)
    `rows` $rows `cols` $cols attr-dict
  }];
}

def XBar_VTopKOp : XBar_InstructionOp<"vtopk"> {
  let summary = "per-row top-k values and indices (opcode 0x32)";
  let arguments = (ins Address:$dst_values, Address:$dst_indices, Address:$src,
                       U32:$rows, U32:$cols, U32:$k);
  let assemblyFormat = [{
    `dst_values` custom<Address>($dst_values)
    `dst_indices` custom<Address>($dst_indices)
    `src` custom<Address>($src) `rows` $rows `cols` $cols `k` $k attr-dict
  }];
}

def XBar_DmmOp : XBar_InstructionOp<"dmm"> {
  let summary = "digital matrix product of two activations (opcode 0x33)";
  let arguments = (ins XBar_DataType:$type, Address:$dst, Address:$a,
                       Address:$b, U32:$m, U32:$k, U32:$n,
                       UnitAttr:$transpose_b, UnitAttr:$accumulate);
  let assemblyFormat = [{
    $type `dst` custom<Address>($dst) `a` custom<Address>($a)
    `b` custom<Address>($b) `m` $m `k` $k `n` $n attr-dict
  }];
}

#endif // MHO_DIALECT_XBAR_IR_XBAROPS_TD
