#include "FatalErrorHandler.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

extern "C" void ggml_print_backtrace(void); // exported by libggml-base, declared only in ggml-impl.h

namespace {

// What ggml and its backends log when an allocation fails (CPU, CUDA, Vulkan, Metal).
constexpr std::array<const char*, 6> allocationFailureMarkers{
    "insufficient memory", "failed to allocate", "out of memory", "ErrorOutOfDeviceMemory", "ErrorOutOfHostMemory",
    "memory allocation of size"};

std::atomic<bool> allocationFailed{false};
// The first failure message, kept in a static buffer: the abort callback must not allocate.
char failureMessage[256] = {0};
std::mutex failureMutex;

std::mutex tempFilesMutex;
std::vector<std::string> tempFiles;

bool mentionsFailedAllocation(const char* text) {
    for (const char* marker : allocationFailureMarkers)
        if (std::strstr(text, marker) != nullptr)
            return true;
    return false;
}

// Copies `text` as a JSON-safe single line (quotes, backslashes and control characters dropped).
void copyJsonSafe(char* out, size_t size, const char* text) {
    size_t n = 0;
    for (const char* c = text; *c != '\0' && n + 1 < size; ++c)
        if (static_cast<unsigned char>(*c) >= 0x20 && *c != '"' && *c != '\\' && static_cast<unsigned char>(*c) < 0x7f)
            out[n++] = *c;
    out[n] = '\0';
}

void removeTempFiles() {
    // no lock: the abort may come from a thread that holds it, and the list only changes between phases
    for (const auto& path : tempFiles)
        std::remove(path.c_str());
}

void onGgmlAbort(const char* message) {
    std::fprintf(stderr, "%s\n", message);
    removeTempFiles();
    if (allocationFailed || mentionsFailedAllocation(message)) {
        char detail[256];
        copyJsonSafe(detail, sizeof(detail), failureMessage[0] != '\0' ? failureMessage : message);
        std::fprintf(stdout,
                     "{\"type\":\"error\",\"code\":\"OUT_OF_MEMORY\",\"message\":\"Out of memory while training (%s). "
                     "Lower batchSize, contextSize or the LoRA rank, or use a smaller model.\"}\n",
                     detail);
        std::fflush(stdout);
        std::fflush(stderr);
        std::_Exit(1); // a reported failure, not a crash: no core dump, no backtrace
    }
    ggml_print_backtrace();
}

} // namespace

void installFatalErrorHandler() { ggml_set_abort_callback(onGgmlAbort); }

void noteLogMessage(ggml_log_level level, const char* text) {
    if (level != GGML_LOG_LEVEL_ERROR && level != GGML_LOG_LEVEL_WARN)
        return;
    if (text == nullptr || !mentionsFailedAllocation(text))
        return;
    std::lock_guard<std::mutex> lock(failureMutex);
    if (!allocationFailed.exchange(true)) {
        std::strncpy(failureMessage, text, sizeof(failureMessage) - 1);
        const size_t length = std::strlen(failureMessage);
        if (length > 0 && failureMessage[length - 1] == '\n')
            failureMessage[length - 1] = '\0';
    }
}

bool hasAllocationFailed() { return allocationFailed; }

void registerTempFile(const std::string& path) {
    std::lock_guard<std::mutex> lock(tempFilesMutex);
    tempFiles.push_back(path);
}

void unregisterTempFile(const std::string& path) {
    std::lock_guard<std::mutex> lock(tempFilesMutex);
    tempFiles.erase(std::remove(tempFiles.begin(), tempFiles.end(), path), tempFiles.end());
}
