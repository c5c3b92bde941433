//===- HostTensor.cpp - A dense tensor in host memory ---------------------===//

#include "mho/Support/HostTensor.h"

#include "llvm/ADT/StringSwitch.h"

#include <cassert>

using namespace mho;

unsigned mho::elementSize(ElementType type) {
  switch (type) {
  case ElementType::F64:
  case ElementType::I64:
    return 8;
  case ElementType::F32:
  case ElementType::I32:
    return 4;
  case ElementType::F16:
  case ElementType::BF16:
  case ElementType::I16:
    return 2;
  case ElementType::I8:
  case ElementType::U8:
  case ElementType::Bool:
    return 1;
  }
  llvm_unreachable("unknown element type");
}

llvm::StringRef mho::elementTypeName(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return "f32";
  case ElementType::F16:
    return "f16";
  case ElementType::BF16:
    return "bf16";
  case ElementType::F64:
    return "f64";
  case ElementType::I8:
    return "i8";
  case ElementType::I16:
    return "i16";
  case ElementType::I32:
    return "i32";
  case ElementType::I64:
    return "i64";
  case ElementType::U8:
    return "ui8";
  case ElementType::Bool:
    return "i1";
  }
  llvm_unreachable("unknown element type");
}

std::optional<ElementType> mho::parseElementTypeName(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<ElementType>>(name)
      .Case("f32", ElementType::F32)
      .Case("f16", ElementType::F16)
      .Case("bf16", ElementType::BF16)
      .Case("f64", ElementType::F64)
      .Case("i8", ElementType::I8)
      .Case("i16", ElementType::I16)
      .Case("i32", ElementType::I32)
      .Case("i64", ElementType::I64)
      .Case("ui8", ElementType::U8)
      .Case("i1", ElementType::Bool)
      .Default(std::nullopt);
}

HostTensor::HostTensor(ElementType type, llvm::ArrayRef<int64_t> shape)
    : type(type), shape(shape.begin(), shape.end()) {
  bytes.assign(numElements() * elementSize(type), 0);
}

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string HostTensor::describe() const {
  std::string s;
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + elementTypeName(type).str();
}

static float bf16ToFloat(uint16_t bits) {
  uint32_t wide = uint32_t{bits} << 16;
  float f;
  std::memcpy(&f, &wide, 4);
  return f;
}

static float f16ToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000 | (mant << 13);
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {
    // Subnormal half: normalise into a float.
    int shift = 0;
    while (!(mant & 0x400)) {
      mant <<= 1;
      ++shift;
    }
    bits = sign | ((113 - shift) << 23) | ((mant & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::vector<float> HostTensor::toFloats() const {
  int64_t n = numElements();
  std::vector<float> out(n);
  const unsigned char *p = bytes.data();
  for (int64_t i = 0; i < n; ++i) {
    switch (type) {
    case ElementType::F32:
      std::memcpy(&out[i], p + 4 * i, 4);
      break;
    case ElementType::F64: {
      double d;
      std::memcpy(&d, p + 8 * i, 8);
      out[i] = static_cast<float>(d);
      break;
    }
    case ElementType::F16:
    case ElementType::BF16: {
      uint16_t h;
      std::memcpy(&h, p + 2 * i, 2);
      out[i] = type == ElementType::F16 ? f16ToFloat(h) : bf16ToFloat(h);
      break;
    }
    case ElementType::I8:
      out[i] = static_cast<int8_t>(p[i]);
      break;
    case ElementType::U8:
    case ElementType::Bool:
      out[i] = p[i];
      break;
    case ElementType::I16: {
      int16_t v;
      std::memcpy(&v, p + 2 * i, 2);
      out[i] = v;
      break;
    }
    case ElementType::I32: {
      int32_t v;
      std::memcpy(&v, p + 4 * i, 4);
      out[i] = static_cast<float>(v);
      break;
    }
    case ElementType::I64: {
      int64_t v;
      std::memcpy(&v, p + 8 * i, 8);
      out[i] = static_cast<float>(v);
      break;
    }
    }
  }
  return out;
}
