"""`pip install app/python`: builds pglab's Python module from the C++ sources of this checkout
(core/ and app/python/src/) into the user's environment, with the assets (maps, scenarios,
lessons) inside the package.

Needs a C++20 compiler, Eigen 3.4, nlohmann_json and pybind11 headers (Debian: g++,
libeigen3-dev, nlohmann-json3-dev, pybind11-dev) and NumPy at run time. Offline, add
--no-build-isolation (pip otherwise fetches setuptools into a fresh environment). The compile
runs on every core (PGLAB_BUILD_JOBS=N to limit it); code is portable (no -march=native).
"""

import glob
import os
import shutil
from concurrent.futures import ThreadPoolExecutor

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORE = os.path.join(ROOT, "core")


def pybind11_include():
    try:
        import pybind11

        return pybind11.get_include()
    except ImportError:
        return "/usr/include"  # Debian's pybind11-dev


def eigen_include():
    return os.environ.get("EIGEN3_INCLUDE_DIR", "/usr/include/eigen3")


class ParallelBuildExt(build_ext):
    """Compiles the ~100 sources on several cores (setuptools compiles one at a time)."""

    def build_extensions(self):
        jobs = int(os.environ.get("PGLAB_BUILD_JOBS", os.cpu_count() or 1))
        compiler = self.compiler
        original = compiler.compile

        def compile_parallel(sources, output_dir=None, macros=None, include_dirs=None, debug=0,
                             extra_preargs=None, extra_postargs=None, depends=None):
            macros, objects, extra, pp_opts, build = compiler._setup_compile(
                output_dir, macros, include_dirs, sources, depends, extra_postargs)
            cc_args = compiler._get_cc_args(pp_opts, debug, extra_preargs)

            def one(obj):
                src, ext = build[obj]
                compiler._compile(obj, src, ext, cc_args, extra, pp_opts)

            with ThreadPoolExecutor(max_workers=jobs) as pool:
                list(pool.map(one, objects))
            return objects

        compiler.compile = compile_parallel
        try:
            super().build_extensions()
        finally:
            compiler.compile = original


class BuildPyWithAssets(build_py):
    """Copies the maps, scenarios and lessons into the package (pglab/assets)."""

    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "pglab", "assets")
        for sub in ("maps", "scenarios", "lessons"):
            src = os.path.join(ROOT, "assets", sub)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(target, sub), dirs_exist_ok=True)


sources = sorted(glob.glob(os.path.join(CORE, "**", "*.cpp"), recursive=True))
sources += sorted(glob.glob(os.path.join(HERE, "src", "*.cpp")))

ext = Extension(
    "pglab._core",
    sources=sources,
    include_dirs=[CORE, eigen_include(), pybind11_include()],
    define_macros=[("PGLAB_ASSET_DIR", '"' + os.path.join(ROOT, "assets") + '"')],
    # -g0: Python's own CFLAGS ask for debug info (-g), which slows the compile and bloats the module.
    extra_compile_args=["-std=c++20", "-O2", "-g0", "-fvisibility=hidden", "-Wno-maybe-uninitialized"],
    language="c++",
)

setup(
    name="pglab",
    version="0.1.0",
    description="pglab's environments, exact oracle and estimators from Python",
    packages=["pglab"],
    ext_modules=[ext],
    cmdclass={"build_ext": ParallelBuildExt, "build_py": BuildPyWithAssets},
    install_requires=["numpy"],
    python_requires=">=3.8",
    zip_safe=False,
)
