#include "Platform.h"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <process.h>
#include <psapi.h>
#else
#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>
#endif
#ifdef __APPLE__
#include <mach-o/dyld.h>
#include <mach/mach.h>
#endif

std::filesystem::path getExecutablePath() {
    std::error_code ec;
#if defined(_WIN32)
    wchar_t buffer[32768];
    const DWORD length = GetModuleFileNameW(nullptr, buffer, DWORD(std::size(buffer)));
    return length == 0 || length == std::size(buffer) ? std::filesystem::path() : std::filesystem::path(std::wstring(buffer, length));
#elif defined(__APPLE__)
    uint32_t size = 0;
    _NSGetExecutablePath(nullptr, &size);
    std::string buffer(size, '\0');
    if (_NSGetExecutablePath(buffer.data(), &size) != 0)
        return {};
    const auto resolved = std::filesystem::canonical(buffer.c_str(), ec);
    return ec ? std::filesystem::path(buffer.c_str()) : resolved;
#else
    const auto resolved = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : resolved;
#endif
}

int getProcessId() {
#ifdef _WIN32
    return _getpid();
#else
    return int(getpid());
#endif
}

#ifdef _WIN32
namespace {
double toSeconds(const FILETIME& time) {
    ULARGE_INTEGER value;
    value.LowPart = time.dwLowDateTime;
    value.HighPart = time.dwHighDateTime;
    return double(value.QuadPart) * 1e-7; // 100 ns units
}
} // namespace
#endif

double getCpuSeconds() {
#ifdef _WIN32
    FILETIME created, exited, kernel, user;
    if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        return 0;
    return toSeconds(kernel) + toSeconds(user);
#else
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
#endif
}

double getPeakRssMb() {
#if defined(_WIN32)
    PROCESS_MEMORY_COUNTERS counters{};
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof(counters)))
        return 0;
    return double(counters.PeakWorkingSetSize) / (1024.0 * 1024.0);
#else
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
#ifdef __APPLE__
    return double(usage.ru_maxrss) / (1024.0 * 1024.0); // bytes on macOS
#else
    return double(usage.ru_maxrss) / 1024.0; // KiB on Linux
#endif
#endif
}

size_t getAvailableMemoryBytes() {
#if defined(_WIN32)
    MEMORYSTATUSEX status{};
    status.dwLength = sizeof(status);
    return GlobalMemoryStatusEx(&status) ? size_t(status.ullAvailPhys) : 0;
#elif defined(__APPLE__)
    vm_statistics64_data_t stats{};
    mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
    if (host_statistics64(mach_host_self(), HOST_VM_INFO64, reinterpret_cast<host_info64_t>(&stats), &count) != KERN_SUCCESS)
        return 0;
    return size_t(stats.free_count + stats.inactive_count) * size_t(vm_page_size);
#else
    std::ifstream meminfo("/proc/meminfo");
    std::string line;
    while (std::getline(meminfo, line)) {
        if (line.rfind("MemAvailable:", 0) != 0)
            continue;
        std::istringstream fields(line.substr(13));
        size_t kb = 0;
        fields >> kb;
        return kb * 1024;
    }
    return 0;
#endif
}

size_t getAddressSpaceHeadroom() {
#ifdef _WIN32
    return SIZE_MAX;
#else
    rlimit limit{};
    if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return SIZE_MAX;
    // what is mapped now: /proc/self/statm on Linux; elsewhere assume nothing (the limit is rare there)
    size_t pages = 0;
    std::ifstream statm("/proc/self/statm");
    statm >> pages;
    const size_t used = pages * size_t(sysconf(_SC_PAGESIZE));
    return size_t(limit.rlim_cur) > used ? (size_t(limit.rlim_cur) - used) / 2 : 0;
#endif
}

bool canLoadLibrary(const std::filesystem::path& path, std::string& error) {
#ifdef _WIN32
    // no error dialog for a missing dependency (nvcuda.dll, vulkan-1.dll): it is an ordinary case here
    const UINT previous = SetErrorMode(SEM_FAILCRITICALERRORS);
    HMODULE handle = LoadLibraryExW(path.wstring().c_str(), nullptr, LOAD_WITH_ALTERED_SEARCH_PATH);
    SetErrorMode(previous);
    if (handle == nullptr) {
        error = "LoadLibrary error " + std::to_string(GetLastError());
        return false;
    }
    FreeLibrary(handle);
    return true;
#else
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* message = dlerror();
        error = message == nullptr ? "dlopen failed" : message;
        return false;
    }
    dlclose(handle);
    return true;
#endif
}
