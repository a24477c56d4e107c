#include "GgmlBackends.h"

#include "Platform.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ggml-backend.h>
#include <sstream>
#include <string>

namespace {

// node-llama-cpp's platform names and its GPU backends' library names. macOS has none to add: Metal is in
// the prebuilt package the trainer links (its libggml-metal.so sits next to the executable).
#if defined(__linux__) && defined(__x86_64__)
constexpr const char* platform = "linux-x64";
#elif defined(__linux__) && defined(__aarch64__)
constexpr const char* platform = "linux-arm64";
#elif defined(_WIN32) && (defined(_M_X64) || defined(__x86_64__))
constexpr const char* platform = "win-x64";
#else
constexpr const char* platform = "";
#endif

#ifdef _WIN32
constexpr const char* gpuLibraries[] = {"ggml-cuda.dll", "ggml-vulkan.dll"};
#else
constexpr const char* gpuLibraries[] = {"libggml-cuda.so", "libggml-vulkan.so"};
#endif

bool hasGpu() {
    for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
        const auto type = ggml_backend_dev_type(ggml_backend_dev_get(i));
        if (type == GGML_BACKEND_DEVICE_TYPE_GPU || type == GGML_BACKEND_DEVICE_TYPE_IGPU)
            return true;
    }
    return false;
}

std::vector<std::filesystem::path> candidateLibraries() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("CONPET_GGML_BACKEND_DIRS")) {
        std::istringstream list(env);
        std::string dir;
        while (std::getline(list, dir, pathListSeparator))
            if (!dir.empty())
                dirs.emplace_back(dir);
    }
    const auto exe = getExecutablePath();
    if (!exe.empty() && *platform != '\0') {
        const auto packages = exe.parent_path().parent_path().parent_path().parent_path() / "node_modules" / "@node-llama-cpp";
        const std::string p = platform;
        // CUDA 13 first, then the CUDA 12 build of the -ext package, then Vulkan (any vendor)
        dirs.push_back(packages / (p + "-cuda") / "bins" / (p + "-cuda"));
        dirs.push_back(packages / (p + "-cuda-ext") / "bins" / (p + "-cuda") / "fallback");
        dirs.push_back(packages / (p + "-vulkan") / "bins" / (p + "-vulkan"));
    }
    std::vector<std::filesystem::path> libraries;
    std::error_code ec;
    for (const auto& dir : dirs)
        for (const char* name : gpuLibraries)
            if (std::filesystem::is_regular_file(dir / name, ec))
                libraries.push_back(dir / name);
    return libraries;
}

} // namespace

std::vector<std::string> loadGgmlBackends() {
    ggml_backend_load_all();
    std::vector<std::string> loaded;
    for (const auto& library : candidateLibraries()) {
        if (hasGpu())
            break;
        // A backend whose runtime is missing (libcudart, libvulkan) fails to open: a normal case on a
        // machine without that GPU, so it is probed quietly instead of through ggml's error log.
        std::string error;
        if (!canLoadLibrary(library, error)) {
            if (std::getenv("CONPET_TRAIN_VERBOSE") != nullptr)
                std::fprintf(stderr, "conpet-train: skipping %s: %s\n", library.string().c_str(), error.c_str());
            continue;
        }
        if (ggml_backend_load(library.string().c_str()) != nullptr)
            loaded.push_back(library.string());
    }
    return loaded;
}

bool cpuHasNativeBf16() {
    ggml_backend_dev_t cpu = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU);
    if (cpu == nullptr)
        return false;
    auto getFeatures = reinterpret_cast<ggml_backend_get_features_t>(
        ggml_backend_reg_get_proc_address(ggml_backend_dev_backend_reg(cpu), "ggml_backend_get_features"));
    if (getFeatures == nullptr)
        return false;
    for (const ggml_backend_feature* feature = getFeatures(ggml_backend_dev_backend_reg(cpu)); feature->name != nullptr; ++feature)
        if (std::string(feature->name) == "AVX512_BF16")
            return true;
    return false;
}
