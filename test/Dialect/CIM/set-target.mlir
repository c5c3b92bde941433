// --cim-set-target reads an architecture file into #cim.target.
// RUN: mho-opt %s --cim-set-target=arch=%mho_src/hw/arch/default.yaml | FileCheck %s
// RUN: mho-opt %s --cim-set-target=arch=%mho_src/hw/arch/sram-cim.yaml | FileCheck %s --check-prefix=SRAM
// RUN: mho-opt %s --cim-set-target=arch=%mho_src/hw/arch/pcm-hermes.yaml | FileCheck %s --check-prefix=PCM
// RUN: not mho-opt %s --cim-set-target 2>&1 | FileCheck %s --check-prefix=NOARCH
// RUN: not mho-opt %s --cim-set-target=arch=%t.missing.yaml 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not mho-opt %s --cim-set-target=arch=%mho_src/hw/arch/isaac.yaml 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: printf 'name: broken\nchip:\n  tiles: zero\n' > %t.bad.yaml
// RUN: not mho-opt %s --cim-set-target=arch=%t.bad.yaml 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK: module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true, dram_bytes = 8589934592>}
// SRAM: #cim.target<rows = 64, cols = 16, {{.*}} dac_bits = 4, adc_bits = 4, {{.*}} dmu = false, adc_shift = {{[1-9]}}
// PCM: #cim.target<rows = 256, cols = 256, weight_bits = 8, cell_bits = 7, encoding = differential
// NOARCH: error: --cim-set-target needs arch=<architecture file>
// MISSING: error: cannot use architecture '{{.*}}missing.yaml':
// WIDE: error: architecture '{{.*}}isaac.yaml': mvm_unit.input_bits = 16 is not supported: the mvm instruction reads 8-bit inputs
// BAD: error: cannot use architecture '{{.*}}bad.yaml':
// BAD: bad.yaml:3:10: error:

module {
}
