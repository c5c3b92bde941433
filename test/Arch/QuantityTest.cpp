//===- QuantityTest.cpp - Units in architecture files ---------------------===//

#include "mho/Arch/Quantity.h"

#include <gtest/gtest.h>

using namespace mho::arch;

namespace {

double parse(const char *text, Dimension dim) {
  llvm::Expected<double> value = parseQuantity(text, dim);
  if (!value) {
    ADD_FAILURE() << llvm::toString(value.takeError());
    return -1;
  }
  return *value;
}

std::string parseError(const char *text, Dimension dim) {
  llvm::Expected<double> value = parseQuantity(text, dim);
  if (value) {
    ADD_FAILURE() << "'" << text << "' parsed as " << *value;
    return "";
  }
  return llvm::toString(value.takeError());
}

} // namespace

TEST(Quantity, ParsesEveryDimensionToSI) {
  EXPECT_DOUBLE_EQ(parse("2 mW", Dimension::Power), 2e-3);
  EXPECT_DOUBLE_EQ(parse("100 ns", Dimension::Time), 100e-9);
  EXPECT_DOUBLE_EQ(parse("0.0012 mm2", Dimension::Area), 0.0012e-6);
  EXPECT_DOUBLE_EQ(parse("1.2 GHz", Dimension::Frequency), 1.2e9);
  EXPECT_DOUBLE_EQ(parse("64 KiB", Dimension::Size), 65536);
  EXPECT_DOUBLE_EQ(parse("6.4 GB/s", Dimension::Bandwidth), 6.4e9);
  EXPECT_DOUBLE_EQ(parse("25 uS", Dimension::Conductance), 25e-6);
  EXPECT_DOUBLE_EQ(parse("100 kohm", Dimension::Resistance), 100e3);
  EXPECT_DOUBLE_EQ(parse("1.56 pJ", Dimension::Energy), 1.56e-12);
  EXPECT_DOUBLE_EQ(parse("0.4 V", Dimension::Voltage), 0.4);
}

TEST(Quantity, AcceptsSpellingsPapersUse) {
  EXPECT_DOUBLE_EQ(parse("25\xC2\xB5S", Dimension::Conductance), 25e-6)
      << "micro sign, no space";
  EXPECT_DOUBLE_EQ(parse("25 \xCE\xBCS", Dimension::Conductance), 25e-6)
      << "Greek mu";
  EXPECT_DOUBLE_EQ(parse("2 k\xCE\xA9", Dimension::Resistance), 2e3);
  EXPECT_DOUBLE_EQ(parse("1600 um^2", Dimension::Area), 1600e-12);
  EXPECT_DOUBLE_EQ(parse("1e-3 J", Dimension::Energy), 1e-3);
  EXPECT_DOUBLE_EQ(parse("-1.1731 uS", Dimension::Conductance), -1.1731e-6);
  EXPECT_DOUBLE_EQ(parse("64 kB", Dimension::Size), 64000) << "decimal kilo";
  EXPECT_DOUBLE_EQ(parse("8 Gbit/s", Dimension::Bandwidth), 1e9);
}

TEST(Quantity, PlainNumberNamesTheDimension) {
  EXPECT_EQ(parseError("1.2", Dimension::Frequency),
            "expected a frequency with a unit (e.g. '1.2 GHz'), got a plain "
            "number '1.2'");
  EXPECT_EQ(parseError("0", Dimension::Power),
            "expected a power with a unit (e.g. '2 mW'), got a plain number "
            "'0'");
}

TEST(Quantity, WrongDimensionSaysWhich) {
  EXPECT_EQ(parseError("10 ns", Dimension::Energy),
            "expected an energy (e.g. '1.56 pJ'), got a time '10 ns'");
  EXPECT_EQ(parseError("2 mW", Dimension::Energy),
            "expected an energy (e.g. '1.56 pJ'), got a power '2 mW'; "
            "energies are per event: multiply the power by the event's time "
            "(docs/Architecture.md, \"Energy convention\")");
}

TEST(Quantity, UnitsAreCaseSensitiveWithSuggestions) {
  EXPECT_EQ(parseError("2 mw", Dimension::Power),
            "unknown unit 'mw' in '2 mw' for a power; did you mean 'mW'?");
  EXPECT_EQ(parseError("3 furlongs", Dimension::Time),
            "unknown unit 'furlongs' in '3 furlongs' for a time");
}

TEST(Quantity, AmbiguousUnitsAreRejected) {
  EXPECT_EQ(parseError("64 KB", Dimension::Size),
            "ambiguous unit 'KB' in '64 KB': write 'KiB' (1024 bytes) or "
            "'kB' (1000 bytes)");
  EXPECT_EQ(parseError("8 Gb/s", Dimension::Bandwidth),
            "ambiguous unit 'Gb/s' in '8 Gb/s': write bits as 'bit/s' (e.g. "
            "'Gbit/s') or bytes as 'B/s' (e.g. 'GB/s')");
}

TEST(Quantity, NotANumber) {
  EXPECT_EQ(parseError("fast", Dimension::Frequency),
            "expected a frequency such as '1.2 GHz', got 'fast'");
}

TEST(Quantity, FormatsWithPrefixes) {
  EXPECT_EQ(formatQuantity(1.5625e-12, Dimension::Energy), "1.562 pJ");
  EXPECT_EQ(formatQuantity(1.5625e-12, Dimension::Energy, 5), "1.5625 pJ");
  EXPECT_EQ(formatQuantity(100e-9, Dimension::Time), "100 ns");
  EXPECT_EQ(formatQuantity(85.4e-6, Dimension::Area), "85.4 mm2");
  EXPECT_EQ(formatQuantity(0.0012e-6, Dimension::Area), "0.0012 mm2");
  EXPECT_EQ(formatQuantity(25e-12, Dimension::Area), "25 um2");
  EXPECT_EQ(formatQuantity(65536, Dimension::Size), "64 KiB");
  EXPECT_EQ(formatQuantity(1.2e9, Dimension::Frequency), "1.2 GHz");
  EXPECT_EQ(formatQuantity(0, Dimension::Power), "0 W");
}
