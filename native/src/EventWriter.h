// Writes TrainerEvent JSON lines (src/vocabulary/trainerProtocol.ts) to stdout, one flushed line each, so the
// client sees progress as it happens. stdout carries nothing else: llama.cpp logs go to stderr.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

void writeEvent(const nlohmann::json& event);
void writeWarning(const std::string& message);
void writeError(const std::string& code, const std::string& message);
