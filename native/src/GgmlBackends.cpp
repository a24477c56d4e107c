#include "GgmlBackends.h"

#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <ggml-backend.h>
#include <sstream>

namespace {

#if defined(__x86_64__)
constexpr const char* platform = "linux-x64";
#elif defined(__aarch64__)
constexpr const char* platform = "linux-arm64";
#else
constexpr const char* platform = "";
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
        while (std::getline(list, dir, ':'))
            if (!dir.empty())
                dirs.emplace_back(dir);
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec && *platform != '\0') {
        const auto packages = exe.parent_path().parent_path().parent_path().parent_path() / "node_modules" / "@node-llama-cpp";
        const std::string p = platform;
        // CUDA 13 first, then the CUDA 12 build of the -ext package, then Vulkan (any vendor)
        dirs.push_back(packages / (p + "-cuda") / "bins" / (p + "-cuda"));
        dirs.push_back(packages / (p + "-cuda-ext") / "bins" / (p + "-cuda") / "fallback");
        dirs.push_back(packages / (p + "-vulkan") / "bins" / (p + "-vulkan"));
    }
    std::vector<std::filesystem::path> libraries;
    for (const auto& dir : dirs)
        for (const char* name : {"libggml-cuda.so", "libggml-vulkan.so"})
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
        void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            if (std::getenv("CONPET_TRAIN_VERBOSE") != nullptr)
                std::fprintf(stderr, "conpet-train: skipping %s: %s\n", library.c_str(), dlerror());
            continue;
        }
        dlclose(handle);
        if (ggml_backend_load(library.c_str()) != nullptr)
            loaded.push_back(library.string());
    }
    return loaded;
}
