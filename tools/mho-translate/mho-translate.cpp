//===- mho-translate.cpp - Translate xbar programs to and from images -----===//
//
// mlir-translate with mho's translations (mho/Target/XBar/ImageTranslation.h):
//
//   mho-translate --xbar-to-image prog.mlir -o prog.mhoimg
//   mho-translate --image-to-xbar prog.mhoimg
//   mho-translate --xbar-to-asm prog.mlir
//   mho-translate --asm-to-xbar prog.s
//
// MlirTranslateMain opens `-o` in place (a ToolOutputFile deletes it on
// failure, but an existing file is truncated first and a reader can see a
// partial one). mho-translate makes the output atomic: the driver writes a
// temporary file beside the destination, which is renamed over it only when
// the translation succeeded. Outputs that are not regular files (stdout,
// /dev/null, pipes, symbolic links) are written in place.
//
//===----------------------------------------------------------------------===//

#include "mho/Target/XBar/ImageTranslation.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace {
/// Where the output file name sits in argv: `-o X`, `--o X`, `-o=X`, `--o=X`.
struct OutputArg {
  int index = -1;     ///< argv index holding the name (or `-o=name`).
  std::string prefix; ///< "-o=" or "--o=" when the name is attached.
  std::string path;   ///< The destination; "-" is stdout.
};

OutputArg findOutputArg(int argc, char **argv) {
  OutputArg result;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--")
      break;
    if ((arg == "-o" || arg == "--o") && i + 1 < argc) {
      result = {i + 1, "", argv[i + 1]};
      ++i;
      continue;
    }
    for (llvm::StringRef prefix : {"-o=", "--o="})
      if (arg.starts_with(prefix))
        result = {i, prefix.str(), arg.drop_front(prefix.size()).str()};
  }
  return result;
}
} // namespace

int main(int argc, char **argv) {
  mho::xbar::registerXBarTranslations();

  // Only a regular file (or a new one) is replaced by renaming; stdout, a
  // device such as /dev/null, a pipe or a symbolic link is written in place.
  OutputArg output = findOutputArg(argc, argv);
  llvm::sys::fs::file_status status;
  bool replaceable =
      output.index >= 0 && output.path != "-" &&
      (llvm::sys::fs::status(output.path, status, /*Follow=*/false) ||
       status.type() == llvm::sys::fs::file_type::regular_file);
  if (!replaceable)
    return mlir::failed(
        mlir::mlirTranslateMain(argc, argv, "mho translation driver\n"));

  // Point the driver at a temporary file in the destination's directory.
  llvm::SmallString<256> tempPath;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          output.path + ".tmp-%%%%%%", fd, tempPath)) {
    llvm::errs() << "mho-translate: cannot create a temporary file for '"
                 << output.path << "': " << ec.message() << "\n";
    return 1;
  }
  llvm::sys::fs::closeFile(fd);
  llvm::sys::RemoveFileOnSignal(tempPath);
  std::vector<std::string> storage(argv, argv + argc);
  storage[output.index] = output.prefix + tempPath.str().str();
  std::vector<char *> args;
  for (std::string &arg : storage)
    args.push_back(arg.data());
  args.push_back(nullptr);

  mlir::LogicalResult result =
      mlir::mlirTranslateMain(argc, args.data(), "mho translation driver\n");
  if (mlir::succeeded(result)) {
    if (std::error_code ec = llvm::sys::fs::rename(tempPath, output.path)) {
      llvm::errs() << "mho-translate: cannot rename '" << tempPath << "' to '"
                   << output.path << "': " << ec.message() << "\n";
      result = mlir::failure();
    }
  }
  if (mlir::failed(result))
    llvm::sys::fs::remove(tempPath);
  llvm::sys::DontRemoveFileOnSignal(tempPath);
  return mlir::failed(result) ? 1 : 0;
}
