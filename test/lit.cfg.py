# -*- Python -*-
# lit configuration for mho's FileCheck tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "MHO"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
# .test files hold RUN lines for tools that read non-MLIR input; .yaml files
# are architecture files that test mho-arch on themselves (hw/arch presets
# live outside test/ and are run from .test files).
config.suffixes = [".mlir", ".test", ".yaml"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mho_obj_root, "test")
# Directories holding test data rather than tests.
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mho_src", config.mho_src_root))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.mho_tools_dir, config.llvm_tools_dir]
tools = ["mho-opt", "mho-sim", "mho-arch", "mho-translate", "mlir-opt"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
