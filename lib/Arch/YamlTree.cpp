//===- YamlTree.cpp - A YAML document held in memory with locations -------===//

#include "YamlTree.h"

#include "DiagnosticSink.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/YAMLParser.h"

using namespace llvm;
using namespace mho::arch;

std::string YamlNode::describe() const {
  switch (kind) {
  case Kind::Null:
    return "nothing";
  case Kind::Scalar:
    return "'" + scalar + "'";
  case Kind::Mapping:
    return "a mapping";
  case Kind::Sequence:
    return "a list";
  }
  return "";
}

namespace {

class TreeBuilder {
public:
  explicit TreeBuilder(DiagnosticSink &sink) : sink(sink) {}

  /// Copies `node`; null (after a report) when it cannot be represented.
  std::unique_ptr<YamlNode> build(yaml::Node *node);

private:
  DiagnosticSink &sink;
};

} // namespace

std::unique_ptr<YamlNode> TreeBuilder::build(yaml::Node *node) {
  auto out = std::make_unique<YamlNode>();
  if (!node)
    return out;
  out->loc = node->getSourceRange().Start;
  if (auto *scalar = dyn_cast<yaml::ScalarNode>(node)) {
    SmallString<64> storage;
    out->kind = YamlNode::Kind::Scalar;
    out->scalar = scalar->getValue(storage).str();
    return out;
  }
  if (auto *block = dyn_cast<yaml::BlockScalarNode>(node)) {
    out->kind = YamlNode::Kind::Scalar;
    out->scalar = block->getValue().str();
    return out;
  }
  if (isa<yaml::NullNode>(node))
    return out;
  if (auto *mapping = dyn_cast<yaml::MappingNode>(node)) {
    out->kind = YamlNode::Kind::Mapping;
    bool ok = true;
    for (yaml::KeyValueNode &kv : *mapping) {
      auto *key = dyn_cast_or_null<yaml::ScalarNode>(kv.getKey());
      if (!key) {
        if (kv.getKey())
          sink.report(Severity::Error, kv.getKey()->getSourceRange().Start, "",
                      "mapping keys must be plain words");
        kv.skip();
        ok = false;
        continue;
      }
      SmallString<32> storage;
      YamlNode::Entry entry;
      entry.key = key->getValue(storage).str();
      entry.keyLoc = key->getSourceRange().Start;
      entry.value = build(kv.getValue());
      if (!entry.value) {
        ok = false;
        continue;
      }
      // A key without a value points at its key: YAML gives it no place.
      if (!entry.value->loc.isValid())
        entry.value->loc = entry.keyLoc;
      out->entries.push_back(std::move(entry));
    }
    return ok ? std::move(out) : nullptr;
  }
  if (auto *sequence = dyn_cast<yaml::SequenceNode>(node)) {
    out->kind = YamlNode::Kind::Sequence;
    bool ok = true;
    for (yaml::Node &item : *sequence) {
      std::unique_ptr<YamlNode> copy = build(&item);
      if (!copy) {
        ok = false;
        continue;
      }
      out->items.push_back(std::move(copy));
    }
    return ok ? std::move(out) : nullptr;
  }
  if (isa<yaml::AliasNode>(node)) {
    sink.report(Severity::Error, out->loc, "",
                "YAML aliases are not supported: write the value out");
    return nullptr;
  }
  sink.report(Severity::Error, out->loc, "", "unsupported YAML node");
  return nullptr;
}

std::unique_ptr<YamlNode> mho::arch::buildYamlTree(yaml::Stream &stream,
                                                   DiagnosticSink &sink) {
  std::unique_ptr<YamlNode> root;
  unsigned documents = 0;
  TreeBuilder builder(sink);
  for (yaml::Document &doc : stream) {
    if (++documents == 2) {
      sink.report(Severity::Error, doc.getRoot()->getSourceRange().Start, "",
                  "expected one YAML document, found a second");
      doc.skip();
      break;
    }
    root = builder.build(doc.getRoot());
  }
  if (stream.failed() || sink.hasErrors())
    return nullptr;
  if (!root) {
    sink.report(Severity::Error, SMLoc(), "",
                "empty file: expected an architecture (docs/Architecture.md)");
    return nullptr;
  }
  return root;
}
