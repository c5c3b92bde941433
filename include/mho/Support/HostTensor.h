//===- HostTensor.h - A dense tensor in host memory -----------------------===//
//
// The value every host-side interface exchanges: model inputs and outputs of
// the engines, tensors read from .npy and safetensors files.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SUPPORT_HOSTTENSOR_H
#define MHO_SUPPORT_HOSTTENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace mho {

enum class ElementType : uint8_t { F32, F16, BF16, F64, I8, I16, I32, I64, U8, Bool };

/// Bytes per element.
unsigned elementSize(ElementType type);
/// "f32", "i8", ... as MLIR spells them.
llvm::StringRef elementTypeName(ElementType type);
std::optional<ElementType> parseElementTypeName(llvm::StringRef name);

/// A row-major, contiguous tensor owning its bytes (little-endian).
struct HostTensor {
  ElementType type = ElementType::F32;
  llvm::SmallVector<int64_t, 4> shape;
  std::vector<unsigned char> bytes;

  HostTensor() = default;
  HostTensor(ElementType type, llvm::ArrayRef<int64_t> shape);

  int64_t numElements() const;
  /// "1x128x768xf32".
  std::string describe() const;

  template <typename T> T *data() {
    return reinterpret_cast<T *>(bytes.data());
  }
  template <typename T> const T *data() const {
    return reinterpret_cast<const T *>(bytes.data());
  }
  /// The elements converted to f32 (any numeric type).
  std::vector<float> toFloats() const;
};

} // namespace mho

#endif // MHO_SUPPORT_HOSTTENSOR_H
