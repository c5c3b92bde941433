//===- AtomicFile.cpp - Write a file through a temporary and a rename -----===//

#include "mho/Support/TensorFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

llvm::Error mho::writeFileAtomically(llvm::StringRef path,
                                     llvm::StringRef contents) {
  // Only a regular file (or a new one) is replaced by a rename; a device such
  // as /dev/null, a pipe or a symbolic link is written in place.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status, /*Follow=*/false) &&
      status.type() != llvm::sys::fs::file_type::regular_file) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec)
      return llvm::createFileError(path, ec);
    os << contents;
    os.close();
    if (os.has_error()) {
      ec = os.error();
      os.clear_error();
      return llvm::createFileError(path, ec);
    }
    return llvm::Error::success();
  }
  llvm::SmallString<256> model(path);
  model += ".tmp-%%%%%%";
  int fd;
  llvm::SmallString<256> temp;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, temp))
    return llvm::createFileError(path, ec);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << contents;
    os.close();
    if (os.has_error()) {
      std::error_code ec = os.error();
      os.clear_error();
      llvm::sys::fs::remove(temp);
      return llvm::createFileError(path, ec);
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    return llvm::createFileError(path, ec);
  }
  return llvm::Error::success();
}
