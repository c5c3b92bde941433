//===- YamlTree.h - A YAML document held in memory with locations ---------===//
//
// Private to the Arch library. llvm::yaml::Stream is a streaming parser: a
// node can be visited once, in document order. Schema checks want to look
// keys up in any order, ask for them twice and report the keys nobody asked
// for, so the document is first copied into this small tree. Every node keeps
// its source range for diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_LIB_ARCH_YAMLTREE_H
#define MHO_LIB_ARCH_YAMLTREE_H

#include "llvm/Support/SMLoc.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm::yaml {
class Stream;
} // namespace llvm::yaml

namespace mho::arch {

class DiagnosticSink;

struct YamlNode {
  enum class Kind { Null, Scalar, Mapping, Sequence };
  struct Entry {
    std::string key;
    llvm::SMLoc keyLoc;
    std::unique_ptr<YamlNode> value;
  };

  Kind kind = Kind::Null;
  llvm::SMLoc loc;
  std::string scalar;                           ///< Scalar: unquoted text
  std::vector<Entry> entries;                   ///< Mapping, in file order
  std::vector<std::unique_ptr<YamlNode>> items; ///< Sequence

  /// For "got ..." in messages: the scalar in quotes, or "a mapping",
  /// "a list", "nothing".
  std::string describe() const;
};

/// Reads the stream's single document. Returns null after reporting to
/// `sink` when the YAML is malformed, uses anchors/aliases, or holds more
/// than one document.
std::unique_ptr<YamlNode> buildYamlTree(llvm::yaml::Stream &stream,
                                        DiagnosticSink &sink);

} // namespace mho::arch

#endif // MHO_LIB_ARCH_YAMLTREE_H
