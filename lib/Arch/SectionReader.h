//===- SectionReader.h - Typed, located reads of one YAML mapping ---------===//
//
// Private to the Arch library. A SectionReader reads the keys of one mapping
// ("mvm_unit.adc") as the schema asks for them: integers in a range,
// quantities with units, enums, nested sections. Each problem is reported to
// the sink with the key path and the value's location, and reading goes on so
// one run reports every problem. finish() then reports the keys the schema
// never asked for, suggesting the closest key it did ask for.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_LIB_ARCH_SECTIONREADER_H
#define MHO_LIB_ARCH_SECTIONREADER_H

#include "YamlTree.h"

#include "mho/Arch/Quantity.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace mho::arch {

class DiagnosticSink;

/// Which values of a quantity are legal.
enum class Sign { Any, NonNegative, Positive };

class SectionReader {
public:
  /// `node` may be any kind; a non-mapping is reported once and reads as
  /// empty. `path` is "" for the document root.
  SectionReader(DiagnosticSink &sink, const YamlNode &node, std::string path);

  const std::string &getPath() const { return path; }
  /// "path.key", or "key" at the root.
  std::string childPath(llvm::StringRef key) const;

  /// Whether `key` is written (and marks it as a known key).
  bool has(llvm::StringRef key);
  /// The value of `key`, or null when absent (marks it as a known key).
  const YamlNode *get(llvm::StringRef key);

  // Each read returns the value, the default when the key is absent, or
  // nullopt after reporting (missing without a default, or invalid).
  std::optional<std::string> readString(llvm::StringRef key,
                                        std::optional<std::string> def = {});
  std::optional<std::vector<std::string>>
  readStringList(llvm::StringRef key,
                 std::optional<std::vector<std::string>> def = {});
  std::optional<bool> readBool(llvm::StringRef key,
                               std::optional<bool> def = {});
  std::optional<unsigned> readUnsigned(llvm::StringRef key, unsigned min,
                                       unsigned max,
                                       std::optional<unsigned> def = {});
  /// A dimensionless number in [min, max] ((min, max] when `minExclusive`).
  std::optional<double> readNumber(llvm::StringRef key, double min, double max,
                                   bool minExclusive,
                                   std::optional<double> def = {});
  std::optional<double> readQuantity(llvm::StringRef key, Dimension dim,
                                     Sign sign,
                                     std::optional<double> def = {});
  /// One of `names`; returns its index.
  std::optional<unsigned> readEnum(llvm::StringRef key,
                                   llvm::ArrayRef<llvm::StringRef> names,
                                   std::optional<unsigned> def = {});

  /// The nested mapping at `key`. Absent: nullopt, reported when `required`.
  std::optional<SectionReader> section(llvm::StringRef key, bool required);

  /// Notes a missing key of this section; finish() reports them together.
  void missing(llvm::StringRef key);
  /// Reports that `key`'s value is wrong: "<path.key>: <message>".
  void invalid(llvm::StringRef key, const llvm::Twine &message);

  /// Reports the missing keys and every key the schema did not ask for.
  /// Call once, after the section's last read.
  void finish();

private:
  const YamlNode *lookup(llvm::StringRef key);
  /// The scalar text at `key`, reporting non-scalars against `expected`.
  std::optional<std::string> scalarAt(llvm::StringRef key,
                                      const llvm::Twine &expected);

  DiagnosticSink &sink;
  const YamlNode &node;
  std::string path;
  std::vector<std::string> known;
  std::vector<std::string> missingKeys;
};

} // namespace mho::arch

#endif // MHO_LIB_ARCH_SECTIONREADER_H
