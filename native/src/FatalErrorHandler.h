// ggml aborts the process when an allocation fails deep inside it (e.g. ggml_opt_alloc ignores a
// failed buffer and the next ggml_set_zero asserts), where no C++ exception can reach main. This
// turns such an abort into an OUT_OF_MEMORY error line and removes the run's temporary files first.
#pragma once

#include <ggml.h>
#include <string>

// Installs ggml's abort callback. Call once, before any ggml or llama.cpp work.
void installFatalErrorHandler();

// Feeds one ggml/llama.cpp log message; remembers a failed allocation for the abort callback.
void noteLogMessage(ggml_log_level level, const char* text);

// Whether ggml or a GPU backend has logged a failed allocation since start (a null result from
// llama.cpp after that means out of memory, not a bad file).
bool hasAllocationFailed();

// Files the abort callback removes (destructors do not run on abort). Register before creating them.
void registerTempFile(const std::string& path);
void unregisterTempFile(const std::string& path);
