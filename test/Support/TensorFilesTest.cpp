//===- TensorFilesTest.cpp - .npy and safetensors I/O ---------------------===//

#include "mho/Support/TensorFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

using namespace mho;

namespace {

HostTensor iota(ElementType type, llvm::ArrayRef<int64_t> shape) {
  HostTensor t(type, shape);
  for (size_t i = 0; i < t.bytes.size(); ++i)
    t.bytes[i] = static_cast<unsigned char>(i * 7 + 3);
  return t;
}

llvm::MemoryBufferRef ref(const std::string &bytes, llvm::StringRef name) {
  return llvm::MemoryBufferRef(bytes, name);
}

std::string errorOf(llvm::Error e) { return llvm::toString(std::move(e)); }

TEST(Npy, RoundTripsEveryType) {
  for (ElementType type : {ElementType::F32, ElementType::F16, ElementType::F64,
                           ElementType::I8, ElementType::I16, ElementType::I32,
                           ElementType::I64, ElementType::U8}) {
    HostTensor t = iota(type, {2, 3, 5});
    std::string bytes = serializeNpy(t);
    EXPECT_EQ((bytes.size() - t.bytes.size()) % 64, 0u) << "data is 64-aligned";
    llvm::Expected<HostTensor> back = parseNpy(ref(bytes, "t.npy"));
    ASSERT_TRUE(bool(back)) << errorOf(back.takeError());
    EXPECT_EQ(back->type, type);
    EXPECT_EQ(back->shape, t.shape);
    EXPECT_EQ(back->bytes, t.bytes);
  }
}

TEST(Npy, ScalarAndVectorShapes) {
  for (auto shape : {llvm::SmallVector<int64_t>{}, llvm::SmallVector<int64_t>{7}}) {
    HostTensor t = iota(ElementType::F32, shape);
    llvm::Expected<HostTensor> back = parseNpy(ref(serializeNpy(t), "s.npy"));
    ASSERT_TRUE(bool(back)) << errorOf(back.takeError());
    EXPECT_EQ(back->shape, t.shape);
  }
}

TEST(Npy, ReadsNumpyWrittenHeader) {
  // Header bytes exactly as numpy.save writes a (2, 2) float32 array.
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + char(header.size()) + '\0' + header;
  float values[4] = {1.5f, -2.f, 0.25f, 8.f};
  bytes.append(reinterpret_cast<char *>(values), sizeof(values));
  llvm::Expected<HostTensor> t = parseNpy(ref(bytes, "np.npy"));
  ASSERT_TRUE(bool(t)) << errorOf(t.takeError());
  EXPECT_EQ(t->toFloats(), std::vector<float>({1.5f, -2.f, 0.25f, 8.f}));
}

TEST(Npy, ReportsMalformedFiles) {
  std::string good = serializeNpy(iota(ElementType::F32, {4}));
  EXPECT_NE(errorOf(parseNpy(ref("PK\x03\x04", "a.npy")).takeError()).find("a.npy: not a .npy file"), std::string::npos);
  std::string truncated = good.substr(0, good.size() - 3);
  EXPECT_NE(errorOf(parseNpy(ref(truncated, "b.npy")).takeError()).find("needs 16 data bytes, file has 13"), std::string::npos);
  std::string bigEndian = good;
  bigEndian.replace(bigEndian.find("<f4"), 3, ">f4");
  EXPECT_NE(errorOf(parseNpy(ref(bigEndian, "c.npy")).takeError()).find("unsupported dtype"), std::string::npos);
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_NE(errorOf(parseNpy(ref(fortran, "d.npy")).takeError()).find("Fortran-order"), std::string::npos);
}

TEST(Safetensors, RoundTripKeepsOrderAndData) {
  TensorSet set;
  set.names = {"layer.0.weight", "layer.0.bias", "embed"};
  set.tensors["layer.0.weight"] = iota(ElementType::BF16, {4, 3});
  set.tensors["layer.0.bias"] = iota(ElementType::F32, {3});
  set.tensors["embed"] = iota(ElementType::I8, {2, 2});
  std::string bytes = serializeSafetensors(set);
  llvm::Expected<TensorSet> back = parseSafetensors(ref(bytes, "m.safetensors"));
  ASSERT_TRUE(bool(back)) << errorOf(back.takeError());
  EXPECT_EQ(back->names, set.names);
  for (const std::string &n : set.names) {
    EXPECT_EQ(back->tensors[n].type, set.tensors[n].type) << n;
    EXPECT_EQ(back->tensors[n].shape, set.tensors[n].shape) << n;
    EXPECT_EQ(back->tensors[n].bytes, set.tensors[n].bytes) << n;
  }
}

TEST(Safetensors, ReportsMalformedFiles) {
  TensorSet set;
  set.names = {"w"};
  set.tensors["w"] = iota(ElementType::F32, {2, 2});
  std::string good = serializeSafetensors(set);
  EXPECT_NE(errorOf(parseSafetensors(ref("abc", "x.st")).takeError()).find("x.st: truncated"), std::string::npos);
  std::string cut = good.substr(0, good.size() - 4);
  EXPECT_NE(errorOf(parseSafetensors(ref(cut, "y.st")).takeError()).find("tensor 'w': data_offsets outside"), std::string::npos);
  std::string badJson = good;
  badJson[8] = '[';
  EXPECT_NE(errorOf(parseSafetensors(ref(badJson, "z.st")).takeError()).find("z.st: header"), std::string::npos);
  std::string hugeHeader = good;
  hugeHeader[7] = '\x7f';
  EXPECT_NE(errorOf(parseSafetensors(ref(hugeHeader, "h.st")).takeError()).find("runs past the end"), std::string::npos);
}

TEST(AtomicFile, ReplacesWholeFileAndLeavesNoTemporary) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mho-atomic", dir));
  std::string path = (dir + "/out.npy").str();
  ASSERT_FALSE(bool(writeNpyFile(path, iota(ElementType::F32, {8}))));
  ASSERT_FALSE(bool(writeNpyFile(path, iota(ElementType::I8, {3}))));
  llvm::Expected<HostTensor> t = readNpyFile(path);
  ASSERT_TRUE(bool(t)) << errorOf(t.takeError());
  EXPECT_EQ(t->type, ElementType::I8);
  std::error_code ec;
  int entries = 0;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    ++entries;
  EXPECT_EQ(entries, 1);
  llvm::Error missingDir = writeNpyFile((dir + "/no/such/dir/x.npy").str(), iota(ElementType::F32, {1}));
  EXPECT_TRUE(bool(missingDir));
  llvm::consumeError(std::move(missingDir));
  llvm::sys::fs::remove_directories(dir);
}

} // namespace
