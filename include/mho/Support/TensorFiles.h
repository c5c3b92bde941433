//===- TensorFiles.h - .npy and safetensors readers and writers -----------===//
//
// Model inputs, outputs and weights travel as NumPy .npy files (format 1.0-3.0)
// or safetensors files. Every malformed file is reported with its path and the
// byte offset or header field at fault; writers write atomically.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SUPPORT_TENSORFILES_H
#define MHO_SUPPORT_TENSORFILES_H

#include "mho/Support/HostTensor.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"

namespace mho {

llvm::Expected<HostTensor> parseNpy(llvm::MemoryBufferRef buffer);
llvm::Expected<HostTensor> readNpyFile(llvm::StringRef path);
std::string serializeNpy(const HostTensor &tensor);
llvm::Error writeNpyFile(llvm::StringRef path, const HostTensor &tensor);

/// Tensors of a safetensors file by name, in file order.
struct TensorSet {
  std::vector<std::string> names;
  llvm::StringMap<HostTensor> tensors;
};

llvm::Expected<TensorSet> parseSafetensors(llvm::MemoryBufferRef buffer);
llvm::Expected<TensorSet> readSafetensorsFile(llvm::StringRef path);
std::string serializeSafetensors(const TensorSet &set);
llvm::Error writeSafetensorsFile(llvm::StringRef path, const TensorSet &set);

/// Writes `contents` to `path` through a temporary file and a rename, so a
/// failure never leaves a partial file behind. Paths that exist and are not
/// regular files (devices, pipes, symbolic links) are written in place.
llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef contents);

} // namespace mho

#endif // MHO_SUPPORT_TENSORFILES_H
