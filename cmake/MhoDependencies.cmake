# Finds every dependency; each miss stops configuration with one line naming the
# Debian package that provides it (scripts/install-deps.sh installs them all).

# CMake wraps FATAL_ERROR text, so the one line goes out as a notice first.
function(mho_missing what package)
  message(NOTICE "mho: ${what} not found: install the Debian package '${package}' (scripts/install-deps.sh installs all)")
  message(FATAL_ERROR "missing dependency: ${package}")
endfunction()

set(MHO_LLVM_ROOT "/usr/lib/llvm-22" CACHE PATH "Root of the LLVM/MLIR 22 installation")

find_package(MLIR CONFIG QUIET HINTS "${MHO_LLVM_ROOT}/lib/cmake/mlir")
if(NOT MLIR_FOUND)
  mho_missing("MLIR 22 (MLIRConfig.cmake)" "libmlir-22-dev")
endif()
if(NOT LLVM_FOUND OR NOT LLVM_VERSION_MAJOR EQUAL 22)
  mho_missing("LLVM 22 (LLVMConfig.cmake)" "llvm-22-dev")
endif()
message(STATUS "mho: MLIR ${LLVM_PACKAGE_VERSION} from ${MLIR_DIR}")

set(LLVM_RUNTIME_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/bin)
set(LLVM_LIBRARY_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/lib)
set(MLIR_BINARY_DIR ${CMAKE_BINARY_DIR})
list(APPEND CMAKE_MODULE_PATH "${MLIR_CMAKE_DIR}" "${LLVM_CMAKE_DIR}")
# LLVMConfig.cmake reports how Debian built LLVM (no assertions); mho's own
# assertions are its own choice, applied by HandleLLVMOptions below.
option(MHO_ENABLE_ASSERTIONS "Enable assertions in mho's code" ON)
set(LLVM_ENABLE_ASSERTIONS ${MHO_ENABLE_ASSERTIONS})
include(TableGen)
include(AddLLVM)
include(AddMLIR)
include(HandleLLVMOptions)
# Pre-C++11 macros that Verilator's headers define again themselves.
get_directory_property(mho_defs COMPILE_DEFINITIONS)
list(FILTER mho_defs EXCLUDE REGEX "^__STDC_")
set_directory_properties(PROPERTIES COMPILE_DEFINITIONS "${mho_defs}")

# mlir-tblgen comes with libmlir-22-dev; the test tools with llvm-22-tools.
if(NOT EXISTS "${MLIR_TABLEGEN_EXE}" AND NOT TARGET "${MLIR_TABLEGEN_EXE}")
  find_program(MHO_MLIR_TBLGEN mlir-tblgen HINTS "${MHO_LLVM_ROOT}/bin" NO_DEFAULT_PATH)
  if(NOT MHO_MLIR_TBLGEN)
    mho_missing("mlir-tblgen" "libmlir-22-dev")
  endif()
endif()
foreach(tool FileCheck not split-file lit)
  find_program(MHO_TOOL_${tool} ${tool} HINTS "${MHO_LLVM_ROOT}/bin" NO_DEFAULT_PATH)
  if(NOT MHO_TOOL_${tool})
    mho_missing("${tool} (LLVM 22 test tool)" "llvm-22-tools")
  endif()
endforeach()
find_program(MHO_MLIR_OPT mlir-opt HINTS "${MHO_LLVM_ROOT}/bin" NO_DEFAULT_PATH)
if(NOT MHO_MLIR_OPT)
  mho_missing("mlir-opt" "mlir-22-tools")
endif()

find_package(Python3 COMPONENTS Interpreter QUIET)
if(NOT Python3_FOUND)
  mho_missing("python3 (for lit)" "python3")
endif()

find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  mho_missing("pkg-config" "pkg-config")
endif()
# Debian ships SystemC without a CMake config, only .pc files.
pkg_check_modules(SYSTEMC QUIET IMPORTED_TARGET systemc tlm)
if(NOT SYSTEMC_FOUND)
  mho_missing("SystemC 2.3.4 with TLM-2.0 (pkg-config systemc, tlm)" "libsystemc-dev")
endif()

find_package(verilator QUIET HINTS /usr/share/verilator $ENV{VERILATOR_ROOT})
if(NOT verilator_FOUND)
  mho_missing("Verilator 5 (verilator-config.cmake)" "verilator")
endif()

find_package(fmt QUIET)
if(NOT fmt_FOUND)
  mho_missing("fmt" "libfmt-dev")
endif()

find_package(GTest QUIET)
if(NOT GTest_FOUND)
  mho_missing("GoogleTest" "libgtest-dev")
endif()

find_package(benchmark QUIET)
if(NOT benchmark_FOUND)
  mho_missing("Google Benchmark" "libbenchmark-dev")
endif()

pkg_check_modules(OPENBLAS QUIET IMPORTED_TARGET openblas)
if(NOT OPENBLAS_FOUND)
  mho_missing("OpenBLAS (pkg-config openblas)" "libopenblas-dev")
endif()

find_program(MHO_YOSYS yosys)
if(NOT MHO_YOSYS)
  mho_missing("yosys (RTL synthesizability check)" "yosys")
endif()
