# Helpers that keep every mho target declared the same way.

# Link MLIR tools and libraries against Debian's libMLIR.so rather than the ~400
# static archives: links take seconds instead of minutes and a fraction of the memory.
set(MLIR_LINK_MLIR_DYLIB ON)

# Project code is warning-free under -Wall -Wextra; CI builds it with -Werror.
option(MHO_WERROR "Treat warnings in mho's own code as errors" OFF)
set(MHO_WARNING_FLAGS -Wall -Wextra)
if(MHO_WERROR)
  list(APPEND MHO_WARNING_FLAGS -Werror)
endif()

# A library built on MLIR (dialects, passes, translations). It follows LLVM's
# compile flags (no exceptions) and links MLIR through libMLIR.so.
#   add_mho_mlir_library(name src... [DEPENDS tgt...] [MLIR_LIBS MLIRIR...]
#                        [LINK_LIBS MHOFoo...])
function(add_mho_mlir_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;MLIR_LIBS;LINK_LIBS" ${ARGN})
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS}
    EXCLUDE_FROM_LIBMLIR DISABLE_INSTALL
    DEPENDS ${ARG_DEPENDS}
    LINK_LIBS PUBLIC ${ARG_LINK_LIBS})
  mlir_target_link_libraries(${name} PUBLIC ${ARG_MLIR_LIBS})
  target_compile_options(${name} PRIVATE ${MHO_WARNING_FLAGS})
endfunction()

# A plain C++ library (ISA semantics, architecture model, engines). Exceptions stay
# on so SystemC code may use it; it must not throw itself (errors are llvm::Error).
#   add_mho_library(name src... [LINK_LIBS lib...])
function(add_mho_library name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PUBLIC ${ARG_LINK_LIBS})
  target_compile_options(${name} PRIVATE ${MHO_WARNING_FLAGS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# A gtest executable registered with ctest, one ctest entry per test case.
#   add_mho_unittest(name src... [LINK_LIBS lib...])
include(GoogleTest)
function(add_mho_unittest name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS} GTest::gtest GTest::gtest_main)
  target_compile_options(${name} PRIVATE ${MHO_WARNING_FLAGS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${MHO_BINARY_DIR}/unittests)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
  set_property(GLOBAL APPEND PROPERTY MHO_TEST_DEPENDS ${name})
endfunction()
