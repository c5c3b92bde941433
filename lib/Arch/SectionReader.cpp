//===- SectionReader.cpp - Typed, located reads of one YAML mapping -------===//

#include "SectionReader.h"

#include "DiagnosticSink.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdlib>

using namespace llvm;
using namespace mho::arch;

/// The closest of `candidates` to `word`, if it is close enough to be a typo.
static std::optional<std::string>
closestMatch(StringRef word, ArrayRef<std::string> candidates) {
  // An abbreviation ("diff" for "differential") is a typo too.
  if (word.size() >= 3)
    for (const std::string &candidate : candidates)
      if (StringRef(candidate).starts_with(word))
        return candidate;
  std::optional<std::string> best;
  unsigned bestDistance = std::max<unsigned>(2, word.size() / 3) + 1;
  for (const std::string &candidate : candidates) {
    unsigned distance = word.edit_distance(candidate);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

/// Formats a bound for "in [1, 16]" without trailing zeros.
static std::string formatBound(double value) {
  std::string out;
  raw_string_ostream(out) << format("%g", value);
  return out;
}

SectionReader::SectionReader(DiagnosticSink &sink, const YamlNode &node,
                             std::string path)
    : sink(sink), node(node), path(std::move(path)) {
  if (this->path.empty())
    sink.recordLocation("", node.loc, node.loc);
  if (node.kind != YamlNode::Kind::Mapping) {
    sink.report(Severity::Error, node.loc, this->path,
                "expected a mapping of keys to values, got " + node.describe());
    return;
  }
  StringMap<bool> seen;
  for (const YamlNode::Entry &entry : node.entries) {
    if (!seen.insert({entry.key, true}).second) {
      sink.report(Severity::Error, entry.keyLoc, childPath(entry.key),
                  "duplicate key");
      continue;
    }
    // Problems with a scalar point at the value; problems with a section
    // or list point at its key, the line that names it.
    bool scalar = entry.value->kind == YamlNode::Kind::Scalar;
    sink.recordLocation(childPath(entry.key), entry.keyLoc,
                        scalar ? entry.value->loc : entry.keyLoc);
  }
}

std::string SectionReader::childPath(StringRef key) const {
  return path.empty() ? key.str() : path + "." + key.str();
}

const YamlNode *SectionReader::lookup(StringRef key) {
  if (!is_contained(known, key))
    known.push_back(key.str());
  if (node.kind != YamlNode::Kind::Mapping)
    return nullptr;
  for (const YamlNode::Entry &entry : node.entries)
    if (entry.key == key)
      return entry.value.get();
  return nullptr;
}

bool SectionReader::has(StringRef key) { return lookup(key) != nullptr; }

const YamlNode *SectionReader::get(StringRef key) { return lookup(key); }

void SectionReader::missing(StringRef key) {
  // Only a mapping can lack keys; any other node was reported already.
  if (node.kind != YamlNode::Kind::Mapping)
    return;
  missingKeys.push_back(key.str());
}

void SectionReader::invalid(StringRef key, const Twine &message) {
  sink.error(childPath(key), message);
}

std::optional<std::string> SectionReader::scalarAt(StringRef key,
                                                   const Twine &expected) {
  const YamlNode *value = lookup(key);
  if (value->kind != YamlNode::Kind::Scalar) {
    invalid(key, "expected " + expected + ", got " + value->describe());
    return std::nullopt;
  }
  return value->scalar;
}

std::optional<std::string>
SectionReader::readString(StringRef key, std::optional<std::string> def) {
  if (!has(key)) {
    if (!def)
      missing(key);
    return def;
  }
  return scalarAt(key, "text");
}

std::optional<std::vector<std::string>>
SectionReader::readStringList(StringRef key,
                              std::optional<std::vector<std::string>> def) {
  const YamlNode *value = lookup(key);
  if (!value) {
    if (!def)
      missing(key);
    return def;
  }
  if (value->kind != YamlNode::Kind::Sequence) {
    invalid(key, "expected a list of text, got " + value->describe());
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const auto &item : value->items) {
    if (item->kind != YamlNode::Kind::Scalar) {
      sink.report(Severity::Error, item->loc, childPath(key),
                  "expected text, got " + item->describe());
      ok = false;
      continue;
    }
    out.push_back(item->scalar);
  }
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

std::optional<bool> SectionReader::readBool(StringRef key,
                                            std::optional<bool> def) {
  if (!has(key)) {
    if (!def)
      missing(key);
    return def;
  }
  std::optional<std::string> text = scalarAt(key, "true or false");
  if (!text)
    return std::nullopt;
  std::optional<bool> value = yaml::parseBool(*text);
  if (!value)
    invalid(key, "expected true or false, got '" + *text + "'");
  return value;
}

std::optional<unsigned> SectionReader::readUnsigned(StringRef key,
                                                    unsigned min, unsigned max,
                                                    std::optional<unsigned> def) {
  if (!has(key)) {
    if (!def)
      missing(key);
    return def;
  }
  std::string expected = "an integer in [" + std::to_string(min) + ", " +
                         std::to_string(max) + "]";
  std::optional<std::string> text = scalarAt(key, expected);
  if (!text)
    return std::nullopt;
  uint64_t value = 0;
  if (StringRef(*text).trim().getAsInteger(10, value) || value < min ||
      value > max) {
    invalid(key, "expected " + expected + ", got '" + *text + "'");
    return std::nullopt;
  }
  return static_cast<unsigned>(value);
}

std::optional<double> SectionReader::readNumber(StringRef key, double min,
                                                double max, bool minExclusive,
                                                std::optional<double> def) {
  if (!has(key)) {
    if (!def)
      missing(key);
    return def;
  }
  std::string expected = "a number in " + std::string(minExclusive ? "(" : "[") +
                         formatBound(min) + ", " + formatBound(max) + "]";
  std::optional<std::string> text = scalarAt(key, expected);
  if (!text)
    return std::nullopt;
  SmallString<32> buffer(StringRef(*text).trim());
  char *end = nullptr;
  double value = std::strtod(buffer.c_str(), &end);
  bool parsed = !buffer.empty() && end == buffer.c_str() + buffer.size() &&
                std::isfinite(value);
  if (!parsed || value < min || value > max ||
      (minExclusive && value == min)) {
    invalid(key, "expected " + expected + ", got '" + *text + "'");
    return std::nullopt;
  }
  return value;
}

std::optional<double> SectionReader::readQuantity(StringRef key, Dimension dim,
                                                  Sign sign,
                                                  std::optional<double> def) {
  if (!has(key)) {
    if (!def)
      missing(key);
    return def;
  }
  std::optional<std::string> text = scalarAt(
      key, Twine("a ") + dimensionName(dim) + " such as '" +
               exampleQuantity(dim) + "'");
  if (!text)
    return std::nullopt;
  Expected<double> value = parseQuantity(*text, dim);
  if (!value) {
    invalid(key, toString(value.takeError()));
    return std::nullopt;
  }
  if ((sign == Sign::NonNegative && *value < 0) ||
      (sign == Sign::Positive && *value <= 0)) {
    invalid(key, Twine("expected a ") +
                     (sign == Sign::Positive ? "positive " : "non-negative ") +
                     dimensionName(dim) + ", got '" + *text + "'");
    return std::nullopt;
  }
  return *value;
}

std::optional<unsigned> SectionReader::readEnum(StringRef key,
                                                ArrayRef<StringRef> names,
                                                std::optional<unsigned> def) {
  if (!has(key)) {
    if (!def)
      missing(key);
    return def;
  }
  std::string choices;
  for (StringRef name : names)
    choices += (choices.empty() ? "'" : ", '") + name.str() + "'";
  std::optional<std::string> text = scalarAt(key, "one of " + choices);
  if (!text)
    return std::nullopt;
  for (auto [index, name] : enumerate(names))
    if (name == *text)
      return static_cast<unsigned>(index);
  std::vector<std::string> candidates(names.begin(), names.end());
  std::string message = "expected one of " + choices + ", got '" + *text + "'";
  if (std::optional<std::string> best = closestMatch(*text, candidates))
    message += "; did you mean '" + *best + "'?";
  invalid(key, message);
  return std::nullopt;
}

std::optional<SectionReader> SectionReader::section(StringRef key,
                                                    bool required) {
  const YamlNode *value = lookup(key);
  if (!value) {
    if (required)
      missing(key);
    return std::nullopt;
  }
  if (value->kind != YamlNode::Kind::Mapping) {
    invalid(key, "expected a mapping of keys to values, got " +
                     value->describe());
    return std::nullopt;
  }
  return SectionReader(sink, *value, childPath(key));
}

void SectionReader::finish() {
  if (node.kind != YamlNode::Kind::Mapping)
    return;
  // One line for all missing keys of a section: they share one location.
  if (!missingKeys.empty()) {
    std::string list;
    for (const std::string &key : missingKeys)
      list += (list.empty() ? "'" : ", '") + key + "'";
    sink.errorAtKey(path, Twine("missing required key") +
                              (missingKeys.size() > 1 ? "s " : " ") + list);
    missingKeys.clear();
  }
  for (const YamlNode::Entry &entry : node.entries) {
    if (is_contained(known, entry.key))
      continue;
    std::string message = "unknown key";
    if (std::optional<std::string> best = closestMatch(entry.key, known))
      message += "; did you mean '" + *best + "'?";
    else
      message += "; " + (path.empty() ? std::string("the top level") : path) +
                 " has: " + join(known, ", ");
    sink.report(Severity::Error, entry.keyLoc, childPath(entry.key), message);
  }
}
