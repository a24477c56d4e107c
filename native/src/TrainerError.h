// An error with a code from src/vocabulary/errors.ts; it ends the run as one {"type":"error"} line.
#pragma once

#include <stdexcept>
#include <string>

struct TrainerError : std::runtime_error {
    std::string code;

    TrainerError(std::string code, const std::string& message) : std::runtime_error(message), code(std::move(code)) {}
};
