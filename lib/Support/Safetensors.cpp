//===- Safetensors.cpp - safetensors reader and writer --------------------===//
//
// Format: 8-byte little-endian header size N, N bytes of JSON mapping tensor
// names to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative
// to the byte after the header), optional "__metadata__", then the data.
//
//===----------------------------------------------------------------------===//

#include "mho/Support/TensorFiles.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

using namespace mho;

static llvm::Error stError(llvm::MemoryBufferRef buffer, const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 buffer.getBufferIdentifier() + ": " + msg);
}

static std::optional<ElementType> typeFromDtype(llvm::StringRef dtype) {
  if (dtype == "F32")
    return ElementType::F32;
  if (dtype == "F16")
    return ElementType::F16;
  if (dtype == "BF16")
    return ElementType::BF16;
  if (dtype == "F64")
    return ElementType::F64;
  if (dtype == "I8")
    return ElementType::I8;
  if (dtype == "I16")
    return ElementType::I16;
  if (dtype == "I32")
    return ElementType::I32;
  if (dtype == "I64")
    return ElementType::I64;
  if (dtype == "U8")
    return ElementType::U8;
  if (dtype == "BOOL")
    return ElementType::Bool;
  return std::nullopt;
}

static llvm::StringRef dtypeFor(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return "F32";
  case ElementType::F16:
    return "F16";
  case ElementType::BF16:
    return "BF16";
  case ElementType::F64:
    return "F64";
  case ElementType::I8:
    return "I8";
  case ElementType::I16:
    return "I16";
  case ElementType::I32:
    return "I32";
  case ElementType::I64:
    return "I64";
  case ElementType::U8:
    return "U8";
  case ElementType::Bool:
    return "BOOL";
  }
  llvm_unreachable("unknown element type");
}

llvm::Expected<TensorSet> mho::parseSafetensors(llvm::MemoryBufferRef buffer) {
  llvm::StringRef data = buffer.getBuffer();
  if (data.size() < 8)
    return stError(buffer, "truncated: no 8-byte header size");
  uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i)
    headerSize = headerSize << 8 | static_cast<unsigned char>(data[i]);
  if (headerSize > data.size() - 8)
    return stError(buffer, llvm::formatv("header size {0} runs past the end of the {1}-byte file",
                                         headerSize, data.size()));
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(data.substr(8, headerSize));
  if (!json)
    return stError(buffer, "header is not valid JSON: " + llvm::toString(json.takeError()));
  llvm::json::Object *object = json->getAsObject();
  if (!object)
    return stError(buffer, "header is not a JSON object");

  llvm::StringRef payload = data.drop_front(8 + headerSize);
  TensorSet set;
  std::vector<std::pair<uint64_t, std::string>> order;
  for (auto &entry : *object) {
    llvm::StringRef name = entry.first;
    if (name == "__metadata__")
      continue;
    const llvm::json::Object *info = entry.second.getAsObject();
    if (!info)
      return stError(buffer, "tensor '" + name + "': entry is not an object");
    std::optional<llvm::StringRef> dtype = info->getString("dtype");
    const llvm::json::Array *shape = info->getArray("shape");
    const llvm::json::Array *offsets = info->getArray("data_offsets");
    if (!dtype || !shape || !offsets || offsets->size() != 2)
      return stError(buffer, "tensor '" + name + "': needs dtype, shape and data_offsets [begin, end]");
    std::optional<ElementType> type = typeFromDtype(*dtype);
    if (!type)
      return stError(buffer, "tensor '" + name + "': unsupported dtype " + *dtype);
    llvm::SmallVector<int64_t, 4> dims;
    for (const llvm::json::Value &d : *shape) {
      std::optional<int64_t> v = d.getAsInteger();
      if (!v || *v < 0)
        return stError(buffer, "tensor '" + name + "': shape entries must be non-negative integers");
      dims.push_back(*v);
    }
    std::optional<int64_t> begin = (*offsets)[0].getAsInteger();
    std::optional<int64_t> end = (*offsets)[1].getAsInteger();
    if (!begin || !end || *begin < 0 || *end < *begin ||
        static_cast<uint64_t>(*end) > payload.size())
      return stError(buffer, llvm::formatv("tensor '{0}': data_offsets outside the {1}-byte data section",
                                           name, payload.size()));
    HostTensor tensor(*type, dims);
    if (static_cast<uint64_t>(*end - *begin) != tensor.bytes.size())
      return stError(buffer, llvm::formatv("tensor '{0}': {1} needs {2} bytes, data_offsets give {3}",
                                           name, tensor.describe(), tensor.bytes.size(), *end - *begin));
    std::memcpy(tensor.bytes.data(), payload.data() + *begin, tensor.bytes.size());
    order.emplace_back(*begin, name.str());
    set.tensors[name] = std::move(tensor);
  }
  std::sort(order.begin(), order.end());
  for (auto &o : order)
    set.names.push_back(o.second);
  return set;
}

llvm::Expected<TensorSet> mho::readSafetensorsFile(llvm::StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return llvm::createFileError(path, file.getError());
  return parseSafetensors((*file)->getMemBufferRef());
}

std::string mho::serializeSafetensors(const TensorSet &set) {
  llvm::json::Object header;
  uint64_t offset = 0;
  for (const std::string &name : set.names) {
    const HostTensor &t = set.tensors.find(name)->second;
    llvm::json::Array shape;
    for (int64_t d : t.shape)
      shape.push_back(d);
    header[name] = llvm::json::Object{
        {"dtype", dtypeFor(t.type)},
        {"shape", std::move(shape)},
        {"data_offsets", llvm::json::Array{offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  std::string json;
  llvm::raw_string_ostream os(json);
  os << llvm::json::Value(std::move(header));
  os.flush();
  json.append((8 - json.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((uint64_t(json.size()) >> (8 * i)) & 0xff);
  out += json;
  for (const std::string &name : set.names) {
    const HostTensor &t = set.tensors.find(name)->second;
    out.append(reinterpret_cast<const char *>(t.bytes.data()), t.bytes.size());
  }
  return out;
}

llvm::Error mho::writeSafetensorsFile(llvm::StringRef path, const TensorSet &set) {
  return writeFileAtomically(path, serializeSafetensors(set));
}
