//===- XBarDialect.td - The mho ISA as MLIR ops ----------*- tablegen -*-===//
//
// The `xbar` dialect is docs/ISA.md written as MLIR: one op per instruction,
// with the instruction's fields as attributes, grouped into per-core streams
// inside an `xbar.program` that carries the unit configuration.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_DIALECT_XBAR_IR_XBARDIALECT_TD
#define MHO_DIALECT_XBAR_IR_XBARDIALECT_TD

include "mlir/IR/OpBase.td"

def XBar_Dialect : Dialect {
  let name = "xbar";
  let cppNamespace = "::mho::xbar";
  let summary = "The mho instruction set (docs/ISA.md) as MLIR operations";
  let description = [{
    An `xbar.program` holds the unit configuration of the target
    (`#xbar.unit_config<...>`), the weight blocks, host symbols and DRAM
    initialisers of a program image, and one `xbar.core` per instruction
    stream. Each op inside an `xbar.core` is exactly one ISA instruction with
    that instruction's fields as attributes; `mho-translate` converts a program
    to and from the binary image and the assembly listing.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class XBar_Op<string mnemonic, list<Trait> traits = []>
    : Op<XBar_Dialect, mnemonic, traits>;

#endif // MHO_DIALECT_XBAR_IR_XBARDIALECT_TD
