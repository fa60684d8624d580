"""The llama.cpp that `make` builds runs on every x86-64 machine it lands on.

llama.cpp's default build (-march=native) emits every instruction the build machine advertises;
on a VM that advertises AMX without granting a process its tile state, the first large batch died
with SIGILL (issue 10). These tests keep such a build from landing again: no AMX instruction in
the CPU backend, no instruction set the OS has not enabled, and a Makefile that rebuilds a
llama.cpp built with other flags instead of reusing it.
"""

from __future__ import annotations

import platform
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AMX_MNEMONICS = re.compile(r"\b(tilezero|tileloadd\w*|tilestored|tilerelease|ldtilecfg|sttilecfg|tdp\w+ps|tdpb[su]{2}d)\b")
# llama.cpp's system-info names → the /proc/cpuinfo flags the kernel sets when the OS enables them
FEATURE_FLAGS = {
    "AVX": {"avx"}, "AVX2": {"avx2"}, "F16C": {"f16c"}, "FMA": {"fma"}, "BMI2": {"bmi2"},
    "AVX_VNNI": {"avx_vnni"}, "AVX512": {"avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"},
    "AVX512_VBMI": {"avx512vbmi"}, "AVX512_VNNI": {"avx512_vnni"}, "AVX512_BF16": {"avx512_bf16"},
    "AMX_INT8": {"amx_int8"}, "AMX_BF16": {"amx_bf16"},
}

x86_only = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 instruction sets")


def _cpu_libraries() -> list[Path]:
    import llama_cpp

    lib = Path(llama_cpp.__file__).parent / "lib"
    return sorted(lib.glob("libggml-cpu*")) or sorted(lib.glob("libggml*"))


def _system_info() -> dict[str, str]:
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode()
    return dict(re.findall(r"(\w+) = (\w+)", info))


def _cpu_flags() -> set[str]:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


@x86_only
@pytest.mark.skipif(shutil.which("objdump") is None, reason="objdump (binutils) is not installed")
def test_cpu_backend_contains_no_amx_instruction():
    libs = _cpu_libraries()
    assert libs, "llama_cpp ships no libggml library"
    for lib in libs:
        asm = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(lib)], capture_output=True, text=True,
                             check=True).stdout
        found = AMX_MNEMONICS.findall(asm)
        assert not found, f"{lib.name} contains AMX instructions ({sorted(set(found))[:5]}): rebuild with `make`"


@x86_only
def test_built_instruction_sets_are_enabled_by_this_os():
    info, flags = _system_info(), _cpu_flags()
    assert info.get("AMX_INT8", "0") == "0" and info.get("AMX_BF16", "0") == "0", info
    built = [name for name, on in info.items() if on == "1" and name in FEATURE_FLAGS]
    missing = {name: sorted(FEATURE_FLAGS[name] - flags) for name in built if FEATURE_FLAGS[name] - flags}
    assert not missing, f"llama.cpp was built for instructions this OS does not enable: {missing}; run `make`"


def _make(*args: str) -> str:
    return subprocess.run(["make", "-s", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_makefile_builds_llama_portably_and_rebuilds_a_stale_build(tmp_path):
    flags = _make("llama-flags")
    assert "-DGGML_NATIVE=OFF" in flags and "-march=native" not in flags
    assert all(f"-DGGML_{x}=OFF" in flags for x in ("AMX_TILE", "AMX_INT8", "AMX_BF16"))
    # an existing venv without this build's stamp (built natively, or with other flags) rebuilds llama.cpp
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    (venv / ".erica-installed").touch()
    plan = _make("-n", f"VENV={venv}", "setup")
    assert "--no-cache-dir" in plan and "llama-cpp-python==" in plan and "-DGGML_NATIVE=OFF" in plan
    # ...and one that has it (and is newer than pyproject.toml) does nothing
    stamp = plan.split("> ", 1)[1].split()[0]
    Path(stamp).write_text(flags)
    (venv / ".erica-installed").touch()
    assert "llama-cpp-python" not in _make("-n", f"VENV={venv}", "setup")
