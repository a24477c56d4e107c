// What differs between Linux, macOS and Windows, in one place: the executable's path, the process's
// id, CPU time and memory, the memory the system has free, and probing a shared library. Everything
// else in the trainer is portable C++17.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

// The running executable (resolved, not a symlink); empty if the system does not say.
std::filesystem::path getExecutablePath();

int getProcessId();

// User + system CPU seconds of this process.
double getCpuSeconds();

// Peak resident memory of this process, in MiB.
double getPeakRssMb();

// Physical memory the system can give without swapping (Linux MemAvailable; free + inactive pages on
// macOS; available physical memory on Windows); 0 if unknown.
size_t getAvailableMemoryBytes();

// Under an address-space limit (`ulimit -v`, Linux and macOS): half of what the limit leaves; SIZE_MAX
// without one.
size_t getAddressSpaceHeadroom();

// Whether the library at `path` and everything it links can be loaded; `error` says why not. The
// library is closed again: this only probes, ggml loads it for real.
bool canLoadLibrary(const std::filesystem::path& path, std::string& error);

// The separator of folder lists in environment variables: ':' (';' on Windows, whose paths hold ':').
constexpr char pathListSeparator =
#ifdef _WIN32
    ';';
#else
    ':';
#endif
