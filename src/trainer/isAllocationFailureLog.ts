/**
 * What ggml and its backends print when an allocation fails: CPU (`ggml_aligned_malloc: insufficient
 * memory`, `failed to allocate buffer`), CUDA (`cudaMalloc failed: out of memory`), Vulkan
 * (`ErrorOutOfDeviceMemory`), Metal (`failed to allocate buffer`). `native/src/FatalErrorHandler.cpp`
 * watches for the same markers.
 */
const allocationFailurePattern = /insufficient memory|failed to allocate|out of memory|ErrorOutOf(?:Device|Host)Memory|memory allocation of size/i;

/**
 * Whether a trainer's stderr shows a failed allocation. The trainer itself reports `OUT_OF_MEMORY`
 * when ggml aborts after one; this lets the client say so too when the process died some other way
 * after it (e.g. a backend that crashes instead of aborting).
 */
export function isAllocationFailureLog(stderr: string): boolean {
    return allocationFailurePattern.test(stderr);
}
