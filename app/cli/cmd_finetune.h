#pragma once
// `aqlm finetune` (whole-model global fine-tuning / PV-Tuning) and the PV stage that
// `aqlm quantize --pv-steps N` runs right after compression.
#include "app/cli/arg_parser.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aqlm::cli {

int runFinetuneCommand(const std::vector<std::string>& args);

// PV-Tuning of the freshly compressed `student` against `teacher` on the calibration text, into
// outDir; returns the JSON summary (also printed as one line on stderr).
nlohmann::json runPvAfterQuantize(const std::string& teacher, const std::string& student, const std::string& outDir,
                                  const std::vector<std::string>& dataFiles, int64_t steps, int64_t seqLen,
                                  uint64_t seed);

}  // namespace aqlm::cli
