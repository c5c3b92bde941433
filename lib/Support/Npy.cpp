//===- Npy.cpp - NumPy .npy reader and writer -----------------------------===//
//
// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
// magic "\x93NUMPY", version, header length, a Python dict literal with
// 'descr', 'fortran_order' and 'shape', padded so data starts 64-aligned.
//
//===----------------------------------------------------------------------===//

#include "mho/Support/TensorFiles.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mho;

static llvm::Error npyError(llvm::MemoryBufferRef buffer, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 buffer.getBufferIdentifier() + ": " + msg);
}

static std::optional<ElementType> typeFromDescr(llvm::StringRef descr) {
  // '|' marks byte-sized types, '<' little-endian; big-endian is rejected.
  if (descr.size() < 2 || (descr[0] != '<' && descr[0] != '|'))
    return std::nullopt;
  llvm::StringRef code = descr.drop_front();
  if (code == "f4")
    return ElementType::F32;
  if (code == "f2")
    return ElementType::F16;
  if (code == "f8")
    return ElementType::F64;
  if (code == "i1")
    return ElementType::I8;
  if (code == "i2")
    return ElementType::I16;
  if (code == "i4")
    return ElementType::I32;
  if (code == "i8")
    return ElementType::I64;
  if (code == "u1")
    return ElementType::U8;
  if (code == "b1")
    return ElementType::Bool;
  return std::nullopt;
}

static llvm::StringRef descrFor(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return "<f4";
  case ElementType::F16:
    return "<f2";
  case ElementType::F64:
    return "<f8";
  case ElementType::I8:
    return "|i1";
  case ElementType::I16:
    return "<i2";
  case ElementType::I32:
    return "<i4";
  case ElementType::I64:
    return "<i8";
  case ElementType::U8:
    return "|u1";
  case ElementType::Bool:
    return "|b1";
  case ElementType::BF16:
    // NumPy has no bfloat16; callers convert first.
    return "";
  }
  llvm_unreachable("unknown element type");
}

/// Value of `key` in the header dict: the text up to the next top-level comma.
static std::optional<llvm::StringRef> dictValue(llvm::StringRef header,
                                                llvm::StringRef key) {
  for (char quote : {'\'', '"'}) {
    std::string quoted = std::string(1, quote) + key.str() + quote;
    size_t pos = header.find(quoted);
    if (pos == llvm::StringRef::npos)
      continue;
    llvm::StringRef rest = header.drop_front(pos + quoted.size()).ltrim();
    if (!rest.consume_front(":"))
      return std::nullopt;
    rest = rest.ltrim();
    size_t end = rest.starts_with("(") ? rest.find(')') + 1 : rest.find_first_of(",}");
    if (end == llvm::StringRef::npos || end == 0)
      return std::nullopt;
    return rest.take_front(end).trim();
  }
  return std::nullopt;
}

llvm::Expected<HostTensor> mho::parseNpy(llvm::MemoryBufferRef buffer) {
  llvm::StringRef data = buffer.getBuffer();
  if (!data.starts_with("\x93NUMPY"))
    return npyError(buffer, "not a .npy file (bad magic at byte 0)");
  if (data.size() < 10)
    return npyError(buffer, "truncated header");
  unsigned major = static_cast<unsigned char>(data[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(data[8]) |
                static_cast<unsigned char>(data[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (data.size() < 12)
      return npyError(buffer, "truncated header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = headerLen << 8 | static_cast<unsigned char>(data[8 + i]);
    headerStart = 12;
  } else {
    return npyError(buffer, llvm::formatv("unsupported .npy version {0}", major));
  }
  if (data.size() < headerStart + headerLen)
    return npyError(buffer, llvm::formatv("header of {0} bytes runs past the end of the file", headerLen));
  llvm::StringRef header = data.substr(headerStart, headerLen);

  std::optional<llvm::StringRef> descr = dictValue(header, "descr");
  std::optional<llvm::StringRef> fortran = dictValue(header, "fortran_order");
  std::optional<llvm::StringRef> shapeText = dictValue(header, "shape");
  if (!descr || !fortran || !shapeText)
    return npyError(buffer, "header lacks 'descr', 'fortran_order' or 'shape': " + header.trim());
  std::optional<ElementType> type = typeFromDescr(descr->trim("'\""));
  if (!type)
    return npyError(buffer, "unsupported dtype " + *descr + " (expected little-endian f2/f4/f8/i1/i2/i4/i8/u1/b1)");
  if (*fortran != "False")
    return npyError(buffer, "Fortran-order arrays are not supported; save with order='C'");

  llvm::SmallVector<int64_t, 4> shape;
  llvm::StringRef dims = shapeText->trim("() ");
  llvm::SmallVector<llvm::StringRef, 4> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    int64_t d;
    if (part.trim().getAsInteger(10, d) || d < 0)
      return npyError(buffer, "bad dimension '" + part.trim() + "' in shape " + *shapeText);
    shape.push_back(d);
  }

  HostTensor tensor(*type, shape);
  size_t dataStart = headerStart + headerLen;
  size_t expected = tensor.bytes.size();
  if (data.size() - dataStart != expected)
    return npyError(buffer, llvm::formatv("shape {0} of {1} needs {2} data bytes, file has {3}",
                                          *shapeText, descr->trim("'\""), expected,
                                          data.size() - dataStart));
  std::memcpy(tensor.bytes.data(), data.data() + dataStart, expected);
  return tensor;
}

llvm::Expected<HostTensor> mho::readNpyFile(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return llvm::createFileError(path, file.getError());
  return parseNpy((*file)->getMemBufferRef());
}

std::string mho::serializeNpy(const HostTensor &tensor) {
  std::string shape = "(";
  for (int64_t d : tensor.shape)
    shape += std::to_string(d) + ", ";
  if (tensor.shape.size() > 1)
    shape.resize(shape.size() - 2);
  else if (tensor.shape.size() == 1)
    shape.resize(shape.size() - 1);
  shape += ")";
  std::string header = "{'descr': '" + descrFor(tensor.type).str() +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad with spaces and a newline so the data starts 64-byte aligned.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char *>(tensor.bytes.data()), tensor.bytes.size());
  return out;
}

llvm::Error mho::writeNpyFile(llvm::StringRef path, const HostTensor &tensor) {
  if (tensor.type == ElementType::BF16)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path + ": .npy cannot hold bf16; convert to f32 first");
  return writeFileAtomically(path, serializeNpy(tensor));
}
